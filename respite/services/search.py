"""Search for free capacity and the month calendar of an offer."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import Case, Count, F, IntegerField, Q, Value, When
from django.utils import timezone

from thuisnet.accounts.models import Municipality, Organisation
from thuisnet.core import geo

from ..models import (
    DAY_PARTS,
    NIGHT_KINDS,
    Kind,
    Offer,
    Part,
    Slot,
    UnmetDemand,
    WorkingAgreement,
    age_band,
)
from . import members_first

# The share of an offer's places kept for emergencies: its region's working agreement, or the
# default of an agreement not yet saved (as ``WorkingAgreement.for_region`` answers).
_RESERVE = "municipality__region__respite_agreement__emergency_share"
RESERVE_DEFAULT = WorkingAgreement._meta.get_field("emergency_share").default
_NOTHING = Value(None, output_field=IntegerField())  # a column the query does not need to read


@dataclass
class Hit:
    offer: Offer
    free: int  # the lowest free count over the requested nights or days (for the best part)
    parts: list[str] = field(default_factory=list)
    distance_km: float | None = None
    slots: list[dict] = field(default_factory=list)
    by_mentor: bool = False  # hosted by the searching family's own mentor (shown on top)
    members_first: bool = False  # a hub's nights still for its constellation only (a member searches)


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


def search(
    q: Query, *, region_id: int | None = None, only_free: bool = True, household_id: int | None = None
) -> list[Hit]:
    """Offers with room for ``q``: exactly what ``search_reference`` answers, in fewer steps.

    The candidates are read as plain values (no model instances for offers that turn out full),
    the ledger rows in one query joined to the same filter (no list of 1,000 ids to send),
    the working agreements in one query, and offer instances only for the hits, with their
    provider and municipality attached from one query each.

    Members first: a hub family's nights opened less than its constellation's
    ``members_first_days`` ago count as full for ``household_id`` unless it belongs to the
    constellation; for a member the hit is marked ``members_first`` (one or two more queries,
    only when a hub's offer is among the candidates).
    """
    today = timezone.localdate()
    offers = _offer_filter(q, region_id)
    origin = geo.centroid(q.postcode) if q.postcode and q.radius_km else None
    wanted = set(q.needs)
    candidates: dict[int, tuple] = {}
    # The needs (JSON) and coordinates are read only when the query filters on them: decoding
    # a thousand JSON lists nobody asked about was a tenth of a region-wide search.
    for pk, handles, lat, lon, kind, reserve, title, host, hub_days in offers.annotate(
        hub_days=members_first.hub_days_expression()
    ).values_list(
        "pk",
        "handles" if wanted else _NOTHING,
        "latitude" if origin else _NOTHING,
        "longitude" if origin else _NOTHING,
        "kind",
        _RESERVE,
        "title",
        "host_user__household_id",
        "hub_days",
    ):
        if wanted and not wanted <= set(handles):
            continue
        distance = None
        if origin:
            if lat is None:
                continue
            distance = geo.distance_km(origin, (lat, lon))
            if distance > q.radius_km:
                continue
        candidates[pk] = (
            kind,
            RESERVE_DEFAULT if reserve is None else reserve,
            distance,
            title,
            host,
            hub_days,
        )
    if not candidates:
        return []
    narrowed = bool(wanted or origin)  # some offers of the filter may have been dropped above
    ledger: dict[int, dict[tuple[date, str], tuple[int, int, date | None]]] = defaultdict(dict)
    rows = Slot.objects.filter(day__range=(q.start, q.end))
    if only_free and q.end >= q.start:
        # The database counts, per offer and part, the nights or day parts with a free place:
        # only offers free on every day can be hits, and only their rows come back, in the
        # same statement. The loop below decides exactly as before.
        rows = rows.filter(offer_id__in=_fully_free_offers(q, candidates, offers, narrowed=narrowed))
    else:
        rows = rows.filter(offer__in=offers.values("pk"))
    for offer_id, day, part, cap, held, opened in rows.values_list(
        "offer_id", "day", "part", "capacity", "held", "opened_on"
    ):
        ledger[offer_id][(day, part)] = (cap, held, opened)
    if only_free:
        # An offer without ledger rows has no free place: no need to walk its days.
        candidates = {pk: c for pk, c in candidates.items() if pk in ledger}
        if not candidates:
            return []
    days_for = {True: query_days(q, True), False: query_days(q, False)}
    mine: set[int] | None = None  # the searcher's constellation, read once when a hub appears
    found = []
    for pk, (kind, reserve, distance, title, host, hub_days) in candidates.items():
        per_night = kind in NIGHT_KINDS
        days = days_for[per_night]
        share = 0 if q.emergency else reserve
        own = ledger.get(pk, {})
        member = False
        if hub_days:
            if mine is None:
                mine = members_first.member_households(household_id)
            member = host in mine
        marked = False
        best, best_parts, slots = -1, [], []
        for part in (Part.NIGHT,) if per_night else DAY_PARTS:
            low = None
            for day in days:
                cap, held, opened = own.get((day, part), (0, 0, None))
                free = max(cap - cap * share // 100 - held, 0)
                if hub_days and members_first.in_window(opened, hub_days, today):
                    if member:
                        marked = True
                    else:
                        free = 0  # not yet open to the region
                low = free if low is None or free < low else low
                slots.append({"date": day, "part": part, "capacity": cap, "held": held, "free": free})
            low = low or 0
            if low > 0:
                best_parts.append(part)
            best = max(best, low)
        if only_free and best <= 0:
            continue
        found.append(
            (
                distance if distance is not None else 0,
                title,
                pk,
                max(best, 0),
                best_parts,
                distance,
                slots,
                marked,
            )
        )
    found.sort(key=lambda f: (f[0], f[1]))
    instances = _offers_with_relations([f[2] for f in found])
    return [Hit(instances[f[2]], f[3], f[4], f[5], f[6], members_first=f[7]) for f in found]


def _fully_free_offers(q: Query, candidates: dict[int, tuple], offers, *, narrowed: bool):
    """The ids of offers with at least one part free (after the region's emergency reserve) on
    every requested day, as a subquery: one grouped query over the ledger alone.

    The candidates already carry each offer's kind and reserve, so the ledger rows need no join
    to municipality, region and agreement (those joins, for every ledger row, were half of a
    search's time over 1,000 offers): the reserve is a constant per region. The offers are named
    by the offer filter as a subquery, split by kind; only when the candidates were narrowed in
    Python (needs, distance) or span regions with different reserves are they named by id
    (a thousand ids cost 5 ms to compile before the database sees the query).
    """
    nights = query_days(q, True)
    days = query_days(q, False)
    night_ids, part_ids = [], []
    by_share: dict[int, list[int]] = defaultdict(list)
    for pk, (kind, reserve, *_rest) in candidates.items():
        (night_ids if kind in NIGHT_KINDS else part_ids).append(pk)
        by_share[0 if q.emergency else reserve].append(pk)
    if len(by_share) == 1:
        share = Value(next(iter(by_share)))
    else:
        share = Case(
            *(When(offer_id__in=pks, then=Value(r)) for r, pks in by_share.items()), default=Value(0)
        )
        narrowed = True
    night_offers, part_offers = night_ids, part_ids
    if not narrowed:  # (unordered: a subquery has no use for the offers' title order)
        night_offers = offers.filter(kind__in=list(NIGHT_KINDS)).order_by().values("pk")
        part_offers = offers.exclude(kind__in=list(NIGHT_KINDS)).order_by().values("pk")
    free = F("capacity") - F("capacity") * share / Value(100) - F("held")
    wanted = Q(pk__in=[])
    if night_ids:
        wanted |= Q(offer_id__in=night_offers, part=Part.NIGHT, day__range=(nights[0], nights[-1]))
    if part_ids:
        wanted |= Q(offer_id__in=part_offers, part__in=list(DAY_PARTS), day__range=(days[0], days[-1]))
    return (
        Slot.objects.filter(wanted)
        .annotate(free_now=free)
        .filter(free_now__gt=0)
        .values("offer_id", "part")
        .annotate(n=Count("pk"))
        .filter(n=Case(When(part=Part.NIGHT, then=Value(len(nights))), default=Value(len(days))))
        .values("offer_id")
    )


def _offer_filter(q: Query, region_id: int | None):
    offers = Offer.objects.filter(is_active=True)
    if region_id:
        offers = offers.filter(municipality__region_id=region_id)
    if q.kind:
        offers = offers.filter(kind=q.kind)
    if q.age is not None:
        offers = offers.filter(age_min__lte=q.age, age_max__gte=q.age)
    # A flexible stay only matches a length (in days, both ends counted) within its min..max.
    length = (q.end - q.start).days + 1
    offers = offers.exclude(Q(kind=Kind.FLEXIBLE) & (Q(min_stay__gt=length) | Q(max_stay__lt=length)))
    if not (q.postcode and q.radius_km) and q.municipality:
        offers = offers.filter(municipality=q.municipality)
    return offers


# What the search page, the API's search hit (``search_hit_json``) and the members-first and
# mentor marks read of an offer.
_HIT_FIELDS = (
    "provider_id",
    "kind",
    "title",
    "description",
    "municipality_id",
    "postcode",
    "latitude",
    "longitude",
    "age_min",
    "age_max",
    "handles",
    "capacity",
    "min_notice_hours",
    "max_stay",
    "min_stay",
    "host_user_id",
    "is_active",
)


def _offers_with_relations(pks: list[int]) -> dict[int, Offer]:
    """Offer instances by pk, each with its provider and municipality (three queries in all).

    Only the columns a search result shows are read (``_HIT_FIELDS``): the handover details,
    contact phone and timestamps of hundreds of offers were a third of building the hits. A
    result page that shows another column must add it there, or it costs a query per hit (the
    query budgets of the search page and API tests say so)."""
    if not pks:
        return {}
    offers = Offer.objects.only(*_HIT_FIELDS).in_bulk(pks)
    providers = Organisation.objects.in_bulk({o.provider_id for o in offers.values()})
    municipalities = Municipality.objects.in_bulk({o.municipality_id for o in offers.values()})
    for offer in offers.values():
        offer.provider = providers[offer.provider_id]
        offer.municipality = municipalities[offer.municipality_id]
    return offers


def search_reference(
    q: Query, *, region_id: int | None = None, only_free: bool = True, household_id: int | None = None
) -> list[Hit]:
    """The straightforward computation (one offer instance and one dict per ledger row), kept as
    the oracle of the equivalence test and the benchmark's "before". Members first is asked
    of matching's public queries row by row."""
    from matching.constellations import constellation_household_ids, members_only_until

    today = timezone.localdate()
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
    length = (q.end - q.start).days + 1
    for offer in offers:
        if q.needs and not set(q.needs) <= set(offer.handles):
            continue
        if offer.is_flexible and not offer.min_stay <= length <= offer.max_stay:
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
    ).values_list("offer_id", "day", "part", "capacity", "held", "opened_on")
    ledger: dict[int, dict[tuple[date, str], tuple[int, int, date | None]]] = defaultdict(dict)
    for offer_id, day, part, cap, held, opened in rows:
        ledger[offer_id][(day, part)] = (cap, held, opened)
    agreements: dict[int, WorkingAgreement] = {}
    hits = []
    for offer, distance in candidates:
        rid = offer.municipality.region_id  # the region the offer lies in
        if rid not in agreements:  # one query per region, not per offer
            agreements[rid] = WorkingAgreement.for_region(rid)
        agreement = agreements[rid]
        days = query_days(q, offer.per_night)
        host = offer.host_user.household_id if offer.host_user_id else None
        member = (
            host is not None
            and household_id is not None
            and host in constellation_household_ids(household_id)
        )
        marked = False
        best, best_parts, slots = -1, [], []
        for part in offer.parts:
            frees = []
            for day in days:
                cap, held, opened = ledger[offer.pk].get((day, part), (0, 0, None))
                usable = cap if q.emergency else cap - agreement.reserved(cap)
                free = max(usable - held, 0)
                until = members_only_until(host, opened) if host and opened else None
                if until is not None and today < until:
                    if member:
                        marked = True
                    else:
                        free = 0
                frees.append(free)
                slots.append({"date": day, "part": part, "capacity": cap, "held": held, "free": free})
            low = min(frees) if frees else 0
            if low > 0:
                best_parts.append(part)
            best = max(best, low)
        if only_free and best <= 0:
            continue
        hits.append(Hit(offer, max(best, 0), best_parts, distance, slots, members_first=marked))
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
    offer: Offer,
    year: int,
    month: int,
    *,
    emergency: bool = False,
    members_first_for: int | None | bool = False,
) -> list[list[dict | None]]:
    """Weeks (Monday first) of days with free/full state for the offer's month view.

    ``members_first_for``: the viewing household's id (None for a visitor) on the public offer
    page: a hub's nights still for its constellation only show as full to anyone outside it.
    ``False`` (the keeper's own view) shows the ledger as it is.
    """
    import calendar as _cal

    agreement = _agreement_for(offer)
    first = date(year, month, 1)
    last = date(year, month, _cal.monthrange(year, month)[1])
    today = timezone.localdate()
    window = None if members_first_for is False else members_first.window_for(offer, members_first_for)
    ledger = defaultdict(dict)
    for day, part, cap, held, opened in Slot.objects.filter(
        offer=offer, day__range=(first, last)
    ).values_list("day", "part", "capacity", "held", "opened_on"):
        if window and members_first.in_window(opened, window, today):
            held = cap  # not yet open to this household: shown as full
        ledger[day][part] = (cap, held)
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
