"""Everything that changes respite state goes through here.

The capacity guarantee: a booking holds one unit on every ledger row (``Slot``) it covers.
``request_booking`` locks those rows with ``select_for_update`` in (day, part) order, checks
``held + 1 <= capacity`` (minus the emergency reserve) and raises ``held`` in the same
transaction. Changing capacity or availability (``resync``) locks the offer, then the same rows
in the same order, and refuses when a row would drop below what is held. The CHECK constraint
``held <= capacity`` is the last line of defence on SQLite and PostgreSQL alike.

Lock order (the project-wide order is in ``thuisnet.core.db``): the child (an advisory lock,
requests only) → the one booking being changed → the offer (``FOR NO KEY UPDATE``, only when
capacity or availability changes) → its ``Slot`` rows in (day, part) order. Locks on joined
queries use ``of=("self",)``: locking the offer along with a booking deadlocked with requests,
whose INSERT needs a KEY SHARE lock on the offer while they hold the slots. The public entries
that change bookings run their transaction through ``retry_on_conflict``.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from thuisnet.accounts.models import Membership, Municipality, Organisation
from thuisnet.core import disclosure, geo
from thuisnet.core.db import advisory_xact_lock, retry_on_conflict
from thuisnet.core.ics import IcsEvent, ics_attachment
from thuisnet.core.mail import queue_templated
from thuisnet.core.pii import explain, find_identifiers

from .models import (
    PART_HOURS,
    AvailabilityPattern,
    BlockedDate,
    Booking,
    BookingSlot,
    Kind,
    Need,
    Offer,
    Part,
    Slot,
    UnmetDemand,
    WorkingAgreement,
    age_band,
)

log = logging.getLogger(__name__)
AMS = ZoneInfo("Europe/Amsterdam")
HORIZON_DAYS = 400  # ledger rows are kept this far ahead; bookings may be made 365 days ahead
BOOKING_HORIZON_DAYS = 365
CHILD_VISIBLE_DAYS = 30
SMALL_CELL = disclosure.THRESHOLD  # counts 1..9 are hidden (thuisnet.core.disclosure)
# When a stay starts and ends, for calendars and cut-offs (local time).
NIGHT_START, NIGHT_END = time(17, 0), time(11, 0)
PART_TIMES = {
    Part.MORNING: (time(8, 0), time(12, 0)),
    Part.AFTERNOON: (time(13, 0), time(17, 0)),
    Part.EVENING: (time(18, 0), time(21, 0)),
}


class RespiteError(Exception):
    """A refusal with a stable code and a Dutch message for the user."""

    status = 422

    def __init__(self, code: str, message: str, **extra) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.extra = extra


class NoCapacity(RespiteError):
    status = 409


class CapacityConflict(RespiteError):
    """Lowering capacity or availability below what is held: lists the bookings in the way."""

    status = 409

    def __init__(self, bookings: list[Booking]) -> None:
        self.bookings = bookings
        listing = ", ".join(
            f"#{b.pk} ({b.start:%d-%m-%Y}–{b.end:%d-%m-%Y}, {b.get_status_display()})" for b in bookings
        )
        super().__init__(
            "capacity_in_use",
            _(
                "Dit kan niet: op sommige nachten of dagdelen zijn meer plekken vastgehouden dan er "
                "dan over zijn. Deze aanvragen zitten in de weg: %(list)s. Annuleer of verplaats ze eerst."
            )
            % {"list": listing},
            bookings=[b.pk for b in bookings],
        )


# ---------------------------------------------------------------- availability (django-scheduler)


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


def local_dt(day: date, at: time) -> datetime:
    return datetime.combine(day, at, tzinfo=AMS)


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
                row.capacity = new
                changed.append(row)
        if in_the_way:
            raise CapacityConflict(list(Booking.objects.filter(pk__in=in_the_way).order_by("start", "pk")))
        Slot.objects.bulk_update(changed, ["capacity"], batch_size=500)
        Slot.objects.bulk_create(
            [Slot(offer=locked, day=d, part=p, capacity=c, held=0) for (d, p), c in sorted(want.items())],
            batch_size=1000,
            ignore_conflicts=True,
        )
        if capacity is not None and capacity != locked.capacity:
            Offer.objects.filter(pk=locked.pk).update(capacity=capacity)
            offer.capacity = capacity


# ---------------------------------------------------------------- offers

OFFER_FIELDS = (
    "kind",
    "title",
    "description",
    "municipality",
    "postcode",
    "age_min",
    "age_max",
    "handles",
    "min_notice_hours",
    "max_stay",
    "host_user",
    "is_active",
)


def _validate_offer(offer: Offer) -> None:
    pc4 = geo.normalise_pc4(offer.postcode)
    if not pc4:
        raise RespiteError("invalid_postcode", _("Vul een postcode van 4 cijfers in, bijvoorbeeld 7411."))
    offer.postcode = pc4
    if offer.age_min > offer.age_max:
        raise RespiteError("invalid_age_range", _("De leeftijd 'vanaf' moet kleiner zijn dan 'tot en met'."))
    unknown = set(offer.handles) - set(Need.values)
    if unknown:
        raise RespiteError(
            "invalid_needs", _("Onbekende aandachtspunten: %(n)s") % {"n": ", ".join(sorted(unknown))}
        )
    if offer.municipality.region_id not in offer.provider.region_ids():
        raise RespiteError(
            "invalid_municipality", _("Deze gemeente hoort niet bij de regio van de aanbieder.")
        )
    point = geo.centroid(pc4)
    offer.latitude, offer.longitude = point if point else (None, None)


def create_offer(provider: Organisation, *, capacity: int = 1, **fields) -> Offer:
    if capacity < 1:
        raise RespiteError("invalid_capacity", _("Een aanbod heeft minstens 1 plek."))
    offer = Offer(provider=provider, capacity=capacity, **fields)
    _validate_offer(offer)
    with transaction.atomic():
        offer.save()
        resync(offer)
    return offer


def update_offer(offer: Offer, *, capacity: int | None = None, **fields) -> Offer:
    """Change an offer. Lowering capacity below what is held raises CapacityConflict."""
    if capacity is not None and capacity < 1:
        raise RespiteError("invalid_capacity", _("Een aanbod heeft minstens 1 plek."))
    for name, value in fields.items():
        if name not in OFFER_FIELDS:
            raise ValueError(name)
        setattr(offer, name, value)
    _validate_offer(offer)
    with transaction.atomic():
        Offer.objects.filter(pk=offer.pk).update(
            **{n: getattr(offer, n) for n in fields}, latitude=offer.latitude, longitude=offer.longitude
        )
        resync(offer, capacity=capacity)
    return offer


def set_capacity(offer: Offer, capacity: int) -> Offer:
    return update_offer(offer, capacity=capacity)


def delete_offer(offer: Offer) -> None:
    """Offers with bookings stay (history) but are hidden; others are deleted."""
    with transaction.atomic():
        # The lock order of resync: the offer, then its ledger rows in (day, part) order.
        Offer.objects.select_for_update(no_key=True).get(pk=offer.pk)
        list(
            Slot.objects.select_for_update()
            .filter(offer=offer, day__gte=timezone.localdate())
            .order_by("day", "part")
        )
        holding = offer.bookings.filter(status__in=Booking.HOLDING, end__gte=timezone.localdate())
        if holding.exists():
            raise CapacityConflict(list(holding.order_by("start")))
        if offer.bookings.exists():
            Offer.objects.filter(pk=offer.pk).update(is_active=False)
            Slot.objects.filter(offer=offer, day__gte=timezone.localdate(), held=0).update(capacity=0)
            return
        for pattern in list(offer.patterns.select_related("event")):
            pattern.event.delete()
        offer.delete()


def extend_ledgers() -> int:
    """Daily: keep every active offer's ledger HORIZON_DAYS ahead (idempotent)."""
    n = 0
    for offer in Offer.objects.filter(is_active=True):
        try:
            resync(offer)
            n += 1
        except CapacityConflict:
            log.warning("respite ledger conflict", extra={"offer": offer.pk})
    return n


