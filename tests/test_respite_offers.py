"""Offers, availability in django-scheduler, blocked dates and the capacity ledger."""

from __future__ import annotations

from datetime import time, timedelta

import pytest

from respite import services
from respite.models import Booking, Offer, Slot

pytestmark = pytest.mark.django_db


def _caps(offer, first, n, part="night"):
    rows = dict(Slot.objects.filter(offer=offer, part=part).values_list("day", "capacity"))
    return [rows.get(first + timedelta(days=i), 0) for i in range(n)]


def test_it_makes_fortnightly_weekend_nights_available(provider, municipalities, agreement, next_week):
    offer = services.create_offer(
        provider,
        capacity=2,
        kind="host_family",
        title="Weekendgezin Epe",
        municipality=municipalities["deventer"],
        postcode="7411",
    )
    friday = next_week + timedelta(days=4)
    services.add_pattern(
        offer,
        start=services.local_dt(friday, time(17)),
        end=services.local_dt(friday + timedelta(days=2), time(17)),
        repeat="fortnightly",
    )
    # Fri, Sat nights free; Sunday night not; the next Friday not; the Friday after again.
    assert _caps(offer, friday, 3) == [2, 2, 0]
    assert _caps(offer, friday + timedelta(days=7), 2) == [0, 0]
    assert _caps(offer, friday + timedelta(days=14), 2) == [2, 2]


def test_it_takes_blocked_dates_out_of_availability(offer, next_week):
    services.block_date(offer, next_week, "vakantie")
    assert _caps(offer, next_week - timedelta(days=1), 3) == [2, 0, 2]
    services.unblock_date(offer.blocked_dates.get())
    assert _caps(offer, next_week - timedelta(days=1), 3) == [2, 2, 2]


def test_support_family_has_day_parts(make_offer, next_week):
    offer = make_offer(kind="support_family", capacity=1)
    parts = set(Slot.objects.filter(offer=offer, day=next_week, capacity=1).values_list("part", flat=True))
    assert parts == {"morning", "afternoon", "evening"}


def test_it_refuses_lowering_capacity_below_held_and_lists_the_bookings(offer, parent, book, next_week):
    b1 = book(parent, offer, next_week, nights=2)
    b2 = book(parent, offer, next_week + timedelta(days=1), nights=1, child=services.Child("K2", 7, []))
    with pytest.raises(services.CapacityConflict) as err:
        services.set_capacity(offer, 1)
    assert err.value.code == "capacity_in_use"
    assert f"#{b2.pk}" in err.value.message and f"#{b1.pk}" in err.value.message
    offer.refresh_from_db()
    assert offer.capacity == 2
    assert _caps(offer, next_week, 2) == [2, 2]


def test_it_lowers_capacity_when_nothing_is_in_the_way(offer, parent, book, next_week):
    book(parent, offer, next_week)
    services.set_capacity(offer, 1)
    offer.refresh_from_db()
    assert offer.capacity == 1
    assert _caps(offer, next_week, 2) == [1, 1]


def test_it_refuses_blocking_a_night_that_is_booked(offer, parent, book, next_week):
    b = book(parent, offer, next_week)
    with pytest.raises(services.CapacityConflict) as err:
        services.block_date(offer, next_week)
    assert err.value.extra["bookings"] == [b.pk]
    assert not offer.blocked_dates.exists()


def test_it_rejects_a_bad_postcode(provider, municipalities):
    with pytest.raises(services.RespiteError) as err:
        services.create_offer(
            provider, kind="place", title="X", municipality=municipalities["deventer"], postcode="74"
        )
    assert err.value.code == "invalid_postcode"


def test_delete_hides_an_offer_with_history(offer, parent, book, next_week, staff):
    b = book(parent, offer, next_week)
    with pytest.raises(services.CapacityConflict):
        services.delete_offer(offer)
    services.cancel_by_provider(staff, b, "ziek")
    services.delete_offer(offer)
    assert Offer.objects.get(pk=offer.pk).is_active is False
    assert Booking.objects.filter(pk=b.pk).exists()


def test_provider_creates_an_offer_and_availability_through_the_pages(
    login, staff, municipalities, agreement, next_week
):
    c = login(staff)
    r = c.post(
        "/respijt/beheer/aanbod/nieuw/",
        {
            "title": "Logeerhuis De Linde",
            "kind": "place",
            "municipality": municipalities["zutphen"].pk,
            "postcode": "7201",
            "age_min": 4,
            "age_max": 12,
            "handles": ["autism"],
            "capacity": 3,
            "min_notice_hours": 24,
            "max_stay": 3,
            "is_active": "on",
        },
    )
    assert r.status_code == 302
    offer = Offer.objects.get(title="Logeerhuis De Linde")
    r = c.post(
        f"/respijt/beheer/aanbod/{offer.pk}/beschikbaarheid/",
        {
            "start_date": next_week,
            "start_time": "17:00",
            "end_date": next_week + timedelta(days=1),
            "end_time": "10:00",
            "repeat": "weekly",
        },
    )
    assert r.status_code == 302
    assert _caps(offer, next_week, 2) == [3, 0]
    page = c.get(f"/respijt/beheer/aanbod/{offer.pk}/")
    assert "Elke week" in page.content.decode()


def test_capacity_form_shows_the_bookings_in_the_way(login, staff, offer, parent, book, next_week):
    b = book(parent, offer, next_week)
    book(parent, offer, next_week, child=services.Child("K2", 5, []))
    c = login(staff)
    data = {
        "title": offer.title,
        "municipality": offer.municipality_id,
        "postcode": offer.postcode,
        "age_min": 0,
        "age_max": 17,
        "capacity": 1,
        "min_notice_hours": 0,
        "max_stay": 7,
        "is_active": "on",
    }
    r = c.post(f"/respijt/beheer/aanbod/{offer.pk}/", data)
    assert r.status_code == 422
    assert f"#{b.pk}" in r.content.decode()
    offer.refresh_from_db()
    assert offer.capacity == 2


def test_staff_cannot_edit_another_providers_offer(login, other_staff, offer):
    r = login(other_staff).get(f"/respijt/beheer/aanbod/{offer.pk}/")
    assert r.status_code == 403


def test_linked_host_family_keeps_its_own_availability(login, make_offer, support_parent, next_week):
    offer = make_offer(kind="host_family", host_user=support_parent)
    c = login(support_parent)
    assert c.get(f"/respijt/beheer/aanbod/{offer.pk}/").status_code == 200
    r = c.post(f"/respijt/beheer/aanbod/{offer.pk}/blokkeren/", {"day": next_week})
    assert r.status_code == 302
    assert offer.blocked_dates.filter(day=next_week).exists()
    # ... but not the offer's details or capacity.
    r = c.post(f"/respijt/beheer/aanbod/{offer.pk}/verwijderen/")
    assert r.status_code == 403


@pytest.mark.django_db
def test_the_host_family_choice_lists_only_the_providers_own_verified_families(
    provider, parent, support_parent, family_home_parent
):
    from respite.forms import OfferForm

    family_home_parent.household.verified_at = None
    family_home_parent.household.save()
    hosts = set(OfferForm(provider=provider).fields["host_user"].queryset)
    assert parent in hosts  # verified, this provider
    assert support_parent not in hosts  # another provider's family
    assert family_home_parent not in hosts  # not verified by the provider
