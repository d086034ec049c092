"""Availability (django-scheduler patterns, blocked dates) and the ledger resync."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from thuisnet.core.pagecache import invalidate

from ..models import (
    PART_HOURS,
    AvailabilityPattern,
    BlockedDate,
    Booking,
    BookingSlot,
    Offer,
    Slot,
)
from .base import AMS, HORIZON_DAYS, CapacityConflict, RespiteError, local_dt


def _calendar():
    from schedule.models import Calendar

    cal, _created = Calendar.objects.get_or_create(slug="respijt", defaults={"name": "Respijtopvang"})
    return cal


def _rule(repeat: str):
    from schedule.models import Rule

    spec = {
        AvailabilityPattern.Repeat.DAILY: ("Respijt dagelijks", "DAILY", ""),
        AvailabilityPattern.Repeat.WEEKLY: ("Respijt wekelijks", "WEEKLY", ""),
        AvailabilityPattern.Repeat.FORTNIGHTLY: ("Respijt om de week", "WEEKLY", "interval:2"),
    }.get(repeat)
    if spec is None:
        return None
    rule, _created = Rule.objects.get_or_create(
        name=spec[0], defaults={"frequency": spec[1], "params": spec[2], "description": spec[0]}
    )
    return rule


def add_pattern(
    offer: Offer, *, start: datetime, end: datetime, repeat: str, until: date | None = None, user=None
) -> AvailabilityPattern:
    """Add availability, e.g. every other Friday 17:00 to Sunday 17:00, then resync the ledger."""
    from schedule.models import Event

    if end <= start:
        raise RespiteError("invalid_period", _("Het einde moet na het begin liggen."))
    with transaction.atomic():
        event = Event.objects.create(
            start=start,
            end=end,
            title=f"Beschikbaar: {offer.title}"[:255],
            calendar=_calendar(),
            rule=_rule(repeat),
            creator=user if getattr(user, "is_authenticated", False) else None,
            end_recurring_period=local_dt(until, time(23, 59)) if until and repeat != "once" else None,
        )
        pattern = AvailabilityPattern.objects.create(
            offer=offer, event=event, repeat=repeat, created_by=event.creator
        )
        resync(offer)
    return pattern


def remove_pattern(pattern: AvailabilityPattern) -> None:
    with transaction.atomic():
        offer = pattern.offer
        event = pattern.event
        pattern.delete()
        event.delete()
        resync(offer)


def block_date(offer: Offer, day: date, reason: str = "") -> BlockedDate:
    return block_dates(offer, day, day, reason)[0]


def block_dates(offer: Offer, first: date, last: date, reason: str = "") -> list[BlockedDate]:
    """Block every day from ``first`` to ``last``: all of them, or none if a booking is in the way."""
    with transaction.atomic():
        blocked = []
        day = first
        while day <= last:
            blocked.append(
                BlockedDate.objects.get_or_create(offer=offer, day=day, defaults={"reason": reason})[0]
            )
            day += timedelta(days=1)
        resync(offer)
    return blocked


def unblock_date(blocked: BlockedDate) -> None:
    with transaction.atomic():
        offer = blocked.offer
        blocked.delete()
        resync(offer)


def covered_slots(offer: Offer, first: date, last: date) -> set[tuple[date, str]]:
    """(day, part) pairs the offer's availability covers between ``first`` and ``last``."""
    covered: set[tuple[date, str]] = set()
    window_start = local_dt(first - timedelta(days=1), time(0))
    window_end = local_dt(last + timedelta(days=2), time(0))
    blocked = set(offer.blocked_dates.filter(day__range=(first, last)).values_list("day", flat=True))
    for pattern in offer.patterns.select_related("event", "event__rule"):
        for occ in pattern.event.get_occurrences(window_start, window_end):
            if occ.cancelled:
                continue
            o_start, o_end = occ.start.astimezone(AMS), occ.end.astimezone(AMS)
            day = max(o_start.date() - timedelta(days=1), first)
            while day <= min(o_end.date(), last):
                for part in offer.parts:
                    (h1, m1), (plus, h2) = PART_HOURS[part]
                    p_start = local_dt(day, time(h1, m1))
                    p_end = local_dt(day + timedelta(days=plus), time(h2))
                    if o_start <= p_start and p_end <= o_end:
                        covered.add((day, part))
                day += timedelta(days=1)
    return {(d, p) for d, p in covered if d not in blocked}


def resync(offer: Offer, *, capacity: int | None = None, today: date | None = None) -> None:
    """Bring the ledger in line with the offer's capacity and availability.

    Locks the offer, then every ledger row from today on in (day, part) order. Refuses with
    ``CapacityConflict`` (changing nothing) when a row would hold more than its new capacity.
    """
    today = today or timezone.localdate()
    last = today + timedelta(days=HORIZON_DAYS)
    with transaction.atomic():
        # NO KEY UPDATE: serialises resyncs without blocking bookings, whose INSERT takes a KEY SHARE
        # lock on the offer row (a plain FOR UPDATE here deadlocks with them).
        locked = Offer.objects.select_for_update(no_key=True).get(pk=offer.pk)
        cap = locked.capacity if capacity is None else capacity
        want = dict.fromkeys(covered_slots(locked, today, last), cap)
        rows = list(
            Slot.objects.select_for_update().filter(offer=locked, day__gte=today).order_by("day", "part")
        )
        in_the_way: set[int] = set()
        changed = []
        for row in rows:
            new = want.pop((row.day, row.part), 0)
            if row.held > new:
                in_the_way.update(
                    BookingSlot.objects.filter(slot=row, booking__status__in=Booking.HOLDING).values_list(
                        "booking_id", flat=True
                    )
                )
            elif row.capacity != new:
                if row.capacity == 0 and new > 0:
                    row.opened_on = today  # opened (again): the members-first window starts
                row.capacity = new
                changed.append(row)
        if in_the_way:
            raise CapacityConflict(list(Booking.objects.filter(pk__in=in_the_way).order_by("start", "pk")))
        Slot.objects.bulk_update(changed, ["capacity", "opened_on"], batch_size=500)
        Slot.objects.bulk_create(
            [
                Slot(offer=locked, day=d, part=p, capacity=c, held=0, opened_on=today if c else None)
                for (d, p), c in sorted(want.items())
            ],
            batch_size=1000,
            ignore_conflicts=True,
        )
        if capacity is not None and capacity != locked.capacity:
            Offer.objects.filter(pk=locked.pk).update(capacity=capacity)
            offer.capacity = capacity
    invalidate("respite")  # capacity or availability shown on the public offers
