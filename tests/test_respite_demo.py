"""The demo data: offers of every kind, bookings in every state, unmet demand; idempotent."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


def test_the_demo_loads_once_with_bookings_in_every_state():
    from respite import demo
    from respite.models import Booking, Offer, UnmetDemand, WorkingAgreement
    from thuisnet.core.demo import load_foundation

    region = load_foundation()
    demo.load(region)
    counts = (Offer.objects.count(), Booking.objects.count(), UnmetDemand.objects.count())
    assert Offer.objects.filter(municipality__region=region).count() == 11  # + 3 in the second region
    assert {k for k, _ in Offer.objects.values_list("kind", "id")} == {
        "place",
        "host_family",
        "support_family",
        "flexible",  # every kind of offer can be tried in the demo
    }
    flexible = Offer.objects.get(kind="flexible")
    assert (flexible.min_stay, flexible.max_stay) == (3, 10)
    assert set(Booking.objects.values_list("status", flat=True)) == set(Booking.Status.values)
    assert UnmetDemand.objects.filter(source="empty_search").exists()
    assert WorkingAgreement.objects.filter(region=region).exists()
    assert Offer.objects.filter(host_user__email="steunouder@thuisnet.example").exists()
    demo.load(region)
    assert (Offer.objects.count(), Booking.objects.count(), UnmetDemand.objects.count()) == counts
