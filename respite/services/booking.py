"""Bookings: the request transaction (child lock, quarter limit, slot locks, hold) and
every status change after it."""

from __future__ import annotations

import sys
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from thuisnet.core.db import advisory_xact_lock, retry_on_conflict
from thuisnet.core.pagecache import invalidate
from thuisnet.core.pii import explain, find_identifiers

from ..models import (
    Booking,
    BookingSlot,
    Need,
    Offer,
    Part,
    Slot,
    UnmetDemand,
    WorkingAgreement,
    age_band,
)
from . import members_first
from .base import BOOKING_HORIZON_DAYS, CHILD_VISIBLE_DAYS, NoCapacity, RespiteError, stay_start
from .notifications import _mail_parent, _mail_provider, notify_status, parent_recipients, provider_recipients
from .search import _agreement_for


def _pkg():
    return sys.modules["respite.services"]


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
    agreement: WorkingAgreement | None = None,
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
    if offer.is_flexible:
        _check_flexible_length(offer, start, end)
    elif len(days) > offer.max_stay:
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
    agreement = agreement or _agreement_for(offer)
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


def _check_flexible_length(offer: Offer, start: date, end: date) -> None:
    """A flexible stay lasts min_stay..max_stay days, arrival and departure day both counted."""
    n = (end - start).days + 1
    if not offer.min_stay <= n <= offer.max_stay:
        raise RespiteError(
            "flexible_length",
            _(
                "Een flexibel verblijf bij dit aanbod duurt %(min)s tot en met %(max)s dagen "
                "(aankomst- en vertrekdag tellen allebei mee). Je koos %(n)s dagen."
            )
            % {"min": offer.min_stay, "max": offer.max_stay, "n": n},
        )


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
    contact_phone: str = "",
) -> Booking:
    """A parent asks for a stay. Holds the capacity at once, or raises NoCapacity."""
    now = now or timezone.now()
    household = user.household
    if offer.per_night:
        part = Part.NIGHT
    agreement = _agreement_for(offer)  # read once, before the transaction
    members_only = members_first.window_for(offer, household.pk)  # a hub's new nights: its own first
    days = _validate_request(offer, household, start, end, part, child, emergency, notes, now, agreement)
    # Who gets the emails is read before the transaction too: inside it, only the ledger,
    # the booking and the outbox rows (the text is rendered by the worker).
    recipients = (parent_recipients(household, user), provider_recipients(offer))
    booking = _hold_and_book(
        user,
        offer,
        household,
        days,
        start,
        end,
        part,
        child,
        emergency,
        notes,
        now,
        agreement,
        recipients,
        contact_phone=contact_phone.strip()[:30],
        members_only=members_only,
    )
    invalidate("respite")  # the public offers show free places
    return booking


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
    user,
    offer,
    household,
    days,
    start,
    end,
    part,
    child,
    emergency,
    notes,
    now,
    agreement,
    recipients=None,
    *,
    contact_phone="",
    members_only: int | None = None,
) -> Booking:
    """One transaction: child lock, quarter limit, slot locks, capacity check, hold, booking."""
    ref = child.ref.strip()
    steps = _pkg()  # looked up on the package, so tests can take a step out with monkeypatch
    steps._lock_child(household, ref)
    steps._check_quarter_limit(household, ref, days, part, agreement)
    slots = steps._lock_slots(offer, days, part)
    by_day = {s.day: s for s in slots}
    if members_only:
        today = timezone.localdate()
        closed = [s.day for s in slots if members_first.in_window(s.opened_on, members_only, today)]
        if closed:
            opens = max(s.opened_on for s in slots if s.day in closed) + timedelta(days=members_only)
            raise NoCapacity(
                "members_first",
                _(
                    "%(days)s is nog alleen voor de gezinnen van de eigen constellatie van dit "
                    "gastgezin. Vanaf %(open)s kan iedereen uit de regio aanvragen."
                )
                % {
                    "days": ", ".join(f"{d:%d-%m-%Y}" for d in closed),
                    "open": f"{opens:%d-%m-%Y}",
                },
                days=[d.isoformat() for d in closed],
            )
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
        contact_phone=contact_phone,
        decide_by=min(now + timedelta(hours=agreement.decision_hours), stay_start(offer, start, part)),
    )
    BookingSlot.objects.bulk_create([BookingSlot(booking=booking, slot=s) for s in slots])
    parent_to, provider_to = recipients or (None, None)
    # A new booking's id was never queued before: no dedupe key, so no savepoint round trips.
    _mail_parent(booking, "requested", to=parent_to, dedupe=False)
    _mail_provider(booking, "requested", to=provider_to, dedupe=False)
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
        invalidate("respite")  # places free again on the public offers
    notify_status(booking)
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
        .update(
            child_ref="", child_age=None, needs=[], notes="", contact_phone="", scrubbed_at=timezone.now()
        )
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
