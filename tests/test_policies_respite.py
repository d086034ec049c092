"""The respite role x capability matrix."""

from __future__ import annotations

from datetime import timedelta

import pytest

from thuisnet.accounts.policies import can

pytestmark = pytest.mark.django_db

ROLES = [
    "anonymous",
    "parent",
    "unverified_parent",
    "staff",
    "other_staff",
    "coordinator",
    "editor",
    "admin_user",
    "outsider",
]


@pytest.fixture
def people(
    request, parent, staff, other_staff, coordinator, editor, admin_user, outsider, family_home_parent
):
    from django.contrib.auth.models import AnonymousUser

    family_home_parent.household.verified_at = None
    family_home_parent.household.save()
    return {
        "anonymous": AnonymousUser(),
        "parent": parent,
        "unverified_parent": family_home_parent,
        "staff": staff,
        "other_staff": other_staff,
        "coordinator": coordinator,
        "editor": editor,
        "admin_user": admin_user,
        "outsider": outsider,
    }


@pytest.fixture
def booking(offer, parent, book, next_week):
    return book(parent, offer, next_week)


EXPECTED = {
    # capability: roles that may
    "respite.search": set(ROLES),
    "respite.view_offer": set(ROLES),  # an active offer; inactive ones: see below
    "respite.book": {"parent"},
    "respite.view_booking": {"parent", "staff"},
    "respite.cancel_own": {"parent"},
    "respite.manage_offer": {"staff"},
    "respite.manage_availability": {"staff"},
    "respite.decide_booking": {"staff"},
    "respite.view_child": {"parent"},  # staff only from acceptance (see below)
    "respite.view_demand": {"coordinator", "admin_user"},
    "respite.manage_agreements": {"coordinator", "admin_user"},
}


@pytest.mark.parametrize("capability", sorted(EXPECTED))
def test_the_matrix(capability, people, offer, booking, region):
    obj = {
        "respite.search": None,
        "respite.book": offer,
        "respite.view_offer": offer,
        "respite.manage_offer": offer,
        "respite.manage_availability": offer,
        "respite.view_demand": region,
        "respite.manage_agreements": region,
    }.get(capability, booking)
    allowed = {role for role, user in people.items() if can(user, capability, obj)}
    assert allowed == EXPECTED[capability]


def test_provider_sees_the_child_from_acceptance_until_30_days_after(people, booking, staff):
    from respite import services

    assert not can(staff, "respite.view_child", booking)
    services.accept(staff, booking)
    booking.refresh_from_db()
    assert can(staff, "respite.view_child", booking)
    assert not services.child_visible_to_provider(booking, today=booking.end + timedelta(days=31))


def test_the_scrub_job_leaves_only_counts(booking, staff):
    from respite import services
    from respite.models import Booking

    services.accept(staff, booking)
    assert services.scrub_child_data(today=booking.end + timedelta(days=30)) == 0
    assert services.scrub_child_data(today=booking.end + timedelta(days=31)) == 1
    b = Booking.objects.get(pk=booking.pk)
    assert (b.child_ref, b.child_age, b.needs, b.notes) == ("", None, [], "")
    assert b.age_band == "8-11" and b.units == 1 and b.scrubbed_at is not None
    assert not can(staff, "respite.view_child", b)


def test_a_host_family_keeps_availability_of_its_own_offer_only(make_offer, support_parent, offer):
    own = make_offer(kind="host_family", host_user=support_parent)
    assert can(support_parent, "respite.manage_availability", own)
    assert not can(support_parent, "respite.manage_availability", offer)
    assert not can(support_parent, "respite.manage_offer", own)


def test_a_parent_from_another_region_cannot_book(offer, other_region, parent):
    parent.household.region = other_region
    parent.household.save()
    parent.refresh_from_db()
    assert not can(parent, "respite.book", offer)


# ---------------------------------------------------------------- scope and check agree

WORLD_ROLES = [
    *ROLES,
    "host_family",
    "staff_b",
    "coordinator_b",
    "parent_b",
    "dual_staff",
]


def _row_querysets():
    """Every respite row capability with the kinds of rows it applies to."""
    from respite.models import AvailabilityPattern, BlockedDate, Booking, Offer
    from thuisnet.accounts.models import Organisation, Region

    bookings = [Booking.objects.all]
    providers = lambda: Organisation.objects.filter(kind="provider")  # noqa: E731
    return {
        "respite.view_offer": [Offer.objects.all],
        "respite.book": [Offer.objects.all],
        "respite.manage_offer": [
            Offer.objects.all,
            providers,
            AvailabilityPattern.objects.all,
            BlockedDate.objects.all,
        ],
        "respite.manage_availability": [
            Offer.objects.all,
            providers,
            AvailabilityPattern.objects.all,
            BlockedDate.objects.all,
        ],
        "respite.view_booking": bookings,
        "respite.cancel_own": bookings,
        "respite.decide_booking": bookings,
        "respite.view_child": bookings,
        "respite.view_demand": [Region.objects.all],
        "respite.manage_agreements": [Region.objects.all],
    }


@pytest.fixture
def world_people(people, respite_world, support_parent):
    return {
        **people,
        "host_family": support_parent,
        "staff_b": respite_world["b_staff"],
        "coordinator_b": respite_world["b_coordinator"],
        "parent_b": respite_world["b_parent"],
        "dual_staff": respite_world["dual"].staff_user,
    }


def test_every_respite_row_capability_is_in_the_scope_matrix():
    from thuisnet.accounts.policies import respite as area

    assert set(_row_querysets()) == area.ROW_CAPABILITIES


@pytest.mark.parametrize("role", WORLD_ROLES)
def test_scope_and_check_agree_for_every_respite_capability(world_people, role):
    from thuisnet.accounts.policies import disagreements

    user = world_people[role]
    found = {}
    for capability, querysets in _row_querysets().items():
        for make in querysets:
            rows = disagreements(user, capability, make())
            if rows:
                found[(capability, make().model.__name__)] = rows
    assert found == {}


def test_the_matrix_world_has_rows_on_both_sides(world_people):
    """The agreement test means something only if scopes are neither empty nor everything."""
    from respite.models import Booking, Offer
    from thuisnet.accounts.policies import scope

    total = Booking.objects.count()
    assert 0 < scope(world_people["staff"], "respite.view_booking", Booking.objects.all()).count() < total
    assert scope(world_people["host_family"], "respite.view_child", Booking.objects.all()).count() > 0
    assert 0 < scope(world_people["parent"], "respite.view_child", Booking.objects.all()).count() < total
    assert scope(world_people["parent_b"], "respite.book", Offer.objects.all()).count() > 0


def test_host_families_see_the_bookings_of_their_offer_in_lists(world_people, respite_world):
    from respite import selectors

    host = world_people["host_family"]
    lists = selectors.manage_lists(host)
    hosted = respite_world["offers"]["host"]
    assert {b.offer_id for b in lists["pending"]} == {hosted.pk}
    assert list(selectors.api_bookings(host)) and all(
        b.offer_id == hosted.pk or b.household_id == host.household_id for b in selectors.api_bookings(host)
    )


def test_an_inactive_offer_is_seen_only_by_whoever_manages_it(people, make_offer, support_parent):
    hidden = make_offer(kind="host_family", host_user=support_parent)
    hidden.is_active = False
    hidden.save()
    allowed = {role for role, user in people.items() if can(user, "respite.view_offer", hidden)}
    assert allowed == {"staff"}
    assert can(support_parent, "respite.view_offer", hidden)  # the host family
