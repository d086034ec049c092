"""Rules for the respite app. Register each with @rule("respite.<verb>")."""

from thuisnet.accounts.roles import ADMINISTRATOR, COORDINATOR, PARENT, PROVIDER_STAFF, roles_of

from .registry import anonymous_allowed, rule


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


@rule("respite.search")
@anonymous_allowed
def search(user, obj=None) -> bool:
    """Anyone may look at what is free; booking needs a verified household."""
    return True


@rule("respite.book")
def book(user, offer=None) -> bool:
    """Verified parents (foster, support, family home) of the offer's region may request a stay."""
    r = roles_of(user)
    if not r.has(PARENT):
        return False
    household = user.household
    if household is None or not household.is_verified:
        return False
    return offer is None or household.region_id == offer.provider.region_id


@rule("respite.view_booking")
def view_booking(user, booking=None) -> bool:
    r = roles_of(user)
    if booking is None:
        return r.has(PARENT) or r.has(PROVIDER_STAFF)
    if r.household_id and booking.household_id == r.household_id:
        return True
    offer = booking.offer
    return offer.provider_id in r.provider_ids or (
        offer.host_user_id is not None and offer.host_user_id == user.pk
    )


@rule("respite.cancel_own")
def cancel_own(user, booking=None) -> bool:
    r = roles_of(user)
    return bool(r.household_id) and (booking is None or booking.household_id == r.household_id)


@rule("respite.manage_offer")
def manage_offer(user, obj=None) -> bool:
    """Provider staff manage the offers of their own provider, and only those."""
    r = roles_of(user)
    if not r.has(PROVIDER_STAFF):
        return False
    pid = _provider_id(obj)
    return pid is None or pid in r.provider_ids


@rule("respite.manage_availability")
def manage_availability(user, obj=None) -> bool:
    """Provider staff, and a host family linked to the offer, keep its availability."""
    if manage_offer(user, obj):
        return True
    offer = _offer(obj)
    if offer is None:
        return user.respite_host_offers.exists()
    return offer.host_user_id is not None and offer.host_user_id == user.pk


@rule("respite.decide_booking")
def decide_booking(user, booking=None) -> bool:
    """Accept, decline or cancel (with a reason) a request: staff of the offer's provider."""
    r = roles_of(user)
    if not r.has(PROVIDER_STAFF):
        return False
    return booking is None or booking.offer.provider_id in r.provider_ids


@rule("respite.view_child")
def view_child(user, booking=None) -> bool:
    """The child's reference, exact age and notes: the parent always (until scrubbed); the
    provider from acceptance until 30 days after the stay."""
    if booking is None:
        return False
    r = roles_of(user)
    if r.household_id and booking.household_id == r.household_id:
        return booking.scrubbed_at is None
    if booking.offer.provider_id in r.provider_ids or (booking.offer.host_user_id == user.pk):
        from respite.services import child_visible_to_provider

        return child_visible_to_provider(booking)
    return False


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


@rule("respite.manage_agreements")
def manage_agreements(user, region=None) -> bool:
    return view_demand(user, region)
