"""The only way to change payout state: onboarding, confirming a stay, sending the transfer,
webhook events and the monthly reconciliation.

Locks (add to the order in ``thuisnet.core.db``): payouts lock only the host's
``ConnectedAccount`` row, which serialises the allowance check of one host; they take no
respite lock (bookings are read, never changed).

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
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from respite.models import Booking, Kind, Part
from thuisnet.core.db import retry_on_conflict

from . import conf, gateway
from .models import ConnectedAccount, Payout, RateCard, ReconciliationRun, Unit, WebhookEvent, format_euros

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
    existing = Payout.objects.filter(booking_id=booking.pk).first()
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
        "idempotency_key": f"thuisnet-payout-{uuid.uuid4().hex}",
        "stripe_transfer_id": "",
        "failure_reason": "",
        "confirmed_by": by,
    }
    if existing is not None:  # a failed transfer, confirmed again: a new key, a new attempt
        for name, value in values.items():
            setattr(existing, name, value)
        existing.save()
        return existing
    return Payout.objects.create(booking=booking, **values)


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
            Payout.objects.filter(pk=payout.pk, status=Payout.Status.PENDING).update(
                status=Payout.Status.FAILED, failure_reason=reason
            )
        else:  # not reached or no answer: stays pending, the retry job sends the same key
            Payout.objects.filter(pk=payout.pk).update(failure_reason=reason)
        log.warning("payout transfer failed", extra={"payout": payout.pk, "definitive": exc.definitive})
        payout.refresh_from_db()
        return payout
    Payout.objects.filter(pk=payout.pk, status=Payout.Status.PENDING).update(
        status=Payout.Status.PAID, stripe_transfer_id=transfer_id, paid_at=timezone.now(), failure_reason=""
    )
    payout.refresh_from_db()
    return payout


def retry_pending(now: datetime | None = None) -> int:
    """Send again the transfers still pending (same idempotency key), within Stripe's key window."""
    now = now or timezone.now()
    ids = list(
        Payout.objects.filter(
            status=Payout.Status.PENDING,
            created_at__gte=now - RETRY_WINDOW,
            created_at__lte=now - timedelta(minutes=2),
        ).values_list("pk", flat=True)
    )
    return sum(1 for pk in ids if send_transfer(pk).status == Payout.Status.PAID)


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
            Payout.objects.filter(pk=int(payout_pk), status=Payout.Status.PENDING).update(
                status=Payout.Status.PAID, stripe_transfer_id=obj.get("id", ""), paid_at=timezone.now()
            )
    return True


# ---------------------------------------------------------------- reconciliation


def _month_bounds(month: date) -> tuple[datetime, datetime]:
    first = month.replace(day=1)
    nxt = (first + timedelta(days=32)).replace(day=1)
    start = datetime(first.year, first.month, 1, tzinfo=AMSTERDAM)
    end = datetime(nxt.year, nxt.month, 1, tzinfo=AMSTERDAM)
    return start, end


def reconcile(month: date) -> ReconciliationRun:
    """Compare the ledger's transfers of ``month`` with Stripe's and store the differences.

    A transfer counts in the month Stripe created it; the ledger side counts payouts paid in
    the month. Stripe is read a day either side, so a transfer made a second before midnight
    and booked a second after it is matched, not reported.
    """
    month = month.replace(day=1)
    start, end = _month_bounds(month)
    margin = timedelta(days=1)
    try:
        stripe_rows = {
            t["id"]: t
            for t in gateway.transfers_between(
                int((start - margin).timestamp()), int((end + margin).timestamp())
            )
        }
    except gateway.GatewayError as exc:
        return ReconciliationRun.objects.create(
            month=month, status=ReconciliationRun.Status.ERROR, error=str(exc)[:300]
        )
    in_month = {tid for tid, t in stripe_rows.items() if start.timestamp() <= t["created"] < end.timestamp()}
    ledger_month = Payout.objects.filter(paid_at__gte=start, paid_at__lt=end).exclude(stripe_transfer_id="")
    ids = in_month | set(ledger_month.values_list("stripe_transfer_id", flat=True))
    ledger = {p.stripe_transfer_id: p for p in Payout.objects.filter(stripe_transfer_id__in=ids)}
    pending = {
        str(p.pk): p
        for p in Payout.objects.filter(
            status=Payout.Status.PENDING, created_at__lt=end, created_at__gte=start - margin
        )
    }
    differences = []
    for tid in sorted(ids):
        t, p = stripe_rows.get(tid), ledger.get(tid)
        if p is None:
            meta_pk = str(t["metadata"].get("payout", "")) if t else ""
            if meta_pk in pending:
                differences.append(_diff("pending_but_transferred", pending[meta_pk], t))
            else:
                differences.append(_diff("unknown_transfer", None, t))
        elif t is None:
            differences.append(_diff("missing_in_stripe", p, None))
        elif t["amount"] != p.amount_cents:
            differences.append(_diff("amount_differs", p, t))
        elif t["amount_reversed"] and p.status != Payout.Status.REVERSED:
            differences.append(_diff("reversed_in_stripe", p, t))
    ledger_rows = [ledger[i] for i in ids if i in ledger]
    stripe_month = [stripe_rows[i] for i in in_month]
    return ReconciliationRun.objects.create(
        month=month,
        status=ReconciliationRun.Status.DIFFERENCES if differences else ReconciliationRun.Status.OK,
        ledger_count=len(ledger_rows),
        ledger_cents=sum(p.amount_cents for p in ledger_rows),
        stripe_count=len(stripe_month),
        stripe_cents=sum(t["amount"] for t in stripe_month),
        differences=differences,
    )


DIFFERENCE_LABELS = {
    "unknown_transfer": gettext_lazy("transfer in Stripe die Thuisnet niet kent"),
    "missing_in_stripe": gettext_lazy("uitbetaling die Stripe niet kent"),
    "amount_differs": gettext_lazy("bedrag verschilt"),
    "reversed_in_stripe": gettext_lazy("in Stripe teruggedraaid"),
    "pending_but_transferred": gettext_lazy("in Thuisnet nog onderweg, in Stripe overgemaakt"),
}


def _diff(kind: str, payout: Payout | None, transfer: dict | None) -> dict:
    return {
        "kind": kind,
        "payout": payout.pk if payout else None,
        "booking": payout.booking_reference
        if payout
        else (transfer or {}).get("metadata", {}).get("booking", ""),
        "transfer": (transfer or {}).get("id") or (payout.stripe_transfer_id if payout else ""),
        "ledger_cents": payout.amount_cents if payout else None,
        "stripe_cents": transfer["amount"] if transfer else None,
    }


# ---------------------------------------------------------------- rate card


def add_rate(region, *, unit: str, valid_from: date, amount_cents: int) -> RateCard:
    """A new rate for ``unit`` from ``valid_from`` on; earlier payouts keep their own rate."""
    return RateCard.objects.create(region=region, unit=unit, valid_from=valid_from, amount_cents=amount_cents)
