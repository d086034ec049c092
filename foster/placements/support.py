"""Support in the first year, linked through the provider's own households (issue 17, item 5).

A placement may name one of its provider's households (``Placement.household``). Its
``carer_supported`` ("gezin ondersteund door mentor of respijt in het eerste jaar") then
follows from what Thuisnet knows about that household:

- **yes** when, in the placement's first year (from the start to 365 days later, or to its
  end if it ended sooner) and up to the as-of day, the household had a mentor (a matching
  pairing both sides accepted, until it ended) or an accepted respite stay;
- **no** when that first year is over without either, and the provider recorded nothing;
- otherwise the provider's own answer stays (a "yes" the provider recorded is never
  overwritten: support outside Thuisnet counts too), or it stays unknown while the first year
  is still running.

Only counts leave this module (the dashboard's split); no household is ever shown or scored.
The two reads of other apps are read-only and kept in one function each, so they can move to
those apps' selectors (``matching.pairings`` and ``respite.selectors``) unchanged.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone

from .models import Placement

FIRST_YEAR_DAYS = 365


def mentor_periods(household_ids: Iterable[int]) -> dict[int, list[tuple[date, date | None]]]:
    """Per household: the periods it had a mentor (from the day both sides accepted the
    pairing to the day it ended, open while it runs). Read-only query of matching."""
    from matching.models import Pairing

    rows = Pairing.objects.filter(
        mentee__household_id__in=list(household_ids),
        status__in=(Pairing.Status.TRIAL, Pairing.Status.ACTIVE, Pairing.Status.ENDED),
        mentor_accepted_at__isnull=False,
        mentee_accepted_at__isnull=False,
    ).values_list("mentee__household_id", "mentor_accepted_at", "mentee_accepted_at", "ended_at")
    out: dict[int, list[tuple[date, date | None]]] = defaultdict(list)
    for household_id, mentor_at, mentee_at, ended_at in rows:
        began = timezone.localdate(max(mentor_at, mentee_at))
        out[household_id].append((began, timezone.localdate(ended_at) if ended_at else None))
    return out


def respite_stays(household_ids: Iterable[int]) -> dict[int, list[tuple[date, date]]]:
    """Per household: its accepted respite stays (first and last day). Read-only query of
    respite."""
    from respite.models import Booking

    rows = Booking.objects.filter(
        household_id__in=list(household_ids), status=Booking.Status.ACCEPTED
    ).values_list("household_id", "start", "end")
    out: dict[int, list[tuple[date, date]]] = defaultdict(list)
    for household_id, start, end in rows:
        out[household_id].append((start, end))
    return out


def first_year(start: date, end: date | None, as_of: date) -> tuple[date, date, bool]:
    """(first day, last day known so far, whether the first year is complete)."""
    last = start + timedelta(days=FIRST_YEAR_DAYS - 1)
    if end is not None and end < last:
        last = end
    return start, min(last, as_of), as_of >= last


def _overlaps(a: date, b: date | None, first: date, last: date) -> bool:
    return a <= last and (b is None or b >= first)


def supported(
    start: date,
    end: date | None,
    recorded: bool | None,
    as_of: date,
    mentors: list[tuple[date, date | None]],
    stays: list[tuple[date, date]],
) -> bool | None:
    """The value of ``carer_supported`` for one placement of a linked household."""
    first, last, complete = first_year(start, end, as_of)
    if last >= first and (
        any(_overlaps(a, b, first, last) for a, b in mentors)
        or any(_overlaps(a, b, first, last) for a, b in stays)
    ):
        return True
    if recorded is not None:
        return recorded
    return False if complete else None


def link_support(placements=None, *, as_of: date | None = None) -> int:
    """Set ``carer_supported`` of every placement with a household (or of ``placements``, a
    queryset) from the households' mentors and respite stays; returns how many changed.
    Three queries however many placements; the changed rows in one bulk update."""
    as_of = as_of or timezone.localdate()
    qs = (placements if placements is not None else Placement.objects.all()).filter(household__isnull=False)
    rows = list(
        qs.order_by("pk").values_list(
            "pk", "household_id", "start_date", "end_date", "carer_supported", "region_id"
        )
    )
    if not rows:
        return 0
    households = {r[1] for r in rows}
    mentors, stays = mentor_periods(households), respite_stays(households)
    changed, regions = {}, set()
    for pk, household_id, start, end, recorded, region_id in rows:
        value = supported(
            start, end, recorded, as_of, mentors.get(household_id, []), stays.get(household_id, [])
        )
        if value != recorded:
            changed[pk] = value
            regions.add(region_id)
    if changed:
        with transaction.atomic():
            locked = list(Placement.objects.select_for_update().filter(pk__in=changed).order_by("pk"))
            for p in locked:
                p.carer_supported = changed[p.pk]
            Placement.objects.bulk_update(locked, ["carer_supported"], batch_size=1000)
        from .dashboard import data_changed

        for region_id in regions:  # bulk writes send no signals: tell the dashboard cache
            data_changed(region_id)
    return len(changed)
