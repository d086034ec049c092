"""Read-side queries of the respite app: every list asks the policies' ``scope()``.

Views and the API call these instead of working roles out themselves, so a list, an export,
an API response and the detail page answer the same question ("may this user see this row?")
and each list costs the same few queries however long it is.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.utils import timezone

from thuisnet.accounts.models import Organisation, Region
from thuisnet.accounts.policies import scope
from thuisnet.core.audit import record_read

from . import services
from .models import Booking, Offer, Part

CHILD_AUDIT_TYPE = "respite.booking.child"


def region_of(user) -> int | None:
    """The region a person searches in: the household's, else the account's."""
    if not getattr(user, "is_authenticated", False):
        return None
    if user.household_id:
        return user.household.region_id
    return user.region_id


def search(user, q: services.Query, *, only_free: bool = True) -> list[services.Hit]:
    """Offers with room for ``q`` that lie in the user's region (all regions for visitors).

    An offer lies in the region of its municipality: a provider that serves two regions
    shows each region only its offers there.
    """
    region_id = region_of(user)
    household_id = user.household_id if getattr(user, "is_authenticated", False) else None
    # Searching only the user's region is the same answer as filtering all regions' hits by it
    # below, without computing the availability of the other 41 regions' offers.
    hits = services.search(q, region_id=region_id, only_free=only_free, household_id=household_id)
    if not hits:
        return []
    # The policy's scope over all active offers, as a set of ids: cheaper than sending the hits'
    # ids back to the database, and the same intersection.
    visible = scope(user, "respite.view_offer", Offer.objects.filter(is_active=True))
    if region_id:
        visible = visible.filter(municipality__region_id=region_id)
    allowed = set(visible.values_list("pk", flat=True))
    hits = [h for h in hits if h.offer.pk in allowed]
    # A family's own mentor, when they host respite, comes first: someone the child and the
    # parents already know (matching's public query; empty for anyone without a mentor).
    from matching.pairings import mentor_user_ids_for

    mentors = mentor_user_ids_for(user) if user.is_authenticated else set()
    for hit in hits:
        hit.by_mentor = hit.offer.host_user_id in mentors
    return sorted(hits, key=lambda h: not h.by_mentor)  # stable: the rest keep their order


def completed_stays(user, *, since: date | None = None) -> QuerySet:
    """Accepted stays that have ended (the departure day, or the last day part, is over), that
    the user may see (``respite.view_booking``: the household, the offer's provider staff, the
    host family). ``since``: only stays that ended on or after that day. Newest first.

    The public read for payouts: a stay to confirm and pay out is one of these.
    """
    now = timezone.now()
    today = timezone.localdate()
    ended_today = [p for p in Part.values if services.stay_end(today, p) <= now]
    qs = Booking.objects.filter(status=Booking.Status.ACCEPTED).filter(
        Q(end__lt=today) | Q(end=today, part__in=ended_today)
    )
    if since is not None:
        qs = qs.filter(end__gte=since)
    return (
        scope(user, "respite.view_booking", qs)
        .select_related("offer", "offer__provider", "offer__host_user")
        .order_by("-end", "-pk")
    )


def stay_completed(booking: Booking) -> bool:
    """Has this accepted stay ended (as ``completed_stays`` counts it)?"""
    return (
        booking.status == Booking.Status.ACCEPTED
        and services.stay_end(booking.end, booking.part) <= timezone.now()
    )


def own_bookings(user) -> QuerySet:
    """The bookings of the user's own household (a parent's list)."""
    if not user.household_id:
        return Booking.objects.none()
    return (
        scope(user, "respite.view_booking", Booking.objects.filter(household_id=user.household_id))
        .select_related("offer", "offer__provider")
        .order_by("-start")
    )


def managed_offers(user) -> QuerySet:
    """Offers the user keeps: their provider's, or the ones they host as a family."""
    return scope(user, "respite.manage_availability", Offer.objects.all()).select_related(
        "provider", "municipality"
    )


def acting_providers(user) -> QuerySet:
    return scope(user, "provider.act_for", Organisation.objects.filter(kind="provider")).order_by("name")


def provider_for_new(user, wanted: str | None) -> Organisation:
    """The provider a new offer is for: the one asked for if the user acts for it, else the first."""
    providers = acting_providers(user).order_by("pk")
    chosen = providers.filter(pk=int(wanted)).first() if wanted and wanted.isdigit() else None
    chosen = chosen or providers.first()
    if chosen is None:
        raise PermissionDenied
    return chosen


def manage_lists(user) -> dict:
    """The manage page: offers kept, requests to decide, accepted stays still to come.

    Host families see the bookings of the offers they host (the policy lets them view those);
    provider staff see their providers' bookings.
    """
    offers = managed_offers(user)
    bookings = scope(
        user, "respite.view_booking", Booking.objects.filter(offer__in=offers.values("pk"))
    ).select_related("offer")
    return {
        "offers": offers.order_by("provider__name", "title"),
        "pending": bookings.filter(status=Booking.Status.REQUESTED).order_by("decide_by"),
        "upcoming": bookings.filter(status=Booking.Status.ACCEPTED, end__gte=timezone.localdate()).order_by(
            "start"
        ),
        "providers": list(acting_providers(user)),
    }


def api_bookings(user, status: str = "") -> QuerySet:
    qs = scope(user, "respite.view_booking", Booking.objects.all()).select_related("offer")
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("start", "pk")


def child_visible_ids(user, bookings: Iterable[Booking]) -> set[int]:
    """Of ``bookings``, those whose child details the user may see (one query)."""
    ids = [b.pk for b in bookings]
    if not ids:
        return set()
    return set(
        scope(user, "respite.view_child", Booking.objects.filter(pk__in=ids)).values_list("pk", flat=True)
    )


def audit_child_reads(request, bookings: Iterable[Booking], shown_ids: Iterable[int]) -> None:
    """One audit row for this request listing every booking whose child another household's
    person saw (provider staff, host families). A parent reading their own child is not logged."""
    shown = set(shown_ids)
    own = getattr(request.user, "household_id", None)
    refs = [b.pk for b in bookings if b.pk in shown and (own is None or b.household_id != own)]
    record_read(request.user, CHILD_AUDIT_TYPE, refs, request=request)


def audit_household_read(request, booking: Booking) -> None:
    """The provider saw the household's name and phone (the handover): one audit row."""
    record_read(request.user, services.HOUSEHOLD_AUDIT_TYPE, [booking.pk], request=request)


def demand_regions(user) -> QuerySet:
    return scope(user, "respite.view_demand", Region.objects.all())


def demand_region(user, wanted: str | None = None) -> Region:
    """The region whose demand map to show: the one asked for (slug), else the user's own."""
    regions = demand_regions(user)
    region = regions.filter(slug=wanted).first() if wanted else None
    if region is None and user.region_id:
        region = regions.filter(pk=user.region_id).first()
    region = region or regions.order_by("pk").first()
    if region is None:
        raise PermissionDenied
    return region
