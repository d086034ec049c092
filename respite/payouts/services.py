"""The only way to change payout state: onboarding, confirming a stay, sending the transfer,
retrying a failed one (steps in ``retries``, policy in ``failures``), webhook events and the
monthly reconciliation (in ``reconciliation``).

Locks (add to the order in ``thuisnet.core.db``): payouts lock the host's ``ConnectedAccount``
row, which serialises the allowance check of one host, and then (a retry of a failed payout)
that one ``Payout`` row; they take no respite lock (bookings are read, never changed).

A transfer is created after the ledger row is committed, with the row's idempotency key: a
retry after a timeout or a crash sends the same key, and Stripe answers with the transfer it
already made instead of making a second one.
"""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from zoneinfo import ZoneInfo

from django.db.models import Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from respite.models import Booking, Kind, Part
from thuisnet.accounts import inbox
from thuisnet.accounts.policies import require
from thuisnet.core import audit
from thuisnet.core.db import retry_on_conflict

from . import conf, failures, gateway
from .models import (
    ConnectedAccount,
    Payout,
    PayoutFailure,
    RateCard,
    Unit,
    WebhookEvent,
    format_euros,
)

# Reconciliation lives in its own module; ``services`` stays the one way in.
from .reconciliation import DIFFERENCE_LABELS, reconcile  # noqa: F401

log = logging.getLogger(__name__)
AMSTERDAM = ZoneInfo("Europe/Amsterdam")
HOST_KINDS = (Kind.HOST_FAMILY, Kind.SUPPORT_FAMILY)
RETRY_WINDOW = timedelta(hours=23)  # Stripe keeps an idempotency key for at least 24 hours


class PayoutRefused(Exception):
    """A payout Thuisnet will not make; ``message`` is Dutch and shown at ``field``."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


def euros(cents: int) -> str:
    return f"€ {format_euros(cents)}"


# ---------------------------------------------------------------- onboarding


def start_onboarding(user, *, return_url: str, refresh_url: str) -> str:
    """Create the host's Express account if needed and return a fresh onboarding link."""
    account = ConnectedAccount.objects.filter(user=user).first()
    if account is None:
        account_id = gateway.create_express_account(email=user.email, reference=str(user.pk))
        account, _created = ConnectedAccount.objects.get_or_create(
            user=user, defaults={"stripe_account_id": account_id}
        )
    return gateway.account_link(account.stripe_account_id, refresh_url=refresh_url, return_url=return_url)


def refresh_account(user) -> ConnectedAccount | None:
    """Ask Stripe how far the host's onboarding is (after the return URL)."""
    account = ConnectedAccount.objects.filter(user=user).first()
    if account is None:
        return None
    _apply_state(account, gateway.account_state(account.stripe_account_id))
    return account


def _apply_state(account: ConnectedAccount, state: dict) -> None:
    account.details_submitted = bool(state.get("details_submitted"))
    account.payouts_enabled = bool(state.get("payouts_enabled"))
    if account.payouts_enabled:
        account.status = ConnectedAccount.Status.ENABLED
    elif account.details_submitted:
        account.status = ConnectedAccount.Status.RESTRICTED
    else:
        account.status = ConnectedAccount.Status.PENDING
    account.save(update_fields=["details_submitted", "payouts_enabled", "status", "updated_at"])
    if account.ready:
        from . import retries

        retries.retry_account_failures(account)


# ---------------------------------------------------------------- confirming a stay


def stay_completed(booking: Booking, today: date | None = None) -> bool:
    """Accepted and over: nights end on the departure day, day parts after the last day."""
    today = today or timezone.localdate()
    if booking.status != Booking.Status.ACCEPTED:
        return False
    return booking.end <= today if booking.part == Part.NIGHT else booking.end < today


def units_for(booking: Booking) -> list[str]:
    """The rate-card units a stay may be paid in."""
    if booking.offer.kind == Kind.SUPPORT_FAMILY:
        return [Unit.DAY_PART, Unit.HOUR]
    return [Unit.NIGHT, Unit.HOUR]


def rate_for(region_id: int, unit: str, on: date) -> RateCard | None:
    return (
        RateCard.objects.filter(region_id=region_id, unit=unit, valid_from__lte=on)
        .order_by("-valid_from")
        .first()
    )


@dataclass
class Quote:
    unit: str
    quantity: Decimal
    rate_cents: int
    amount_cents: int