# ---------------------------------------------------------------- search


@dataclass
class Hit:
    offer: Offer
    free: int  # the lowest free count over the requested nights or days (for the best part)
    parts: list[str] = field(default_factory=list)
    distance_km: float | None = None
    slots: list[dict] = field(default_factory=list)
    by_mentor: bool = False  # hosted by the searching family's own mentor (shown on top)


@dataclass
class Query:
    start: date
    end: date
    age: int | None = None
    kind: str = ""
    municipality: Municipality | None = None
    postcode: str = ""
    radius_km: float | None = None
    needs: list[str] = field(default_factory=list)
    emergency: bool = False


def query_days(q: Query, per_night: bool) -> list[date]:
    last = q.end - timedelta(days=1) if per_night and q.end > q.start else q.end
    return [q.start + timedelta(days=i) for i in range((last - q.start).days + 1)]


def _agreement_for(offer: Offer) -> WorkingAgreement:
    """The working agreement that governs an offer: its municipality's region's. A provider
    may serve several regions; each region's agreement applies to the offers inside it."""
    return WorkingAgreement.for_region(offer.municipality.region_id)


def search(q: Query, *, region_id: int | None = None, only_free: bool = True) -> list[Hit]:
    offers = Offer.objects.filter(is_active=True).select_related("provider", "municipality")
    if region_id:
        offers = offers.filter(municipality__region_id=region_id)
    if q.kind:
        offers = offers.filter(kind=q.kind)
    if q.age is not None:
        offers = offers.filter(age_min__lte=q.age, age_max__gte=q.age)
    origin = None
    if q.postcode and q.radius_km:
        origin = geo.centroid(q.postcode)
    elif q.municipality:
        offers = offers.filter(municipality=q.municipality)
    candidates = []
    for offer in offers:
        if q.needs and not set(q.needs) <= set(offer.handles):
            continue
        distance = None
        if origin:
            if offer.latitude is None:
                continue
            distance = geo.distance_km(origin, (offer.latitude, offer.longitude))
            if distance > q.radius_km:
                continue
        candidates.append((offer, distance))
    if not candidates:
        return []
    first, last = q.start, q.end
    rows = Slot.objects.filter(
        offer__in=[o.pk for o, _d in candidates], day__range=(first, last)
    ).values_list("offer_id", "day", "part", "capacity", "held")
    ledger: dict[int, dict[tuple[date, str], tuple[int, int]]] = defaultdict(dict)
    for offer_id, day, part, cap, held in rows:
        ledger[offer_id][(day, part)] = (cap, held)
    agreements: dict[int, WorkingAgreement] = {}
    hits = []
    for offer, distance in candidates:
        rid = offer.municipality.region_id  # the region the offer lies in
        if rid not in agreements:  # one query per region, not per offer
            agreements[rid] = WorkingAgreement.for_region(rid)
        agreement = agreements[rid]
        days = query_days(q, offer.per_night)
        best, best_parts, slots = -1, [], []
        for part in offer.parts:
            frees = []
            for day in days:
                cap, held = ledger[offer.pk].get((day, part), (0, 0))
                usable = cap if q.emergency else cap - agreement.reserved(cap)
                free = max(usable - held, 0)
                frees.append(free)
                slots.append({"date": day, "part": part, "capacity": cap, "held": held, "free": free})
            low = min(frees) if frees else 0
            if low > 0:
                best_parts.append(part)
            best = max(best, low)
        if only_free and best <= 0:
            continue
        hits.append(Hit(offer, max(best, 0), best_parts, distance, slots))
    hits.sort(key=lambda h: (h.distance_km if h.distance_km is not None else 0, h.offer.title))
    return hits


