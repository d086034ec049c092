"""The respite API: /api/v1/respite/... with token authentication and an OpenAPI schema."""

from __future__ import annotations

from datetime import timedelta

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from respite.models import Booking, Slot

pytestmark = pytest.mark.django_db


def _api(user=None):
    c = APIClient()
    if user is not None:
        from thuisnet.accounts.roles import requires_mfa

        if requires_mfa(user):  # staff tokens count only for accounts with TOTP
            from allauth.mfa.models import Authenticator

            Authenticator.objects.get_or_create(user=user, type="totp", defaults={"data": {}})
        c.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.get_or_create(user=user)[0].key}")
    return c


def _body(offer, start, nights=1, ref="K1", age=9, needs=("behaviour",)):
    return {
        "offer": offer.pk,
        "start": start.isoformat(),
        "end": (start + timedelta(days=nights)).isoformat(),
        "child": {"ref": ref, "age": age, "needs": list(needs)},
    }


def test_it_needs_a_token():
    r = _api().get("/api/v1/respite/offers/?start=2030-01-01&end=2030-01-02")
    assert r.status_code == 401 and r.json()["code"] == "not_authenticated"


def test_it_lists_offers_with_free_capacity_per_night(parent, offer, next_week, municipalities):
    end = next_week + timedelta(days=2)
    r = _api(parent).get(
        f"/api/v1/respite/offers/?start={next_week}&end={end}&age=9&kind=place&municipality=deventer"
    )
    assert r.status_code == 200
    [item] = r.json()
    assert item["id"] == offer.pk and item["free"] == 2
    assert [(s["date"], s["free"]) for s in item["slots"]] == [
        (next_week.isoformat(), 2),
        ((next_week + timedelta(days=1)).isoformat(), 2),
    ]


def test_it_explains_bad_query_parameters(parent):
    r = _api(parent).get("/api/v1/respite/offers/?start=morgen&end=2030-01-01")
    assert r.status_code == 422 and r.json()["code"] == "invalid"


def test_booking_answers_201_then_409_when_full(parent, make_offer, next_week):
    offer = make_offer(capacity=1)
    api = _api(parent)
    r = api.post("/api/v1/respite/bookings/", _body(offer, next_week), format="json")
    assert r.status_code == 201 and r.json()["status"] == "requested"
    r = api.post("/api/v1/respite/bookings/", _body(offer, next_week, ref="K2"), format="json")
    assert r.status_code == 409 and r.json()["code"] == "no_capacity"
    assert "geen plek" in r.json()["message"]


def test_working_agreements_and_fields_answer_422(parent, offer, next_week, agreement):
    from django.utils import timezone

    api = _api(parent)
    r = api.post(
        "/api/v1/respite/bookings/", _body(offer, timezone.localdate() + timedelta(days=1)), format="json"
    )
    assert r.status_code == 422 and r.json()["code"] == "lead_time"
    r = api.post("/api/v1/respite/bookings/", _body(offer, next_week, age=30), format="json")
    assert (
        r.status_code == 422
        and r.json()["code"] == "invalid"
        and "age" in r.json()["errors"]["child"][0]
        or r.json()["errors"]
    )


def test_a_repeated_idempotency_key_makes_one_booking(parent, offer, next_week):
    api = _api(parent)
    first = api.post(
        "/api/v1/respite/bookings/", _body(offer, next_week), format="json", HTTP_IDEMPOTENCY_KEY="abc-123"
    )
    again = api.post(
        "/api/v1/respite/bookings/", _body(offer, next_week), format="json", HTTP_IDEMPOTENCY_KEY="abc-123"
    )
    assert first.status_code == again.status_code == 201
    assert first.json()["id"] == again.json()["id"]
    assert Booking.objects.count() == 1
    assert Slot.objects.get(offer=offer, day=next_week).held == 1


