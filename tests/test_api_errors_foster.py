"""Small API defects of the evening API (issue 10, item 10), each failed before its fix."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db

BODY = {
    "name": "Bezoeker",
    "email": "bezoeker@example.org",
    "postcode": "7411",
    "interests": ["full_time"],
    "consent": True,
}


def test_an_email_over_254_characters_is_a_422_not_a_500(client, session):
    long_email = "a" * 64 + "@" + ".".join(["b" * 60] * 4) + ".nl"  # 311 characters
    assert len(long_email) > 254
    response = client.post(
        f"/api/v1/avonden/{session.pk}/aanmeldingen/",
        {**BODY, "email": long_email},
        content_type="application/json",
    )
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "invalid" and "email" in body["errors"] and body["message"]


def test_an_unknown_mode_filter_is_a_422(client, evening):
    response = client.get("/api/v1/avonden/?mode=per-postduif")
    assert response.status_code == 422
    assert response.json()["code"] == "invalid"
    assert list(response.json()["errors"]) == ["mode"]
    assert client.get("/api/v1/avonden/?mode=in_person").status_code == 200


@pytest.mark.parametrize("session_id", ["abc", "1.5", "-1", "%20", "%C2%B2", "9" * 30])
def test_a_non_integer_session_id_is_a_json_404(client, session, session_id):
    response = client.post(
        f"/api/v1/avonden/{session_id}/aanmeldingen/", BODY, content_type="application/json"
    )
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["code"] == "not_found"


def test_a_registration_for_a_session_that_does_not_exist_is_a_json_404(client, session):
    response = client.post("/api/v1/avonden/999999/aanmeldingen/", BODY, content_type="application/json")
    assert response.status_code == 404 and response.json()["code"] == "not_found"


def test_checking_in_a_non_integer_registration_is_a_404_not_a_500(login, staff, session):
    response = login(staff).post(f"/avonden/beheer/{session.pk}/inchecken/", {"registration": "abc"})
    assert response.status_code == 404