def record_empty_search(q: Query, region_id: int, *, dedupe: str = "") -> UnmetDemand | None:
    """An empty search is unmet demand (deduplicated per session and query)."""
    municipality = q.municipality
    if municipality is None and q.postcode:
        municipality = geo.municipality_for(q.postcode)
    if municipality is not None and municipality.region_id != region_id:
        # A postcode outside the searcher's region: count the demand for the region, but
        # never file it under another region's municipality.
        municipality = None
    units = max((q.end - q.start).days, 1)
    key = f"search:{dedupe}:{q.start}:{q.end}:{q.kind}:{q.age}"[:120] if dedupe else ""
    if key and UnmetDemand.objects.filter(dedupe_key=key).exists():
        return None
    return UnmetDemand.objects.create(
        region_id=region_id,
        source=UnmetDemand.Source.EMPTY_SEARCH,
        start=q.start,
        end=q.end,
        units=units,
        age_band=age_band(q.age),
        municipality=municipality,
        kind=q.kind,
        needs=list(q.needs),
        dedupe_key=key,
    )


def month_calendar(
    offer: Offer, year: int, month: int, *, emergency: bool = False
) -> list[list[dict | None]]:
    """Weeks (Monday first) of days with free/full state for the offer's month view."""
    import calendar as _cal

    agreement = _agreement_for(offer)
    first = date(year, month, 1)
    last = date(year, month, _cal.monthrange(year, month)[1])
    ledger = defaultdict(dict)
    for day, part, cap, held in Slot.objects.filter(offer=offer, day__range=(first, last)).values_list(
        "day", "part", "capacity", "held"
    ):
        ledger[day][part] = (cap, held)
    today = timezone.localdate()
    weeks = []
    for week in _cal.Calendar(firstweekday=0).monthdatescalendar(year, month):
        row = []
        for day in week:
            if day.month != month:
                row.append(None)
                continue
            parts = []
            for part in offer.parts:
                cap, held = ledger[day].get(part, (0, 0))
                usable = cap if emergency else cap - agreement.reserved(cap)
                parts.append(
                    {"part": part, "label": Part(part).label, "capacity": cap, "free": max(usable - held, 0)}
                )
            total_cap = sum(p["capacity"] for p in parts)
            free = sum(p["free"] for p in parts)
            state = "none" if total_cap == 0 or day < today else ("free" if free > 0 else "full")
            row.append({"date": day, "state": state, "free": free, "parts": parts})
        weeks.append(row)
    return weeks


