"""Issue 11, item 8: /api/v1/matching/ for providers' systems."""

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from matching.models import Mentee

pytestmark = pytest.mark.django_db


def _api(user):
    from allauth.mfa.models import Authenticator

    c = APIClient()
    # Staff tokens count only for accounts with TOTP.
    Authenticator.objects.get_or_create(user=user, type="totp", defaults={"data": {}})
    c.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.get_or_create(user=user)[0].key}")
    return c


def test_a_provider_refers_its_own_household_once_per_key(staff, parent):
    api = _api(staff)
    body = {
        "household": parent.household_id,
        "external_ref": "D-17",
        "age_bands": ["4-11"],
        "needs": ["trauma"],
    }
    first = api.post("/api/v1/matching/mentees/", body, format="json", HTTP_IDEMPOTENCY_KEY="ref-1")
    replay = api.post("/api/v1/matching/mentees/", body, format="json", HTTP_IDEMPOTENCY_KEY="ref-1")
    assert first.status_code == 201, first.content
    assert replay.status_code == 201 and replay["Idempotent-Replayed"] == "true", replay.content
    assert first.json()["status"] == "waiting" and first.json()["pairing"] is None
    again = api.post("/api/v1/matching/mentees/", body, format="json")
    assert again.status_code == 200 and again.json()["id"] == first.json()["id"]
    assert Mentee.objects.count() == 1
    assert Mentee.objects.get().referred_by_id == parent.household.provider_id


def test_another_provider_cannot_refer_or_read_the_household(staff, other_staff, parent):
    r = _api(other_staff).post("/api/v1/matching/mentees/", {"household": parent.household_id}, format="json")
    assert r.status_code == 403 and r.json()["code"] == "permission_denied"
    made = (
        _api(staff)
        .post("/api/v1/matching/mentees/", {"household": parent.household_id}, format="json")
        .json()
    )
    assert _api(other_staff).get("/api/v1/matching/mentees/").json() == []
    r = _api(other_staff).get(f"/api/v1/matching/mentees/{made['id']}/")
    assert r.status_code == 404 and set(r.json()) == {"code", "message"}


def test_bad_input_answers_422_with_the_project_error_body(staff, parent):
    r = _api(staff).post(
        "/api/v1/matching/mentees/", {"household": parent.household_id, "needs": ["vliegen"]}, format="json"
    )
    assert r.status_code == 422 and r.json()["code"] == "invalid" and "needs" in r.json()["errors"]


def test_the_provider_reads_the_pairing_status(staff, coordinator, make_mentor, make_family, region):
    from matching import services

    make_mentor("mentor@example.org")
    family = make_family("nieuw@example.org")
    made = (
        _api(staff)
        .post("/api/v1/matching/mentees/", {"household": family.household_id}, format="json")
        .json()
    )
    services.confirm_round(coordinator, services.run_round(coordinator, region).pk)
    got = _api(staff).get(f"/api/v1/matching/mentees/{made['id']}/").json()
    assert got["status"] == "paired" and got["pairing"]["status"] == "proposed"
    assert "mentor" not in got["pairing"]


def test_anonymous_callers_are_refused(parent):
    r = APIClient().get("/api/v1/matching/mentees/")
    assert r.status_code in (401, 403)


def test_the_endpoints_are_in_the_openapi_schema():
    r = APIClient().get("/api/v1/schema/", HTTP_ACCEPT="application/json")
    if r["Content-Type"].startswith("application/json"):
        paths = r.json()["paths"]
    else:
        import yaml

        paths = yaml.safe_load(r.content)["paths"]
    assert {"get", "post"} <= set(paths["/api/v1/matching/mentees/"])
    assert "get" in paths["/api/v1/matching/mentees/{id}/"]
