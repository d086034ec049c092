"""Flexible stays (flexibel verblijf): consecutive days arranged with the provider, on the
same per-night ledger as nights, with a length in days (arrival and departure day counted)
between the offer's minimum and maximum."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import IntegrityError, transaction
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from respite import services
from respite.models import Booking, Slot

pytestmark = pytest.mark.django_db


@pytest.fixture
def flexible(make_offer):
    return make_offer(capacity=1, kind="flexible", min_stay=3, max_stay=5, title="Logeerhuis flexibel")


def _request(parent, offer, start, days):
    """A stay of ``days`` days: from ``start`` up to and including the departure day."""
    return services.request_booking(
        parent, offer, start=start, end=start + timedelta(days=days - 1), child=services.Child("K1", 9, [])
    )


def test_a_flexible_stay_holds_capacity_on_each_consecutive_day(flexible, parent, next_week):
    booking = _request(parent, flexible, next_week, 4)
    assert booking.status == Booking.Status.REQUESTED  # the provider still has to accept
    held = dict(Slot.objects.filter(offer=flexible).values_list("day", "held"))
    # Arrival day up to the night before departure are held; the departure day is free again.
    for i in range(3):
        assert held[next_week + timedelta(days=i)] == 1
    assert held[next_week + timedelta(days=3)] == 0
    assert booking.units == 3


def test_a_second_flexible_stay_on_a_held_day_is_refused(flexible, parent, next_week):
    _request(parent, flexible, next_week, 4)
    with pytest.raises(services.NoCapacity):
        services.request_booking(
            parent,
            flexible,
            start=next_week + timedelta(days=2),
            end=next_week + timedelta(days=5),
            child=services.Child("K2", 9, []),
        )


@pytest.mark.parametrize("days", [2, 6])
def test_it_refuses_a_length_outside_min_and_max(flexible, parent, next_week, days):
    with pytest.raises(services.RespiteError) as err:
        _request(parent, flexible, next_week, days)
    assert err.value.code == "flexible_length"
    assert "duurt 3 tot en met 5 dagen" in err.value.message
    assert not Slot.objects.filter(offer=flexible, held__gt=0).exists()


def test_the_form_shows_the_length_error_at_the_departure_field(login, parent, flexible, next_week):
    r = login(parent).post(
        f"/respijt/aanbod/{flexible.pk}/aanvragen/",
        {
            "start": next_week,
            "end": next_week + timedelta(days=7),
            "child_ref": "K1",
            "child_age": 9,
            "form_token": "abc",
        },
    )
    assert r.status_code == 422
    form = r.context["form"]
    assert "Een flexibel verblijf bij dit aanbod duurt 3 tot en met 5 dagen" in " ".join(form.errors["end"])
    assert form.data["child_ref"] == "K1"  # the input is kept


def test_the_api_refuses_a_length_outside_min_and_max_with_422(parent, flexible, next_week):
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.get_or_create(user=parent)[0].key}")
    body = {
        "offer": flexible.pk,
        "start": next_week.isoformat(),
        "end": (next_week + timedelta(days=1)).isoformat(),
        "child": {"ref": "K1", "age": 9, "needs": []},
    }
    r = api.post("/api/v1/respite/bookings/", body, format="json")
    assert r.status_code == 422 and r.json()["code"] == "flexible_length"
    assert "dagen" in r.json()["message"]
    body["end"] = (next_week + timedelta(days=3)).isoformat()
    r = api.post("/api/v1/respite/bookings/", body, format="json")
    assert r.status_code == 201
    body["child"]["ref"] = "K2"
    r = api.post("/api/v1/respite/bookings/", body, format="json")
    assert r.status_code == 409 and r.json()["code"] == "no_capacity"


@pytest.mark.parametrize(("days", "found"), [(2, False), (3, True), (5, True), (6, False)])
def test_search_finds_a_flexible_offer_only_for_allowed_lengths(flexible, next_week, days, found):
    q = services.Query(start=next_week, end=next_week + timedelta(days=days - 1), age=9)
    for fn in (services.search, services.search_reference):
        ids = [h.offer.pk for h in fn(q)]
        assert (flexible.pk in ids) is found


def test_search_skips_a_flexible_offer_with_one_day_taken(flexible, parent, next_week):
    services.request_booking(
        parent,
        flexible,
        start=next_week + timedelta(days=2),
        end=next_week + timedelta(days=4),
        child=services.Child("K9", 9, []),
    )
    q = services.Query(start=next_week, end=next_week + timedelta(days=3), age=9)
    assert flexible.pk not in [h.offer.pk for h in services.search(q)]


@pytest.mark.parametrize(
    ("min_stay", "max_stay", "field"), [(1, 5, "min_stay"), (4, 3, "max_stay"), (2, 15, "max_stay")]
)
def test_the_offer_form_checks_min_and_max_days(provider, municipalities, min_stay, max_stay, field):
    from respite.forms import OfferForm

    form = OfferForm(
        {
            "title": "Flexibel",
            "kind": "flexible",
            "municipality": municipalities["deventer"].pk,
            "postcode": "7411",
            "age_min": 0,
            "age_max": 17,
            "capacity": 1,
            "min_notice_hours": 24,
            "min_stay": min_stay,
            "max_stay": max_stay,
        },
        provider=provider,
    )
    assert not form.is_valid()
    assert field in form.errors and "duur" in form.errors[field][0]


def test_the_service_and_the_database_refuse_a_bad_flexible_length(make_offer, flexible):
    with pytest.raises(services.RespiteError) as err:
        make_offer(kind="flexible", min_stay=1, max_stay=5)
    assert err.value.code == "invalid_min_stay"
    with pytest.raises(IntegrityError), transaction.atomic():
        type(flexible).objects.filter(pk=flexible.pk).update(max_stay=20)


def test_the_offer_page_shows_the_flexible_length(client, flexible):
    r = client.get(f"/respijt/aanbod/{flexible.pk}/")
    assert "3 tot en met 5 dagen" in r.content.decode()