# ---------------------------------------------------------------- bookings


def _check_text(label: str, text: str) -> None:
    findings = find_identifiers(text or "")
    if findings:
        raise RespiteError(
            "personal_data", _("%(label)s: %(why)s") % {"label": label, "why": explain(findings)}
        )


def _quarter(day: date) -> tuple[date, date]:
    q0 = (day.month - 1) // 3 * 3 + 1
    start = date(day.year, q0, 1)
    end = date(day.year + (q0 + 3 > 12), (q0 + 3 - 1) % 12 + 1, 1) - timedelta(days=1)
    return start, end


def stay_start(booking_or_offer, start: date, part: str) -> datetime:
    at = NIGHT_START if part == Part.NIGHT else PART_TIMES[Part(part)][0]
    return local_dt(start, at)


def stay_end(end: date, part: str) -> datetime:
    at = NIGHT_END if part == Part.NIGHT else PART_TIMES[Part(part)][1]
    return local_dt(end, at)


@dataclass
class Child:
    ref: str
    age: int
    needs: list[str] = field(default_factory=list)


def _validate_request(
    offer: Offer,
    household,
    start: date,
    end: date,
    part: str,
    child: Child,
    emergency: bool,
    notes: str,
    now: datetime,
) -> list[date]:
    if not offer.is_active:
        raise RespiteError("offer_inactive", _("Dit aanbod is niet meer beschikbaar."))
    if offer.per_night:
        part = Part.NIGHT
        if end <= start:
            raise RespiteError("invalid_dates", _("De vertrekdatum moet na de aankomstdatum liggen."))
    else:
        if part not in (Part.MORNING, Part.AFTERNOON, Part.EVENING):
            raise RespiteError("invalid_part", _("Kies een dagdeel: ochtend, middag of avond."))
        if end < start:
            raise RespiteError("invalid_dates", _("De laatste dag mag niet voor de eerste dag liggen."))
    ref = (child.ref or "").strip()
    if not ref:
        raise RespiteError(
            "invalid_child", _("Geef het kind een referentie die je zelf kiest, bijvoorbeeld 'K1'.")
        )
    _check_text(_("Referentie"), ref)
    _check_text(_("Toelichting"), notes)
    if child.age is None or not 0 <= child.age <= 17:
        raise RespiteError("invalid_age", _("Vul een leeftijd in van 0 tot en met 17 jaar."))
    unknown = set(child.needs) - set(Need.values)
    if unknown:
        raise RespiteError(
            "invalid_needs", _("Onbekende aandachtspunten: %(n)s") % {"n": ", ".join(sorted(unknown))}
        )
    if not offer.age_min <= child.age <= offer.age_max:
        raise RespiteError(
            "age_out_of_range",
            _("Dit aanbod is voor kinderen van %(a)s tot en met %(b)s jaar.")
            % {"a": offer.age_min, "b": offer.age_max},
        )
    missing = set(child.needs) - set(offer.handles)
    if missing:
        labels = dict(Need.choices)
        raise RespiteError(
            "needs_not_handled",
            _("Dit aanbod is niet ingericht op: %(n)s.")
            % {"n": ", ".join(str(labels[n]) for n in sorted(missing))},
        )
    days = Booking(start=start, end=end, part=part).days()
    if len(days) > offer.max_stay:
        raise RespiteError(
            "too_long",
            _("Dit aanbod kan maximaal %(n)s achter elkaar.")
            % {
                "n": _("%(n)s nachten") % {"n": offer.max_stay}
                if offer.per_night
                else _("%(n)s dagen") % {"n": offer.max_stay}
            },
        )
    begins = stay_start(offer, start, part)
    if begins < now:
        raise RespiteError("in_the_past", _("Deze datum is al voorbij."))
    if start > now.date() + timedelta(days=BOOKING_HORIZON_DAYS):
        raise RespiteError("too_far_ahead", _("Je kunt tot een jaar vooruit aanvragen."))
    agreement = _agreement_for(offer)
    if not emergency and begins < now + timedelta(hours=agreement.lead_time_hours):
        raise RespiteError(
            "lead_time",
            _(
                "Volgens de werkafspraken in de regio moet een aanvraag minstens "
                "%(h)s uur van tevoren binnen zijn. Gaat het om crisisopvang? "
                "Kies dan 'crisisopvang'."
            )
            % {"h": agreement.lead_time_hours},
        )
    if begins < now + timedelta(hours=offer.min_notice_hours) and not emergency:
        raise RespiteError(
            "min_notice",
            _("Deze aanbieder heeft minstens %(h)s uur van tevoren nodig.") % {"h": offer.min_notice_hours},
        )
    return days


