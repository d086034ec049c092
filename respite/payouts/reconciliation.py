"""Monthly reconciliation: Thuisnet's payout ledger against Stripe's transfers.

Reached through ``services.reconcile`` (re-exported there, the app's one way to change state);
it lives here to keep ``services`` readable.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.utils.translation import gettext_lazy

from . import gateway
from .models import Payout, ReconciliationRun

AMSTERDAM = ZoneInfo("Europe/Amsterdam")


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
