"""The region: working agreements and the demand report."""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from django.utils.translation import gettext as _

from thuisnet.accounts.models import Organisation
from thuisnet.core import disclosure

from ..models import (
    Booking,
    BookingSlot,
    Kind,
    Slot,
    UnmetDemand,
    WorkingAgreement,
)
from .base import RespiteError


def save_agreement(region, **values) -> WorkingAgreement:
    agreement = WorkingAgreement.for_region(region.pk)
    for k, v in values.items():
        setattr(agreement, k, v)
    if agreement.emergency_share > 100:
        raise RespiteError("invalid_share", _("Het deel voor crisisopvang is een percentage van 0 tot 100."))
    agreement.save()
    return agreement


def _shown(text: str) -> int | str:
    """Display strings from the disclosure module, with plain counts back as numbers."""
    return int(text) if text.isdigit() else text


def _week(day: date) -> str:
    y, w, _d = day.isocalendar()
    return f"{y}-W{w:02d}"


def demand_report(region, first: date, last: date) -> dict:
    """Per ISO week, municipality and kind: capacity, requested, booked nights and unmet demand."""
    cells: dict[tuple, dict] = defaultdict(lambda: {"capacity": 0, "requested": 0, "booked": 0, "unmet": 0})
    slots = Slot.objects.filter(offer__municipality__region=region, day__range=(first, last))
    for day, muni, kind, cap in slots.values_list(
        "day", "offer__municipality__name", "offer__kind", "capacity"
    ):
        cells[(_week(day), muni, kind)]["capacity"] += cap
    held = BookingSlot.objects.filter(
        slot__offer__municipality__region=region, slot__day__range=(first, last)
    )
    for day, muni, kind, status in held.values_list(
        "slot__day", "slot__offer__municipality__name", "slot__offer__kind", "booking__status"
    ):
        cell = cells[(_week(day), muni, kind)]
        cell["requested"] += 1
        if status == Booking.Status.ACCEPTED:
            cell["booked"] += 1
    unmet = UnmetDemand.objects.filter(region=region, start__range=(first, last))
    for start, muni, kind, units in unmet.values_list("start", "municipality__name", "kind", "units"):
        cells[(_week(start), muni or "", kind)]["unmet"] += units
    kinds = dict(Kind.choices)
    keys = sorted(cells, key=lambda k: (k[0], k[1] or "", k[2]))
    # Each measure is a column of counts with its total on the page: protect them together
    # (primary and secondary suppression) so no hidden cell follows from the total.
    shown = {m: disclosure.series([cells[k][m] for k in keys]) for m in ("requested", "booked", "unmet")}
    rows = []
    for i, (week, muni, kind) in enumerate(keys):
        rows.append(
            {
                "week": week,
                "municipality": muni or _("onbekend"),
                "kind": kind,
                "kind_label": str(kinds.get(kind, _("alle soorten"))),
                "capacity": cells[(week, muni, kind)]["capacity"],
                "requested": _shown(shown["requested"].cells[i]),
                "booked": _shown(shown["booked"].cells[i]),
                "unmet": _shown(shown["unmet"].cells[i]),
            }
        )
    per_provider = defaultdict(lambda: [0, 0])
    for pid, cap, hld in slots.values_list("offer__provider_id", "capacity", "held"):
        per_provider[pid][0] += cap
        per_provider[pid][1] += hld
    names = dict(Organisation.objects.filter(pk__in=per_provider).values_list("pk", "name"))
    order = sorted(per_provider, key=lambda pid: names.get(pid, ""))
    # The sum of the holds may equal a published total (all requests accepted): protect the
    # providers' column as if that sum were shown. A percentage of a hidden count is not shown.
    held_shown = disclosure.series([per_provider[pid][1] for pid in order])
    providers = []
    for i, pid in enumerate(order):
        cap, hld = per_provider[pid]
        providers.append(
            {
                "provider": names.get(pid, "?"),
                "capacity": cap,
                "held": _shown(held_shown.cells[i]),
                "occupancy": (
                    round(100 * hld / cap)
                    if disclosure.may_show_share(hld, cap, hidden=held_shown.hidden(i))
                    else None
                ),
            }
        )
    totals = {
        "capacity": sum(r["capacity"] for r in rows),
        "requested": _shown(shown["requested"].total),
        "booked": _shown(shown["booked"].total),
        "unmet": _shown(shown["unmet"].total),
    }
    return {"rows": rows, "providers": providers, "totals": totals, "first": first, "last": last}