def _check_quarter_limit(household, ref: str, days: list[date], part: str, agreement) -> None:
    """Maximum nights per child per quarter (day parts count as half a night).

    Runs inside the booking transaction, after ``_lock_child``: two requests for one child on
    different offers lock no common slot, and would otherwise both pass on the same count.
    """
    weight = 1.0 if part == Part.NIGHT else 0.5
    by_quarter: dict[date, float] = defaultdict(float)
    for d in days:
        by_quarter[_quarter(d)[0]] += weight
    for q_start, extra in by_quarter.items():
        q_end = _quarter(q_start)[1]
        used = 0.0
        others = Booking.objects.filter(
            household=household,
            child_ref__iexact=ref,
            status__in=Booking.HOLDING,
            start__lte=q_end,
            end__gte=q_start,
        )
        for other in others:
            w = 1.0 if other.part == Part.NIGHT else 0.5
            used += w * sum(1 for d in other.days() if q_start <= d <= q_end)
        if used + extra > agreement.max_nights_per_quarter:
            raise RespiteError(
                "quarter_limit",
                _(
                    "Volgens de werkafspraken mag een kind maximaal %(max)s nachten per kwartaal "
                    "respijtopvang krijgen. Voor %(ref)s staan er dit kwartaal al %(used)s; "
                    "deze aanvraag zou er %(total)s van maken."
                )
                % {
                    "max": agreement.max_nights_per_quarter,
                    "ref": ref,
                    "used": f"{used:g}",
                    "total": f"{used + extra:g}",
                },
            )


def request_booking(
    user,
    offer: Offer,
    *,
    start: date,
    end: date,
    child: Child,
    part: str = Part.NIGHT,
    emergency: bool = False,
    notes: str = "",
    now: datetime | None = None,
) -> Booking:
    """A parent asks for a stay. Holds the capacity at once, or raises NoCapacity."""
    now = now or timezone.now()
    household = user.household
    if offer.per_night:
        part = Part.NIGHT
    days = _validate_request(offer, household, start, end, part, child, emergency, notes, now)
    agreement = _agreement_for(offer)
    return _hold_and_book(
        user, offer, household, days, start, end, part, child, emergency, notes, now, agreement
    )