def quote(booking: Booking, unit: str, quantity: Decimal) -> Quote:
    """The amount for ``quantity`` units of ``unit`` from the region's rate card, or refused."""
    if unit not in units_for(booking):
        raise PayoutRefused(_("Deze eenheid past niet bij dit soort verblijf."), "unit")
    if quantity <= 0:
        raise PayoutRefused(_("Vul een aantal groter dan nul in."), "quantity")
    if unit != Unit.HOUR and quantity != quantity.to_integral_value():
        raise PayoutRefused(_("Nachten en dagdelen tel je in hele getallen."), "quantity")
    days = max((booking.end - booking.start).days, 1) if booking.part == Part.NIGHT else len(booking.days())
    most = {Unit.NIGHT: days, Unit.DAY_PART: booking.units, Unit.HOUR: days * 24}[unit]
    if quantity > most:
        raise PayoutRefused(
            _("Dit verblijf telt hoogstens %(n)s %(unit)s.") % {"n": most, "unit": _unit_noun(unit)},
            "quantity",
        )
    region_id = booking.offer.municipality.region_id
    card = rate_for(region_id, unit, booking.start)
    if card is None:
        raise PayoutRefused(_("De regio heeft voor deze eenheid nog geen tarief vastgesteld."), "unit")
    amount = int((quantity * card.amount_cents).quantize(Decimal("1"), rounding=ROUND_HALF_UP))
    return Quote(unit=unit, quantity=quantity, rate_cents=card.amount_cents, amount_cents=amount)


def _unit_noun(unit: str) -> str:
    from .models import UNIT_NOUNS

    return str(UNIT_NOUNS[unit])


def confirm_stay(booking: Booking, *, by, unit: str, quantity: Decimal) -> Payout:
    """The provider confirms a completed stay: record the payout within the allowance, then pay.

    Raises ``PayoutRefused`` (Dutch reason) when the stay cannot be paid or the amount would
    pass the host's monthly or yearly volunteer allowance.
    """
    payout = _record(booking.pk, by=by, unit=unit, quantity=quantity)
    return send_transfer(payout.pk)


@retry_on_conflict
def _record(booking_id: int, *, by, unit: str, quantity: Decimal) -> Payout:
    booking = Booking.objects.select_related("offer", "offer__municipality").get(pk=booking_id)
    host_id = _payable_host(booking)
    # One host at a time: the row lock makes the allowance check and the insert one step.
    account = ConnectedAccount.objects.select_for_update().filter(user_id=host_id).first()
    if account is None or not account.ready:
        raise PayoutRefused(
            _("Het gastgezin heeft de aanmelding bij Stripe nog niet afgerond; uitbetalen kan nog niet.")
        )
    existing = Payout.objects.select_for_update().filter(booking_id=booking.pk).first()
    if existing is not None and existing.status != Payout.Status.FAILED:
        raise PayoutRefused(_("Voor dit verblijf is al een uitbetaling gemaakt."))
    q = quote(booking, unit, quantity)
    today = timezone.localdate()
    _check_allowance(host_id, q, today, exclude=existing)
    values = {
        "region_id": booking.offer.municipality.region_id,
        "provider_id": booking.offer.provider_id,
        "host_id": host_id,
        "account": account,
        "unit": q.unit,
        "quantity": q.quantity,
        "rate_cents": q.rate_cents,
        "amount_cents": q.amount_cents,
        "period": today,
        "status": Payout.Status.PENDING,
        "idempotency_key": _new_key(),
        "key_issued_at": timezone.now(),
        "stripe_transfer_id": "",
        "failure_reason": "",
        "failure_code": "",
        "retry_after": None,
        "auto_retries": 0,
        "confirmed_by": by,
    }
    if existing is not None:  # a failed transfer, confirmed again: a new key, a new attempt
        old_key = existing.idempotency_key
        for name, value in values.items():
            setattr(existing, name, value)
        existing.retried_by, existing.retried_at = by, values["key_issued_at"]
        existing.save()
        _close_failures(existing, by=by, how=PayoutFailure.Retry.RECONFIRMED, old_key=old_key)
        return existing
    return Payout.objects.create(booking=booking, **values)


def _new_key() -> str:
    return f"thuisnet-payout-{uuid.uuid4().hex}"


def _payable_host(booking: Booking) -> int:
    if booking.offer.kind not in HOST_KINDS or booking.offer.host_user_id is None:
        raise PayoutRefused(
            _("Alleen gastgezinnen en steungezinnen met een eigen account krijgen uitbetaald.")
        )
    if not stay_completed(booking):
        raise PayoutRefused(_("Je kunt pas uitbetalen als het verblijf voorbij is."))
    return booking.offer.host_user_id


