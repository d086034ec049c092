"""Theme follows, notification settings, notifications and digest deliveries."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .themes import Theme


class ThemeFollow(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="knowledge_follows"
    )
    theme = models.CharField(_("thema"), max_length=20, choices=Theme.choices)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "theme"], name="knowledge_follow_unique")]


class NotificationSettings(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="knowledge_settings"
    )
    email_answers = models.BooleanField(_("e-mail bij een antwoord op mijn vraag"), default=True)
    email_status = models.BooleanField(
        _("e-mail als mijn antwoord geaccepteerd of geverifieerd is"), default=True
    )
    email_theme = models.BooleanField(_("e-mail bij een nieuwe vraag in een thema dat ik volg"), default=True)
    weekly_digest = models.BooleanField(
        _("wekelijks overzicht van onbeantwoorde vragen"),
        default=False,
        help_text=_("Voor deskundigen en ervaren ouders (minstens twee jaar ouder)."),
    )


class Notification(models.Model):
    class Kind(models.TextChoices):
        ANSWER = "answer", _("Antwoord op je vraag")
        ACCEPTED = "accepted", _("Antwoord geaccepteerd")
        VERIFIED = "verified", _("Antwoord geverifieerd")
        THEME = "theme", _("Nieuwe vraag in een thema")
        HELD = "held", _("Bericht vastgehouden")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="knowledge_notifications"
    )
    kind = models.CharField(max_length=10, choices=Kind.choices)
    text = models.CharField(max_length=300)
    url = models.CharField(max_length=300)
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]


class DigestDelivery(models.Model):
    """One row per person per ISO week: the weekly digest goes out exactly once."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    week = models.CharField(max_length=8)  # "2026-W48"
    question_count = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "week"], name="knowledge_digest_once_a_week")]