def _lock_child(household, ref: str) -> None:
    """Serialise requests for one child (first in the lock order): the quarter count needs it."""
    advisory_xact_lock("respite.child", household.pk, ref.strip().lower())


def _lock_slots(offer: Offer, days: list[date], part: str) -> list[Slot]:
    """Lock the ledger rows in a fixed order (day, part): concurrent requests queue here."""
    return list(
        Slot.objects.select_for_update().filter(offer=offer, day__in=days, part=part).order_by("day", "part")
    )


@retry_on_conflict
def _hold_and_book(
    user, offer, household, days, start, end, part, child, emergency, notes, now, agreement
) -> Booking:
    """One transaction: child lock, quarter limit, slot locks, capacity check, hold, booking."""
    ref = child.ref.strip()
    _lock_child(household, ref)
    _check_quarter_limit(household, ref, days, part, agreement)
    slots = _lock_slots(offer, days, part)
    by_day = {s.day: s for s in slots}
    full = []
    for d in days:
        slot = by_day.get(d)
        limit = (
            0
            if slot is None
            else (slot.capacity if emergency else slot.capacity - agreement.reserved(slot.capacity))
        )
        if slot is None or slot.held + 1 > limit:
            full.append(d)
    if full:
        reserved_only = all(
            by_day.get(d) is not None and by_day[d].held + 1 <= by_day[d].capacity for d in full
        )
        if reserved_only:
            raise NoCapacity(
                "reserved_for_emergency",
                _("De laatste plek op %(days)s is volgens de werkafspraken gereserveerd voor crisisopvang.")
                % {"days": ", ".join(f"{d:%d-%m-%Y}" for d in full)},
                days=[d.isoformat() for d in full],
            )
        raise NoCapacity(
            "no_capacity",
            _("Er is geen plek meer op %(days)s.") % {"days": ", ".join(f"{d:%d-%m-%Y}" for d in full)},
            days=[d.isoformat() for d in full],
        )
    updated = Slot.objects.filter(pk__in=[s.pk for s in slots]).update(held=F("held") + 1)
    assert updated == len(slots)
    booking = Booking.objects.create(
        offer=offer,
        household=household,
        requested_by=user,
        start=start,
        end=end,
        part=part,
        units=len(days),
        emergency=emergency,
        child_ref=child.ref.strip(),
        child_age=child.age,
        age_band=age_band(child.age),
        needs=sorted(set(child.needs)),
        notes=notes.strip(),
        decide_by=min(now + timedelta(hours=agreement.decision_hours), stay_start(offer, start, part)),
    )
    BookingSlot.objects.bulk_create([BookingSlot(booking=booking, slot=s) for s in slots])
    _mail_parent(booking, "requested")
    _mail_provider(booking, "requested")
    return booking


def _transition(
    booking: Booking, to: str, *, by=None, reason: str = "", now=None, allowed=Booking.HOLDING
) -> bool:
    """Move a booking out of ``allowed`` states once (conditional UPDATE); release its hold."""
    now = now or timezone.now()
    values = {"status": to}
    if to in (Booking.Status.ACCEPTED, Booking.Status.DECLINED):
        values.update(decided_at=now, decided_by=by)
    if to in (Booking.Status.CANCELLED, Booking.Status.CANCELLED_BY_PROVIDER):
        values["cancelled_at"] = now
    if reason:
        values["reason"] = reason
    moved = Booking.objects.filter(pk=booking.pk, status__in=allowed).update(**values)
    if not moved:
        return False
    was = booking.status
    for k, v in values.items():
        setattr(booking, k, v)
    if to not in Booking.HOLDING and was in Booking.HOLDING:
        slot_ids = list(
            booking.booking_slots.order_by("slot__day", "slot__part").values_list("slot_id", flat=True)
        )
        list(Slot.objects.select_for_update().filter(pk__in=slot_ids).order_by("day", "part"))
        Slot.objects.filter(pk__in=slot_ids).update(held=F("held") - 1)
    return True


