"""One inbox per person ("Mijn meldingen"): booking changes, messages, Q&A and event changes.

The contract other apps call (keep its signature): ``notify(user, kind=..., title=..., url=...)``.
Called inside a transaction it is written with that transaction, so a rolled-back change
never leaves a notification behind.
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils import timezone

KINDS = ("booking", "message", "question", "event", "matching", "startpath")


def notify(user, *, kind: str, title: str, url: str = "", body: str = "") -> None:
    """Put one notification in ``user``'s inbox. ``title`` is already translated text.

    A plain INSERT on the caller's connection: inside a transaction it commits or rolls back
    with the change that caused it. Anonymous or missing users are ignored.
    """
    from .models import Notification

    if kind not in KINDS:
        raise ValueError(f"Unknown notification kind {kind!r}; use one of {KINDS}")
    if user is None or not getattr(user, "pk", None):
        return None
    Notification.objects.create(
        recipient_id=user.pk,
        kind=kind,
        title=str(title)[:200],
        body=str(body or ""),
        url=str(url or "")[:500],
    )
    return None


def inbox_of(user) -> QuerySet:
    """The person's notifications, newest first."""
    from .models import Notification

    return Notification.objects.filter(recipient=user).order_by("-created", "-id")


def unread_count(user) -> int:
    """Unread notifications of ``user``: one COUNT over a partial index."""
    from .models import Notification

    if not getattr(user, "is_authenticated", False):
        return 0
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def mark_read(user, notification_id: int) -> str | None:
    """Mark one of the person's own notifications read; returns its link (or None if not theirs)."""
    from .models import Notification

    row = Notification.objects.filter(recipient=user, pk=notification_id).only("url", "read_at").first()
    if row is None:
        return None
    if row.read_at is None:
        Notification.objects.filter(pk=row.pk, read_at__isnull=True).update(read_at=timezone.now())
    return row.url


def mark_all_read(user) -> int:
    """Mark every unread notification of the person read; returns how many changed."""
    from .models import Notification

    return Notification.objects.filter(recipient=user, read_at__isnull=True).update(read_at=timezone.now())
