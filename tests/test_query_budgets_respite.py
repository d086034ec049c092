"""Query budgets: every respite list page and API list costs the same number of queries with
2 items as with 20 (no query per row)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from respite.models import BlockedDate, Booking, Offer, Slot
from tests.query_budget import count_queries as _queries

pytestmark = pytest.mark.django_db


@pytest.fixture
def grow(provider, municipalities, parent, support_parent, next_week):
    """``grow(n)`` brings the provider to n offers (each with free nights, a blocked date,
    and requested and accepted bookings of the parent's household)."""
    made: list[Offer] = []

    def _grow(n: int) -> None:
        today = timezone.localdate()
        while len(made) < n:
            i = len(made)
            offer = Offer.objects.create(
                provider=provider,
                kind="host_family" if i % 2 else "place",
                title=f"Aanbod {i:02d}",
                municipality=municipalities["deventer"],
                postcode="7411",
                capacity=2,
                host_user=support_parent,
            )
            Slot.objects.bulk_create(
                Slot(offer=offer, day=next_week + timedelta(days=d), part="night", capacity=2)
                for d in range(3)
            )
            BlockedDate.objects.create(offer=offer, day=today + timedelta(days=200 + i))
            for status in ("requested", "accepted"):
                Booking.objects.create(
                    offer=offer,
                    household=parent.household,
                    requested_by=parent,
                    start=next_week,
                    end=next_week + timedelta(days=1),
                    child_ref=f"K{i}",
                    child_age=9,
                    age_band="8-11",
                    needs=["behaviour"],
                    status=status,
                    decide_by=timezone.now() + timedelta(hours=48),
                )
            made.append(offer)

    return _grow


def _same_with_2_and_20(grow, client, url) -> tuple[int, int]:
    grow(2)
    small = _queries(client, url() if callable(url) else url)
    grow(20)
    large = _queries(client, url() if callable(url) else url)
    return small, large


@pytest.mark.parametrize(
    "who,url",
    [
        ("parent", "/respijt/mijn-aanvragen/"),
        ("staff", "/respijt/beheer/"),
        ("support_parent", "/respijt/beheer/"),  # the host family's view of the same page
        ("parent", "SEARCH"),
        ("staff", "/api/v1/respite/bookings/"),
        ("staff", "/api/v1/respite/bookings/?status=accepted"),
        ("parent", "/api/v1/respite/bookings/"),
        ("support_parent", "/api/v1/respite/bookings/"),
        ("parent", "OFFERS_API"),
    ],
)
def test_respite_lists_cost_the_same_with_2_and_20_items(
    request, login, grow, next_week, agreement, who, url
):
    user = request.getfixturevalue(who)
    client = login(user, APIClient())
    end = next_week + timedelta(days=2)
    url = {
        "SEARCH": f"/respijt/?start={next_week}&end={end}",
        "OFFERS_API": f"/api/v1/respite/offers/?start={next_week}&end={end}",
    }.get(url, url)
    small, large = _same_with_2_and_20(grow, client, url)
    assert small == large


@pytest.mark.parametrize("path", ["blocked-dates", "availability"])
def test_an_offers_sublists_cost_the_same_with_2_and_20_rows(login, staff, make_offer, path):
    from datetime import time

    from respite import services

    offer = make_offer()
    client = login(staff, APIClient())
    url = f"/api/v1/respite/offers/{offer.pk}/{path}/"
    today = timezone.localdate()

    def add(n):
        for i in range(n):
            if path == "blocked-dates":
                BlockedDate.objects.create(
                    offer=offer, day=today + timedelta(days=100 + offer.blocked_dates.count())
                )
            else:
                day = today + timedelta(days=100 + i * 2 + offer.patterns.count() * 2)
                services.add_pattern(
                    offer,
                    start=services.local_dt(day, time(9)),
                    end=services.local_dt(day, time(12)),
                    repeat="once",
                )

    page = f"/respijt/beheer/aanbod/{offer.pk}/"  # the offer's page lists both, too
    add(2)
    small, small_page = _queries(client, url), _queries(client, page)
    add(18)
    large, large_page = _queries(client, url), _queries(client, page)
    assert small == large and small_page == large_page


@pytest.mark.parametrize("url", ["/respijt/regio/", "/respijt/regio/vraag.csv"])
def test_the_demand_page_and_export_cost_the_same_with_2_and_20_offers(login, coordinator, grow, url):
    client = login(coordinator)
    small, large = _same_with_2_and_20(grow, client, url)
    assert small == large