def allowance_used(host_id: int, on: date, *, exclude: Payout | None = None) -> tuple[int, int]:
    """Cents counted towards the host's allowance in the month and the year of ``on``."""
    qs = Payout.objects.filter(host_id=host_id, status__in=Payout.COUNTING, period__year=on.year)
    if exclude is not None:
        qs = qs.exclude(pk=exclude.pk)
    year_total = qs.aggregate(s=Sum("amount_cents"))["s"] or 0
    month_total = qs.filter(period__month=on.month).aggregate(s=Sum("amount_cents"))["s"] or 0
    return month_total, year_total


def _check_allowance(host_id: int, q: Quote, on: date, *, exclude: Payout | None) -> None:
    cap = conf.cap_for(on.year)
    if cap is None:
        raise PayoutRefused(
            _(
                "Voor %(year)s staat de vrijwilligersvergoeding nog niet in de instellingen; "
                "uitbetalen kan nog niet."
            )
            % {"year": on.year}
        )
    if q.unit == Unit.HOUR and q.rate_cents > cap.hour:
        raise PayoutRefused(
            _("Het uurtarief van %(rate)s is hoger dan de vrijwilligersvergoeding van %(cap)s per uur.")
            % {"rate": euros(q.rate_cents), "cap": euros(cap.hour)},
            "unit",
        )
    month_total, year_total = allowance_used(host_id, on, exclude=exclude)
    if month_total + q.amount_cents > cap.month:
        raise PayoutRefused(
            _(
                "Dit bedrag (%(amount)s) gaat boven de vrijwilligersvergoeding van %(cap)s per maand: "
                "dit gastgezin kreeg deze maand al %(used)s, er kan nog %(left)s bij."
            )
            % {
                "amount": euros(q.amount_cents),
                "cap": euros(cap.month),
                "used": euros(month_total),
                "left": euros(max(cap.month - month_total, 0)),
            },
            "quantity",
        )
    if year_total + q.amount_cents > cap.year_total:
        raise PayoutRefused(
            _(
                "Dit bedrag (%(amount)s) gaat boven de vrijwilligersvergoeding van %(cap)s per jaar: "
                "dit gastgezin kreeg dit jaar al %(used)s, er kan nog %(left)s bij."
            )
            % {
                "amount": euros(q.amount_cents),
                "cap": euros(cap.year_total),
                "used": euros(year_total),
                "left": euros(max(cap.year_total - year_total, 0)),
            },
            "quantity",
        )


# ---------------------------------------------------------------- the transfer


def send_transfer(payout_id: int) -> Payout:
    """Create (or, after a lost answer, find again) the payout's Stripe transfer."""
    payout = Payout.objects.select_related("account").get(pk=payout_id)
    if payout.status != Payout.Status.PENDING:
        return payout
    Payout.objects.filter(pk=payout.pk).update(attempts=payout.attempts + 1)
    try:
        transfer_id = gateway.create_transfer(
            amount_cents=payout.amount_cents,
            destination=payout.account.stripe_account_id,
            idempotency_key=payout.idempotency_key,
            metadata={"payout": str(payout.pk), "booking": payout.booking_reference},
        )
    except gateway.GatewayError as exc:
        reason = str(exc)[:300]
        if exc.definitive:
            _fail(payout, code=exc.code, reason=reason)
        else:  # not reached or no answer: stays pending, the retry job sends the same key
            Payout.objects.filter(pk=payout.pk).update(failure_reason=reason)
        log.warning(
            "payout transfer failed",
            extra={"payout": payout.pk, "definitive": exc.definitive, "code": exc.code},
        )
        payout.refresh_from_db()
        return payout
    _mark_paid(payout.pk, transfer_id)
    payout.refresh_from_db()
    return payout


@retry_on_conflict
def _fail(payout: Payout, *, code: str, reason: str) -> None:
    """Stripe refused the transfer: FAILED, the refusal kept with its key, and (for a cause that
    goes away by itself, see ``failures``) when the periodic job may try again."""
    now = timezone.now()
    retry_after = _next_retry(payout.auto_retries, now) if failures.retried_automatically(code) else None
    changed = Payout.objects.filter(
        pk=payout.pk, status=Payout.Status.PENDING, idempotency_key=payout.idempotency_key
    ).update(
        status=Payout.Status.FAILED,
        failure_reason=reason,
        failure_code=code,
        failed_at=now,
        retry_after=retry_after,
    )
    if changed:
        PayoutFailure.objects.create(
            payout=payout, idempotency_key=payout.idempotency_key, code=code, reason=reason, failed_at=now
        )


def _next_retry(auto_retries: int, now: datetime) -> datetime | None:
    if auto_retries >= failures.MAX_AUTO_RETRIES:
        return None
    return now + failures.backoff(auto_retries)


