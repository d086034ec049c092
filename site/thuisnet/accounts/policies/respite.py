"""Rules for the respite app: each row capability has a check (``@rule``) and a scope
(``@scope_of``) that must agree; ``tests/test_policies_respite.py`` proves they do.

An offer lies in the region of its municipality. A provider may serve more than one region
(``Organisation.served_regions``): its staff see all its offers and bookings, while a region
and its parents see only the offers that lie inside that region.
"""

from __future__ import annotations

from datetime import timedelta

from django.db.models import Q, QuerySet
from django.utils import timezone

from thuisnet.accounts.roles import ADMINISTRATOR, COORDINATOR, PARENT, PROVIDER_STAFF, roles_of

from .registry import anonymous_allowed, rule, scope_of

# Capabilities whose rule takes a row; each has a scope (tests/test_policies.py checks).
ROW_CAPABILITIES = {
    "respite.book",
    "respite.view_offer",
    "respite.view_booking",
    "respite.cancel_own",
    "respite.manage_offer",
    "respite.manage_availability",
    "respite.decide_booking",
    "respite.view_child",
    "respite.view_demand",
    "respite.manage_agreements",
}


def _provider_id(obj) -> int | None:
    """The provider behind an offer, a booking, a pattern or blocked date, or the provider itself."""
    if obj is None:
        return None
    if obj.__class__.__name__ == "Organisation":
        return obj.pk
    if hasattr(obj, "provider_id"):
        return obj.provider_id
    offer = getattr(obj, "offer", None)
    return offer.provider_id if offer is not None else None


def _offer(obj):
    if obj is None:
        return None
    if obj.__class__.__name__ == "Offer":
        return obj
    return getattr(obj, "offer", None)


def _path_to_offer(queryset: QuerySet) -> str:
    """The lookup prefix from the rows of ``queryset`` to their offer ("" for offers)."""
    name = queryset.model.__name__
    if name == "Offer":
        return ""
    if name in ("Booking", "AvailabilityPattern", "BlockedDate", "Slot"):
        return "offer__"
    raise TypeError(f"No respite scope for {name} rows.")


def _provider_lookup(queryset: QuerySet) -> str:
    if queryset.model.__name__ == "Organisation":
        return "pk"
    return f"{_path_to_offer(queryset)}provider_id"


@rule("respite.search")
@anonymous_allowed
def search(user, obj=None) -> bool:
    """Anyone may look at what is free; booking needs a verified household."""
    return True


@rule("respite.view_offer")
@anonymous_allowed
def view_offer(user, offer=None) -> bool:
    """Active offers are public; inactive ones only for whoever manages them."""
    if offer is None or offer.is_active:
        return True
    return manage_availability(user, offer)


@scope_of("respite.view_offer")
def view_offer_scope(user, qs: QuerySet) -> QuerySet:
    return qs.filter(Q(is_active=True) | _manage_availability_q(user, qs))


@rule("respite.book")
def book(user, offer=None) -> bool:
    """Verified parents (foster, support, family home) may request a stay in their own region."""
    household = _verified_household(user)
    if household is None:
        return False
    return offer is None or household.region_id == offer.municipality.region_id


@scope_of("respite.book")
def book_scope(user, qs: QuerySet) -> QuerySet:
    household = _verified_household(user)
    if household is None:
        return qs.none()
    return qs.filter(municipality__region_id=household.region_id)


def _verified_household(user):
    if not roles_of(user).has(PARENT):
        return None
    household = user.household
    return household if household is not None and household.is_verified else None


def _host_q(user, prefix: str) -> Q:
    pk = getattr(user, "pk", None)
    return Q(**{f"{prefix}host_user_id": pk}) if pk else Q(pk__in=[])


@rule("respite.view_booking")
def view_booking(user, booking=None) -> bool:
    """The booking household, the offer's provider staff and the offer's host family."""
    r = roles_of(user)
    if booking is None:
        return r.has(PARENT) or r.has(PROVIDER_STAFF)
    if r.household_id and booking.household_id == r.household_id:
        return True
    offer = booking.offer
    return offer.provider_id in r.provider_ids or (
        offer.host_user_id is not None and offer.host_user_id == user.pk
    )


@scope_of("respite.view_booking")
def view_booking_scope(user, qs: QuerySet) -> QuerySet:
    r = roles_of(user)
    q = Q(offer__provider_id__in=r.provider_ids) | _host_q(user, "offer__")
    if r.household_id:
        q |= Q(household_id=r.household_id)
    return qs.filter(q)


