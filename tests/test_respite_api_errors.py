"""API defects: unknown filter values answer 422 with the standard error body, and a
non-integer id answers a JSON 404 (not an HTML page)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from rest_framework.test import APIClient

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(login, parent):
    return login(parent, APIClient())


def _standard_422(r, field: str) -> None:
    assert r.status_code == 422, r.content
    body = r.json()
    assert body["code"] == "invalid" and body["message"] and field in body["errors"]


def test_an_unknown_booking_status_is_refused(api):
    _standard_422(api.get("/api/v1/respite/bookings/?status=bogus"), "status")


def test_a_known_booking_status_filters(api, parent, offer, book, next_week):
    book(parent, offer, next_week)
    assert len(api.get("/api/v1/respite/bookings/?status=requested").json()) == 1
    assert api.get("/api/v1/respite/bookings/?status=accepted").json() == []


@pytest.mark.parametrize(
    "extra,field",
    [
        ("kind=castle", "kind"),
        ("needs=lvb,flying", "needs"),
        ("age=old", "age"),
        ("radius=far", "radius"),
        ("municipality=atlantis", "municipality"),
    ],
)
def test_unknown_offer_filters_are_refused(api, next_week, extra, field):
    end = next_week + timedelta(days=1)
    _standard_422(api.get(f"/api/v1/respite/offers/?start={next_week}&end={end}&{extra}"), field)


def test_dates_the_wrong_way_round_are_refused(api, next_week):
    _standard_422(api.get(f"/api/v1/respite/offers/?start={next_week}&end=2000-01-01"), "end")


def test_known_offer_filters_still_work(api, offer, next_week):
    end = next_week + timedelta(days=1)
    r = api.get(f"/api/v1/respite/offers/?start={next_week}&end={end}&kind=place&needs=lvb,autism&age=9")
    assert r.status_code == 200 and [o["id"] for o in r.json()] == [offer.pk]


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/respite/bookings/abc/",
        "/api/v1/respite/bookings/abc/accept/",
        "/api/v1/respite/offers/1e3/",
        "/api/v1/respite/offers/x/blocked-dates/",
    ],
)
def test_a_non_integer_id_is_a_json_404(api, path):
    for r in (api.get(path), api.post(path, {}, format="json")):
        assert r.status_code == 404
        assert r["Content-Type"].startswith("application/json")
        assert r.json()["code"] == "not_found"