@retry_on_conflict
def _mark_paid(payout_id: int, transfer_id: str) -> bool:
    """PENDING to PAID once (the job and a webhook may both see the transfer); a retried payout
    tells the host in the inbox that the money is on its way after all."""
    changed = Payout.objects.filter(pk=payout_id, status=Payout.Status.PENDING).update(
        status=Payout.Status.PAID,
        stripe_transfer_id=transfer_id,
        paid_at=timezone.now(),
        failure_reason="",
        retry_after=None,
    )
    if not changed:
        return False
    payout = Payout.objects.select_related("host").get(pk=payout_id)
    if payout.retried_at is not None:
        inbox.notify(
            payout.host,
            kind="booking",  # inbox.KINDS has no payout kind; a payout is for a stay
            title=_("Je vergoeding van %(amount)s is alsnog overgemaakt")
            % {"amount": euros(payout.amount_cents)},
            body=_(
                "Een eerdere overboeking voor je opvang (%(ref)s) lukte niet. Thuisnet heeft het "
                "bedrag nu alsnog via Stripe naar je overgemaakt."
            )
            % {"ref": payout.booking_reference},
            url=reverse("payouts:overview"),
        )
    return True


def retry_pending(now: datetime | None = None) -> int:
    """Send again the transfers still pending (same idempotency key), within Stripe's key window."""
    now = now or timezone.now()
    ids = list(
        Payout.objects.filter(
            status=Payout.Status.PENDING,
            key_issued_at__gte=now - RETRY_WINDOW,
            key_issued_at__lte=now - timedelta(minutes=2),
        ).values_list("pk", flat=True)
    )
    return sum(1 for pk in ids if send_transfer(pk).status == Payout.Status.PAID)


# ---------------------------------------------------------------- retrying a failed payout


def retry_failed(payout: Payout, *, by) -> Payout:
    """Provider staff send a FAILED payout again once its cause may be fixed.

    A new idempotency key (Stripe would replay the refusal under the old one; the old key stays
    in ``payout.failures``), the host's account must be enabled and the volunteer allowance must
    still allow the amount. Two clicks at once pay once: the second finds the payout no longer
    failed. Raises ``PayoutRefused`` (Dutch) when it may not be sent again.
    """
    from . import retries

    require(by, "payouts.retry_payout", payout)
    retries.reopen(payout.pk, by=by, how=PayoutFailure.Retry.MANUAL)
    return send_transfer(payout.pk)


def _close_failures(payout: Payout, *, by, how: str, old_key: str) -> None:
    PayoutFailure.objects.filter(payout=payout, retried_at__isnull=True).update(
        retried_at=payout.retried_at, retried_by=by, retry=how, new_idempotency_key=payout.idempotency_key
    )
    audit.record(
        by,
        "payouts.retry",
        "payouts.payout",
        payout.pk,
        how=how,
        old_idempotency_key=old_key,
        new_idempotency_key=payout.idempotency_key,
    )


def retry_failed_automatically(now: datetime | None = None) -> int:
    """The periodic job: failed payouts whose cause may have gone and whose back-off is over
    (``failures``), sent again under a new key; the number paid."""
    from . import retries

    return retries.retry_due(now or timezone.now())


# ---------------------------------------------------------------- webhooks


def handle_event(event: dict) -> bool:
    """Apply a verified Stripe event once; False when it was seen before."""
    obj = event.get("object") or {}
    _row, created = WebhookEvent.objects.get_or_create(
        event_id=event["id"], defaults={"type": event["type"], "object_id": str(obj.get("id", ""))[:80]}
    )
    if not created:
        return False
    kind = event["type"]
    if kind == "account.updated":
        account = ConnectedAccount.objects.filter(stripe_account_id=obj.get("id", "")).first()
        if account is not None:
            _apply_state(account, obj)
    elif kind == "transfer.reversed" or (kind == "transfer.updated" and obj.get("reversed")):
        Payout.objects.filter(stripe_transfer_id=obj.get("id", "")).update(status=Payout.Status.REVERSED)
    elif kind == "transfer.created":
        payout_pk = str((obj.get("metadata") or {}).get("payout", ""))
        if payout_pk.isdigit():
            _mark_paid(int(payout_pk), obj.get("id", ""))
    return True


# ---------------------------------------------------------------- rate card


def add_rate(region, *, unit: str, valid_from: date, amount_cents: int) -> RateCard:
    """A new rate for ``unit`` from ``valid_from`` on; earlier payouts keep their own rate."""
    return RateCard.objects.create(region=region, unit=unit, valid_from=valid_from, amount_cents=amount_cents)
