"""Shared steps of the knowledge services: the error type, rate limit, moderation log,
notification delivery and unsubscribe links."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from thuisnet.accounts.inbox import notify as inbox_notify
from thuisnet.core import audit
from thuisnet.core.mail import queue_templated
from thuisnet.core.pii import explain, find_identifiers

from ..models import (
    AnonymousPostingRule,
    Answer,
    ModerationAction,
    Notification,
    NotificationSettings,
    Question,
)

TITLE_MAX = 160
TEXT_MAX = 4000
TITLE_MIN = 10
TITLE_MAX = 160
TEXT_MAX = 4000
ANSWER_MAX = 6000
UNSUBSCRIBE_SALT = "knowledge.unsubscribe"


class KnowledgeError(Exception):
    """Something the user can fix or should know; ``message`` is Dutch, ``code`` stable."""

    def __init__(self, code: str, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.field = field


def rate_limit() -> tuple[int, timedelta]:
    n, minutes = getattr(settings, "KNOWLEDGE_RATE_LIMIT", (6, 10))
    return n, timedelta(minutes=minutes)


# ------------------------------------------------------------------------ small helpers


def anonymous_allowed(region, theme: str) -> bool:
    """Regions decide per theme; without a rule anonymous posting is not allowed."""
    if region is None:
        return False
    rule = AnonymousPostingRule.objects.filter(region=region, theme=theme).first()
    return bool(rule and rule.allowed)


def _normalise_tags(tags: str) -> str:
    seen: list[str] = []
    for raw in (tags or "").split(","):
        tag = " ".join(raw.strip().lower().split())[:30]
        if tag and tag not in seen:
            seen.append(tag)
    return ", ".join(seen[:8])


def _check_rate(user) -> None:
    """Refuse a post over the limit. Runs in the transaction that stores the post, after
    locking the author's row: simultaneous posts by one person queue here, and each counts
    the posts committed before it (12 at once store exactly the 6 allowed)."""
    from django.contrib.auth import get_user_model

    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("_check_rate must run inside the transaction that stores the post")
    get_user_model().objects.select_for_update(no_key=True).filter(pk=user.pk).values_list(
        "pk", flat=True
    ).first()
    limit, window = rate_limit()
    since = timezone.now() - window
    recent = (
        Question.objects.filter(author=user, created_at__gte=since).count()
        + Answer.objects.filter(author=user, created_at__gte=since).count()
    )
    if recent >= limit:
        raise KnowledgeError(
            "rate_limited",
            _(
                "Je hebt in korte tijd veel berichten geplaatst. Wacht een paar minuten en "
                "probeer het dan opnieuw; je tekst staat nog in het formulier."
            ),
        )


def _pii_hold(*texts: str) -> str:
    findings = []
    for text in texts:
        findings.extend(find_identifiers(text))
    return explain(findings) if findings else ""


def _log(
    kind: str, moderator, *, question=None, answer=None, note: str = "", before: str = "", request=None
) -> ModerationAction:
    action = ModerationAction.objects.create(
        kind=kind, moderator=moderator, question=question, answer=answer, note=note, before=before
    )
    target = answer or question
    audit.record(
        moderator,
        f"knowledge.{kind}",
        "knowledge.answer" if answer else "knowledge.question",
        target.pk if target else "",
        request=request,
        note=note,
    )
    return action


def settings_for(user) -> NotificationSettings:
    obj, _created = NotificationSettings.objects.get_or_create(user=user)
    return obj


def unsubscribe_token(user, kind: str) -> str:
    return signing.dumps({"u": user.pk, "k": kind}, salt=UNSUBSCRIBE_SALT)


def unsubscribe_url(user, kind: str) -> str:
    return settings.BASE_URL + reverse("knowledge:unsubscribe", args=[unsubscribe_token(user, kind)])


UNSUBSCRIBE_FIELDS = {
    "answer": "email_answers",
    "status": "email_status",
    "theme": "email_theme",
    "digest": "weekly_digest",
}


def unsubscribe(token: str) -> tuple[object, str]:
    """One-click unsubscribe from a signed link. Returns (user, kind)."""
    from django.contrib.auth import get_user_model

    try:
        data = signing.loads(token, salt=UNSUBSCRIBE_SALT)
        field = UNSUBSCRIBE_FIELDS[data["k"]]
        user = get_user_model().objects.get(pk=data["u"])
    except (signing.BadSignature, KeyError, TypeError, get_user_model().DoesNotExist):
        raise KnowledgeError(
            "bad_token",
            _(
                "Deze afmeldlink klopt niet of is beschadigd. Log in en pas je meldingen aan "
                "bij 'Mijn meldingen'."
            ),
        )
    prefs = settings_for(user)
    setattr(prefs, field, False)
    prefs.save(update_fields=[field])
    return user, data["k"]


def _notify(
    user,
    kind: str,
    text: str,
    url: str,
    *,
    email_kind: str | None,
    template: str | None = None,
    context: dict | None = None,
    dedupe_key: str | None = None,
) -> None:
    Notification.objects.create(user=user, kind=kind, text=text[:300], url=url)
    # The site-wide inbox ("Mijn meldingen") gets every Q&A notification too; knowledge's
    # own list and e-mail settings stay as they are.
    inbox_notify(user, kind="question", title=text[:300], url=url)
    if not email_kind or not user.is_active:
        return
    prefs = settings_for(user)
    if not getattr(prefs, UNSUBSCRIBE_FIELDS[email_kind]):
        return
    unsub = unsubscribe_url(user, email_kind)
    queue_templated(
        user.email,
        template or f"knowledge/email/{kind}",
        {
            "user": user,
            "text": text,
            "url": settings.BASE_URL + url,
            "unsubscribe_url": unsub,
            **(context or {}),
        },
        headers={"List-Unsubscribe": f"<{unsub}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"},
        dedupe_key=dedupe_key,
    )