def test_provider_accepts_declines_and_cancels(parent, staff, offer, next_week):
    api = _api(parent)
    ids = [
        api.post(
            "/api/v1/respite/bookings/", _body(offer, next_week + timedelta(days=i)), format="json"
        ).json()["id"]
        for i in range(3)
    ]
    staff_api = _api(staff)
    r = staff_api.post(f"/api/v1/respite/bookings/{ids[0]}/accept/")
    assert r.status_code == 200 and r.json()["status"] == "accepted"
    assert r.json()["child"]["ref"] == "K1"  # visible from acceptance
    r = staff_api.post(f"/api/v1/respite/bookings/{ids[1]}/decline/", {"reason": "vol"}, format="json")
    assert r.json()["status"] == "declined" and r.json()["child"] is None
    r = staff_api.post(f"/api/v1/respite/bookings/{ids[0]}/cancel/", {}, format="json")
    assert r.status_code == 422 and r.json()["code"] == "reason_required"
    r = staff_api.post(f"/api/v1/respite/bookings/{ids[0]}/cancel/", {"reason": "ziek"}, format="json")
    assert r.json()["status"] == "cancelled_by_provider"
    r = api.post(f"/api/v1/respite/bookings/{ids[2]}/cancel/")
    assert r.json()["status"] == "cancelled"


def test_a_parent_cannot_accept_and_other_staff_cannot_see(parent, other_staff, offer, next_week):
    bid = _api(parent).post("/api/v1/respite/bookings/", _body(offer, next_week), format="json").json()["id"]
    r = _api(parent).post(f"/api/v1/respite/bookings/{bid}/accept/")
    assert r.status_code == 403
    r = _api(other_staff).post(f"/api/v1/respite/bookings/{bid}/accept/")
    assert r.status_code == 404


def test_staff_manage_offers_blocked_dates_and_capacity(
    staff, other_staff, parent, municipalities, agreement, next_week
):
    api = _api(staff)
    r = api.post(
        "/api/v1/respite/offers/",
        {
            "kind": "host_family",
            "title": "Weekendgezin Brummen",
            "municipality": "deventer",
            "postcode": "7411",
            "age_min": 0,
            "age_max": 12,
            "handles": ["trauma"],
            "capacity": 2,
            "min_notice_hours": 0,
            "max_stay": 3,
        },
        format="json",
    )
    assert r.status_code == 201, r.json()
    oid = r.json()["id"]
    r = api.post(
        f"/api/v1/respite/offers/{oid}/availability/",
        {
            "start": f"{next_week}T17:00:00+01:00",
            "end": f"{next_week + timedelta(days=1)}T12:00:00+01:00",
            "repeat": "daily",
        },
        format="json",
    )
    assert r.status_code == 201
    bid = (
        _api(parent)
        .post(
            "/api/v1/respite/bookings/",
            {
                "offer": oid,
                "start": next_week.isoformat(),
                "end": (next_week + timedelta(days=1)).isoformat(),
                "child": {"ref": "K1", "age": 5, "needs": []},
            },
            format="json",
        )
        .json()["id"]
    )
    _api(parent).post(
        "/api/v1/respite/bookings/",
        {
            "offer": oid,
            "start": next_week.isoformat(),
            "end": (next_week + timedelta(days=1)).isoformat(),
            "child": {"ref": "K2", "age": 5, "needs": []},
        },
        format="json",
    )
    r = api.patch(f"/api/v1/respite/offers/{oid}/", {"capacity": 1}, format="json")
    assert r.status_code == 409 and r.json()["code"] == "capacity_in_use" and bid in r.json()["bookings"]
    r = api.post(
        f"/api/v1/respite/offers/{oid}/blocked-dates/",
        {"day": (next_week + timedelta(days=3)).isoformat()},
        format="json",
    )
    assert r.status_code == 201
    r = api.delete(f"/api/v1/respite/offers/{oid}/blocked-dates/{next_week + timedelta(days=3)}/")
    assert r.status_code == 204
    assert (
        _api(other_staff).patch(f"/api/v1/respite/offers/{oid}/", {"capacity": 5}, format="json").status_code
        == 403
    )


def test_the_schema_documents_the_respite_endpoints(parent):
    r = _api(parent).get("/api/v1/schema/?format=json")
    paths = r.json()["paths"]
    for p in (
        "/api/v1/respite/offers/",
        "/api/v1/respite/bookings/",
        "/api/v1/respite/bookings/{id}/accept/",
        "/api/v1/respite/bookings/{id}/decline/",
        "/api/v1/respite/bookings/{id}/cancel/",
        "/api/v1/respite/offers/{id}/blocked-dates/",
    ):
        assert p in paths, p
