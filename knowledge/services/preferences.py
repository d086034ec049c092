"""Notification preferences."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _

from thuisnet.accounts.policies import can

from ..models import (
    Notification,
    NotificationSettings,
    Theme,
    ThemeFollow,
)
from .common import KnowledgeError, settings_for


def follow_themes(user, themes: list[str]) -> None:
    wanted = {t for t in themes if t in Theme.values}
    ThemeFollow.objects.filter(user=user).exclude(theme__in=wanted).delete()
    for theme in wanted:
        ThemeFollow.objects.get_or_create(user=user, theme=theme)


def save_preferences(
    user,
    *,
    themes: list[str],
    email_answers: bool,
    email_status: bool,
    email_theme: bool,
    weekly_digest: bool,
) -> NotificationSettings:
    if weekly_digest and not can(user, "knowledge.digest"):
        raise KnowledgeError(
            "digest_not_allowed",
            _("Het wekelijkse overzicht is voor deskundigen en ouders met minstens twee jaar ervaring."),
            "weekly_digest",
        )
    follow_themes(user, themes)
    prefs = settings_for(user)
    prefs.email_answers = email_answers
    prefs.email_status = email_status
    prefs.email_theme = email_theme
    prefs.weekly_digest = weekly_digest
    prefs.save()
    return prefs


def mark_notifications_read(user) -> int:
    return Notification.objects.filter(user=user, read_at__isnull=True).update(read_at=timezone.now())