def _not_now(booking: Booking) -> RespiteError:
    return RespiteError(
        "wrong_status", _("Dit kan niet meer: de aanvraag is %(s)s.") % {"s": booking.get_status_display()}
    )


def _lock_booking(pk: int) -> Booking:
    """Lock the booking row only (``of=("self",)``), never the offer joined for reading."""
    return (
        Booking.objects.select_for_update(of=("self",)).select_related("offer", "offer__provider").get(pk=pk)
    )


@retry_on_conflict
def _expire_if_overdue(pk: int, now) -> bool:
    booking = _lock_booking(pk)
    overdue = booking.status == Booking.Status.REQUESTED and booking.decide_by < now
    if overdue:
        _expire_one(booking, now)
    return overdue


@retry_on_conflict
def _accept(user, pk: int, now) -> Booking:
    booking = _lock_booking(pk)
    if not _transition(
        booking, Booking.Status.ACCEPTED, by=user, now=now, allowed=(Booking.Status.REQUESTED,)
    ):
        raise _not_now(booking)
    _mail_parent(booking, "accepted", ics=True)
    return booking


def accept(user, booking: Booking, *, now=None) -> Booking:
    now = now or timezone.now()
    # Two transactions: an overdue request is expired (and stays expired) before we refuse.
    if _expire_if_overdue(booking.pk, now):
        raise RespiteError("expired", _("De beslistermijn is verlopen; de aanvraag is vervallen."))
    return _accept(user, booking.pk, now)


def decline(user, booking: Booking, reason: str = "", *, now=None) -> Booking:
    _check_text(_("Reden"), reason)
    return _decline(user, booking.pk, reason, now)


@retry_on_conflict
def _decline(user, pk: int, reason: str, now) -> Booking:
    booking = _lock_booking(pk)
    if not _transition(
        booking,
        Booking.Status.DECLINED,
        by=user,
        reason=reason,
        now=now,
        allowed=(Booking.Status.REQUESTED,),
    ):
        raise _not_now(booking)
    _record_unmet(booking, UnmetDemand.Source.DECLINED)
    _mail_parent(booking, "declined")
    return booking


def parent_cutoff(booking: Booking) -> datetime:
    agreement = _agreement_for(booking.offer)
    return stay_start(booking.offer, booking.start, booking.part) - timedelta(
        hours=agreement.cancel_cutoff_hours
    )


def cancel_by_parent(user, booking: Booking, *, now=None) -> Booking:
    return _cancel_by_parent(user, booking.pk, now or timezone.now())


@retry_on_conflict
def _cancel_by_parent(user, pk: int, now) -> Booking:
    booking = _lock_booking(pk)
    if booking.is_holding and now > parent_cutoff(booking):
        agreement = _agreement_for(booking.offer)
        raise RespiteError(
            "cancel_cutoff",
            _("Annuleren via Thuisnet kan tot %(h)s uur voor aanvang. Bel de aanbieder om af te zeggen.")
            % {"h": agreement.cancel_cutoff_hours},
        )
    was_accepted = booking.status == Booking.Status.ACCEPTED
    if not _transition(booking, Booking.Status.CANCELLED, by=user, now=now):
        raise _not_now(booking)
    _mail_provider(booking, "cancelled_by_parent")
    _mail_parent(booking, "cancelled_by_parent", ics=was_accepted, cancel=True)
    return booking


def cancel_by_provider(user, booking: Booking, reason: str, *, now=None) -> Booking:
    if not (reason or "").strip():
        raise RespiteError("reason_required", _("Geef een reden op; de ouder krijgt die te zien."))
    _check_text(_("Reden"), reason)
    return _cancel_by_provider(user, booking.pk, reason.strip(), now)


@retry_on_conflict
def _cancel_by_provider(user, pk: int, reason: str, now) -> Booking:
    booking = _lock_booking(pk)
    was_accepted = booking.status == Booking.Status.ACCEPTED
    if not _transition(booking, Booking.Status.CANCELLED_BY_PROVIDER, by=user, reason=reason, now=now):
        raise _not_now(booking)
    _mail_parent(booking, "cancelled_by_provider", ics=was_accepted, cancel=True)
    return booking


