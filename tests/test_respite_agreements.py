"""Working agreements (werkafspraken) per region: nights per quarter, lead time, emergency share."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from respite import services
from respite.models import Slot

pytestmark = pytest.mark.django_db


def test_it_refuses_more_nights_per_child_per_quarter_than_agreed(offer, parent, book, agreement):
    agreement.max_nights_per_quarter = 3
    agreement.save()
    today = timezone.localdate()
    q_start = services._quarter(today + timedelta(days=100))[0]  # a whole quarter ahead
    book(parent, offer, q_start + timedelta(days=1), nights=2)
    with pytest.raises(services.RespiteError) as err:
        book(parent, offer, q_start + timedelta(days=20), nights=2)
    assert err.value.code == "quarter_limit"
    assert "maximaal 3 nachten per kwartaal" in err.value.message and "K1" in err.value.message
    # Another child of the same family has its own allowance.
    book(parent, offer, q_start + timedelta(days=20), nights=2, child=services.Child("K2", 6, []))


def test_the_lead_time_applies_unless_it_is_an_emergency(offer, parent, book, agreement):
    tomorrow = timezone.localdate() + timedelta(days=1)
    with pytest.raises(services.RespiteError) as err:
        book(parent, offer, tomorrow)
    assert err.value.code == "lead_time" and "48 uur" in err.value.message
    booking = book(parent, offer, tomorrow, emergency=True)
    assert booking.emergency


def test_the_emergency_share_is_kept_for_crisis_respite(make_offer, parent, book, agreement, next_week):
    agreement.emergency_share = 50
    agreement.save()
    offer = make_offer(capacity=2)  # one of two places is reserved
    book(parent, offer, next_week)
    with pytest.raises(services.NoCapacity) as err:
        book(parent, offer, next_week, child=services.Child("K2", 8, []))
    assert err.value.code == "reserved_for_emergency"
    assert "gereserveerd voor crisisopvang" in err.value.message
    book(parent, offer, next_week, child=services.Child("K3", 8, []), emergency=True)
    assert Slot.objects.get(offer=offer, day=next_week).held == 2


def test_search_hides_the_reserved_place_from_ordinary_requests(
    make_offer, parent, book, agreement, next_week
):
    agreement.emergency_share = 50
    agreement.save()
    offer = make_offer(capacity=2)
    book(parent, offer, next_week)
    q = services.Query(start=next_week, end=next_week + timedelta(days=1))
    assert services.search(q) == []
    q.emergency = True
    assert [h.offer for h in services.search(q)] == [offer]


def test_coordinator_changes_the_agreements_on_the_region_page(login, coordinator, region):
    c = login(coordinator)
    r = c.post(
        "/respijt/regio/",
        {
            "max_nights_per_quarter": 10,
            "lead_time_hours": 72,
            "emergency_share": 25,
            "decision_hours": 24,
            "cancel_cutoff_hours": 12,
        },
    )
    assert r.status_code == 302
    from respite.models import WorkingAgreement

    a = WorkingAgreement.objects.get(region=region)
    assert (a.max_nights_per_quarter, a.lead_time_hours, a.emergency_share) == (10, 72, 25)
    r = c.post(
        "/respijt/regio/",
        {
            "max_nights_per_quarter": 10,
            "lead_time_hours": 72,
            "emergency_share": 150,
            "decision_hours": 24,
            "cancel_cutoff_hours": 12,
        },
    )
    assert r.status_code == 422 and "0 tot 100" in r.content.decode()


def test_an_offer_follows_the_agreement_of_the_region_it_lies_in(
    dual_provider, region_b_world, agreement, next_week
):
    """A provider serving two regions: its offer in the second region follows that region's
    agreement, not the first region's (where the provider is registered)."""
    from datetime import time

    from respite.models import WorkingAgreement

    agreement.emergency_share = 50  # the first region keeps half for emergencies
    agreement.save()
    WorkingAgreement.objects.create(region=region_b_world["region"], emergency_share=0, lead_time_hours=0)
    offer = services.create_offer(
        dual_provider,
        capacity=4,
        kind="place",
        title="Logeerhuis Doetinchem",
        municipality=region_b_world["municipalities"]["doetinchem"],
        postcode="7001",
        age_min=0,
        age_max=17,
        handles=[],
        max_stay=7,
        min_notice_hours=0,
    )
    today = timezone.localdate()
    services.add_pattern(
        offer,
        start=services.local_dt(today, time(17)),
        end=services.local_dt(today + timedelta(days=1), time(17)),
        repeat="daily",
    )
    q = services.Query(start=next_week, end=next_week + timedelta(days=1))
    [hit] = services.search(q, region_id=region_b_world["region"].pk)
    assert hit.free == 4


def test_staff_who_left_get_no_more_booking_mail(offer, staff):
    staff.is_active = False
    staff.save()
    assert staff.email not in services.provider_recipients(offer)


def test_an_empty_search_from_another_regions_postcode_is_not_filed_under_its_municipality(
    region, region_b_world, postcodes, next_week
):
    from thuisnet.accounts.models import Municipality

    outside = region_b_world["municipalities"]["doetinchem"]
    q = services.Query(start=next_week, end=next_week + timedelta(days=1), municipality=outside)
    demand = services.record_empty_search(q, region.pk)
    assert demand.region_id == region.pk and demand.municipality is None
    assert Municipality.objects.filter(pk=outside.pk).exists()