@rule("respite.cancel_own")
def cancel_own(user, booking=None) -> bool:
    r = roles_of(user)
    return bool(r.household_id) and (booking is None or booking.household_id == r.household_id)


@scope_of("respite.cancel_own")
def cancel_own_scope(user, qs: QuerySet) -> QuerySet:
    r = roles_of(user)
    return qs.filter(household_id=r.household_id) if r.household_id else qs.none()


@rule("respite.manage_offer")
def manage_offer(user, obj=None) -> bool:
    """Provider staff manage the offers of their own provider, and only those."""
    r = roles_of(user)
    if not r.has(PROVIDER_STAFF):
        return False
    pid = _provider_id(obj)
    return pid is None or pid in r.provider_ids


@scope_of("respite.manage_offer")
def manage_offer_scope(user, qs: QuerySet) -> QuerySet:
    r = roles_of(user)
    return qs.filter(**{f"{_provider_lookup(qs)}__in": r.provider_ids})


@rule("respite.manage_availability")
def manage_availability(user, obj=None) -> bool:
    """Provider staff, and a host family linked to the offer, keep its availability."""
    if manage_offer(user, obj):
        return True
    pk = getattr(user, "pk", None)
    if obj is None:
        return bool(pk) and user.respite_host_offers.exists()
    offer = _offer(obj)
    return offer is not None and offer.host_user_id is not None and offer.host_user_id == pk


def _manage_availability_q(user, qs: QuerySet) -> Q:
    r = roles_of(user)
    if qs.model.__name__ == "Organisation":
        return Q(pk__in=r.provider_ids)
    prefix = _path_to_offer(qs)
    return Q(**{f"{prefix}provider_id__in": r.provider_ids}) | _host_q(user, prefix)


@scope_of("respite.manage_availability")
def manage_availability_scope(user, qs: QuerySet) -> QuerySet:
    return qs.filter(_manage_availability_q(user, qs))


@rule("respite.decide_booking")
def decide_booking(user, booking=None) -> bool:
    """Accept, decline or cancel (with a reason) a request: staff of the offer's provider."""
    r = roles_of(user)
    if not r.has(PROVIDER_STAFF):
        return False
    return booking is None or booking.offer.provider_id in r.provider_ids


@scope_of("respite.decide_booking")
def decide_booking_scope(user, qs: QuerySet) -> QuerySet:
    return qs.filter(offer__provider_id__in=roles_of(user).provider_ids)


@rule("respite.view_child")
def view_child(user, booking=None) -> bool:
    """The child's reference, exact age, needs and notes: the parent always (until scrubbed);
    the provider and host family from acceptance until 30 days after the stay."""
    if booking is None:
        return False
    r = roles_of(user)
    if r.household_id and booking.household_id == r.household_id:
        return booking.scrubbed_at is None
    if booking.offer.provider_id in r.provider_ids or (booking.offer.host_user_id == user.pk):
        from respite.services import child_visible_to_provider

        return child_visible_to_provider(booking)
    return False


@scope_of("respite.view_child")
def view_child_scope(user, qs: QuerySet) -> QuerySet:
    from respite.services import CHILD_VISIBLE_DAYS

    r = roles_of(user)
    since = timezone.localdate() - timedelta(days=CHILD_VISIBLE_DAYS)
    providers = (Q(offer__provider_id__in=r.provider_ids) | _host_q(user, "offer__")) & Q(
        status="accepted", scrubbed_at__isnull=True, end__gte=since
    )
    if r.household_id:
        own = Q(household_id=r.household_id)
        return qs.filter((own & Q(scrubbed_at__isnull=True)) | (~own & providers))
    return qs.filter(providers)


@rule("respite.view_demand")
def view_demand(user, region=None) -> bool:
    """Region coordinators see their region's demand map (aggregates only)."""
    r = roles_of(user)
    if r.has(ADMINISTRATOR):
        return True
    if not r.has(COORDINATOR):
        return False
    rid = None if region is None else getattr(region, "pk", region)
    return rid is None or rid in r.coordinator_region_ids


@scope_of("respite.view_demand")
def view_demand_scope(user, qs: QuerySet) -> QuerySet:
    """Regions (rows of Region) whose demand map the user may see."""
    r = roles_of(user)
    if r.has(ADMINISTRATOR):
        return qs
    return qs.filter(pk__in=r.coordinator_region_ids)


@rule("respite.manage_agreements")
def manage_agreements(user, region=None) -> bool:
    return view_demand(user, region)


@scope_of("respite.manage_agreements")
def manage_agreements_scope(user, qs: QuerySet) -> QuerySet:
    return view_demand_scope(user, qs)
