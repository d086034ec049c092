"""The waiting list: offers of freed seats, their confirmation and expiry; reminders."""

from __future__ import annotations

from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from thuisnet.core.db import retry_on_conflict

from ..models import EveningSession, Registration
from .common import RegistrationError, Status, _release, offer_hours, reminder_days


def _api():
    from foster import services

    return services


def _offer_next(session: EveningSession, now) -> list[Registration]:
    """Offer freed seats to the waiting list in order (whoever fits), for ``offer_hours``."""
    session = EveningSession.objects.select_related("page").get(pk=session.pk)
    if session.cancelled_at or now >= session.starts_at:
        return []
    offered = []
    waiting = Registration.objects.filter(session=session, status=Status.WAITING).order_by("created_at", "pk")
    for reg in waiting:
        if reg.attendees > session.capacity - session.held:
            continue
        if not _api()._take(session.pk, reg.attendees):
            continue
        session.held += reg.attendees
        reg.status = Status.OFFERED
        reg.offer_expires_at = min(now + timedelta(hours=offer_hours()), session.starts_at)
        reg.save(update_fields=["status", "offer_expires_at", "updated_at"])
        key = f"foster-offer-{reg.pk}-{int(reg.offer_expires_at.timestamp())}"
        _api()._mail(reg, "offer", dedupe_key=key)
        offered.append(reg)
    return offered


def confirm_offer(reg: Registration, *, now=None) -> Registration:
    now = now or timezone.now()
    # Two transactions: an offer that ran out is passed on (and stays passed on) before we refuse.
    if _expire_offer(reg.pk, now):
        raise RegistrationError(
            "offer_expired",
            _("Het aanbod is verlopen; de plaats is aan de volgende op de wachtlijst aangeboden."),
        )
    return _confirm_offer(reg.pk, now)


@retry_on_conflict
def _confirm_offer(pk: int, now) -> Registration:
    reg = _api()._lock(pk)
    if reg.status == Status.CONFIRMED:
        return reg
    if reg.status != Status.OFFERED:
        raise RegistrationError("no_offer", _("Er staat geen plaats voor je klaar."))
    reg.status = Status.CONFIRMED
    reg.offer_expires_at = None
    reg.save(update_fields=["status", "offer_expires_at", "updated_at"])
    _api()._mail(reg, "confirmation", ics="publish")
    return reg


def _expire(reg: Registration, now) -> None:
    reg.status = Status.EXPIRED
    reg.offer_expires_at = None
    reg.save(update_fields=["status", "offer_expires_at", "updated_at"])
    _release(reg.session_id, reg.attendees)
    _api()._mail(reg, "offer_expired")
    _offer_next(reg.session, now)


def expire_offers(*, now=None) -> int:
    """Pass unconfirmed offers on. Idempotent: each row is claimed under a row lock."""
    now = now or timezone.now()
    count = 0
    ids = list(
        Registration.objects.filter(status=Status.OFFERED, offer_expires_at__lte=now).values_list(
            "pk", flat=True
        )
    )
    for pk in ids:
        count += _expire_offer(pk, now)
    return count


@retry_on_conflict
def _expire_offer(pk: int, now) -> bool:
    try:
        reg = _api()._lock(pk)
    except Registration.DoesNotExist:  # removed through the personal link meanwhile
        return False
    if reg.status != Status.OFFERED or not reg.offer_expires_at or reg.offer_expires_at > now:
        return False  # confirmed, cancelled or renewed meanwhile
    _expire(reg, now)
    return True


def send_reminders(*, now=None) -> int:
    """Remind confirmed registrants ``reminder_days`` before. Exactly once per registration:
    claimed with a conditional UPDATE, and the outbox dedupe key guards a second time."""
    now = now or timezone.now()
    horizon = now + timedelta(days=reminder_days())
    due = Registration.objects.filter(
        status=Status.CONFIRMED,
        reminder_sent_at__isnull=True,
        anonymised_at__isnull=True,
        session__cancelled_at__isnull=True,
        session__starts_at__gt=now,
        session__starts_at__lte=horizon,
    ).values_list("pk", flat=True)
    sent = 0
    for pk in list(due):
        with transaction.atomic():
            if (
                Registration.objects.filter(pk=pk, reminder_sent_at__isnull=True).update(reminder_sent_at=now)
                != 1
            ):
                continue
            reg = Registration.objects.select_related("session", "session__page").get(pk=pk)
            _api()._mail(reg, "reminder", ics="publish", dedupe_key=f"foster-reminder-{pk}")
            sent += 1
    return sent