def _expire_one(booking: Booking, now) -> bool:
    if _transition(booking, Booking.Status.EXPIRED, now=now, allowed=(Booking.Status.REQUESTED,)):
        _record_unmet(booking, UnmetDemand.Source.EXPIRED)
        _mail_parent(booking, "expired")
        _mail_provider(booking, "expired")
        return True
    return False


def expire_overdue(now=None) -> int:
    """Job: requests not decided in time are released and the parent is told. Idempotent."""
    now = now or timezone.now()
    n = 0
    for pk in Booking.objects.filter(status=Booking.Status.REQUESTED, decide_by__lt=now).values_list(
        "pk", flat=True
    ):
        n += _expire_if_overdue(pk, now)
    return n


def scrub_child_data(today: date | None = None) -> int:
    """Job: 30 days after a stay only counts remain (age band and units stay for statistics)."""
    today = today or timezone.localdate()
    cutoff = today - timedelta(days=CHILD_VISIBLE_DAYS)
    return (
        Booking.objects.filter(scrubbed_at__isnull=True, end__lt=cutoff)
        .exclude(status__in=Booking.HOLDING, end__gte=cutoff)
        .update(child_ref="", child_age=None, needs=[], notes="", scrubbed_at=timezone.now())
    )


def child_visible_to_provider(booking: Booking, today: date | None = None) -> bool:
    today = today or timezone.localdate()
    return (
        booking.status == Booking.Status.ACCEPTED
        and booking.scrubbed_at is None
        and today <= booking.end + timedelta(days=CHILD_VISIBLE_DAYS)
    )


def _record_unmet(booking: Booking, source: str) -> None:
    UnmetDemand.objects.get_or_create(
        booking=booking,
        defaults={
            "region_id": booking.offer.municipality.region_id,
            "source": source,
            "start": booking.start,
            "end": booking.end,
            "units": booking.units,
            "age_band": booking.age_band,
            "municipality": booking.household.municipality,
            "kind": booking.offer.kind,
            "needs": list(booking.needs),
        },
    )


# ---------------------------------------------------------------- email


def provider_recipients(offer: Offer) -> list[str]:
    emails = list(
        # Active accounts only: staff who left keep no mail about children's stays.
        Membership.objects.filter(
            organisation_id=offer.provider_id, role="staff", user__is_active=True
        ).values_list("user__email", flat=True)
    )
    if not emails and offer.provider.email:
        emails = [offer.provider.email]
    if offer.host_user_id and offer.host_user.email not in emails:
        emails.append(offer.host_user.email)
    return emails


def _ics(booking: Booking, cancel: bool = False):
    offer = booking.offer
    return ics_attachment(
        [
            IcsEvent(
                uid=f"respijt-{booking.pk}@thuisnet",
                summary=f"Respijtopvang: {offer.title}",
                start=stay_start(offer, booking.start, booking.part),
                end=stay_end(booking.end, booking.part),
                location=f"{offer.municipality} ({offer.postcode})",
                sequence=1 if cancel else 0,
                cancelled=cancel,
                description=f"{offer.provider.name} {offer.provider.phone}".strip(),
            )
        ],
        filename="respijt.ics",
        method="CANCEL" if cancel else "PUBLISH",
    )


def _mail_parent(booking: Booking, event: str, *, ics: bool = False, cancel: bool = False) -> None:
    to = [u.email for u in booking.household.members.all()] or (
        [booking.requested_by.email] if booking.requested_by else []
    )
    if not to:
        return
    attachments = [_ics(booking, cancel=cancel)] if ics else []
    queue_templated(
        to,
        f"respite/email/parent_{event}",
        {"booking": booking, "offer": booking.offer},
        attachments=attachments,
        dedupe_key=f"respite:{booking.pk}:parent:{event}",
    )


def _mail_provider(booking: Booking, event: str) -> None:
    to = provider_recipients(booking.offer)
    if to:
        queue_templated(
            to,
            f"respite/email/provider_{event}",
            {"booking": booking, "offer": booking.offer},
            dedupe_key=f"respite:{booking.pk}:provider:{event}",
        )


# ---------------------------------------------------------------- region: agreements and the demand map


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
