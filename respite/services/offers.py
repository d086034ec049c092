"""Offers: create, change, delete; keep every ledger a horizon ahead."""

from __future__ import annotations

import logging

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from thuisnet.accounts.models import Organisation
from thuisnet.core import geo
from thuisnet.core.pagecache import invalidate

from ..models import (
    FLEX_MAX_DAYS,
    FLEX_MIN_DAYS,
    Booking,
    Kind,
    Need,
    Offer,
    Slot,
)
from .availability import resync
from .base import CapacityConflict, RespiteError

log = logging.getLogger(__name__)


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
    "min_stay",
    "host_user",
    "is_active",
    "address",
    "arrival_time",
    "departure_time",
    "what_to_bring",
    "contact_phone",
)


def flexible_length_errors(min_stay: int | None, max_stay: int | None) -> dict[str, str]:
    """Dutch messages per field for a flexible stay's min and max days (empty when valid)."""
    errors: dict[str, str] = {}
    if min_stay is None or min_stay < FLEX_MIN_DAYS:
        errors["min_stay"] = _("Een flexibel verblijf duurt minstens %(n)s dagen.") % {"n": FLEX_MIN_DAYS}
    if max_stay is None or max_stay > FLEX_MAX_DAYS:
        errors["max_stay"] = _("Een flexibel verblijf duurt hoogstens %(n)s dagen.") % {"n": FLEX_MAX_DAYS}
    elif min_stay is not None and max_stay < min_stay:
        errors["max_stay"] = _("De maximale duur moet minstens zo lang zijn als de minimale duur.")
    return errors


def _validate_flexible(min_stay: int | None, max_stay: int | None) -> None:
    errors = flexible_length_errors(min_stay, max_stay)
    if errors:
        field, message = next(iter(errors.items()))
        raise RespiteError(f"invalid_{field}", message)


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
    if offer.kind == Kind.FLEXIBLE:
        _validate_flexible(offer.min_stay, offer.max_stay)
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
    invalidate("respite")  # deferred to the commit; harmless if the delete is refused
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
