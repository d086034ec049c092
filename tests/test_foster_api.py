"""The public API: upcoming evenings and registration create, in the OpenAPI schema."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from foster.models import Registration

BODY = {
    "name": "Anna de Vries",
    "email": "anna@example.org",
    "postcode": "7411",
    "attendees": 2,
    "interests": ["full_time"],
    "source": "website",
    "consent": True,
}


@pytest.fixture
def api():
    return APIClient()


@pytest.mark.django_db
def test_it_lists_upcoming_evenings_publicly(api, make_evening):
    make_evening(title="Avond A", capacity=10)
    make_evening(title="Vorige maand", days=-30)
    response = api.get("/api/v1/avonden/")
    assert response.status_code == 200
    [item] = response.json()
    assert item["title"] == "Avond A" and item["places_left"] == 10
    assert item["registration_open"] is True and item["mode"] == "in_person"
    assert item["organisers"] == ["Pleegzorg IJsselland"]


@pytest.mark.django_db
def test_it_creates_a_registration_and_says_when_it_is_a_duplicate(api, session):
    first = api.post(f"/api/v1/avonden/{session.pk}/aanmeldingen/", BODY, format="json")
    assert first.status_code == 201
    assert first.json()["status"] == "confirmed" and first.json()["duplicate"] is False
    again = api.post(f"/api/v1/avonden/{session.pk}/aanmeldingen/", BODY, format="json")
    assert again.status_code == 200 and again.json()["duplicate"] is True
    assert Registration.objects.count() == 1


@pytest.mark.django_db
def test_a_repeat_registration_never_reveals_the_existing_ones_status(api, make_evening):
    """Anyone can post someone else's address: the answer must not say whether that person
    is confirmed or where they stand on the waiting list."""
    session = make_evening(capacity=1).sessions.get()
    api.post(f"/api/v1/avonden/{session.pk}/aanmeldingen/", {**BODY, "email": "a@example.org"}, format="json")
    api.post(f"/api/v1/avonden/{session.pk}/aanmeldingen/", BODY, format="json")  # waits
    again = api.post(f"/api/v1/avonden/{session.pk}/aanmeldingen/", BODY, format="json").json()
    assert again["status"] is None and again["waiting_position"] is None


@pytest.mark.django_db
def test_it_answers_invalid_input_with_a_code_and_dutch_messages(api, session):
    body = {**BODY, "email": "nee", "postcode": "12", "consent": False}
    response = api.post(f"/api/v1/avonden/{session.pk}/aanmeldingen/", body, format="json")
    assert response.status_code == 422
    data = response.json()
    assert data["code"] == "invalid"
    assert set(data["errors"]) >= {"email", "postcode", "consent"}
    assert "4 cijfers" in data["errors"]["postcode"][0]
    assert not Registration.objects.exists()


@pytest.mark.django_db
def test_it_refuses_a_cancelled_evening_with_409(api, session):
    from foster import services

    services.cancel_session(session, "Storm")
    response = api.post(f"/api/v1/avonden/{session.pk}/aanmeldingen/", BODY, format="json")
    assert response.status_code == 409 and response.json()["code"] == "cancelled"


@pytest.mark.django_db
def test_it_answers_404_for_an_unknown_evening(api):
    response = api.post("/api/v1/avonden/999/aanmeldingen/", BODY, format="json")
    assert response.status_code == 404 and response.json()["code"] == "not_found"


@pytest.mark.django_db
def test_a_repeated_idempotency_key_returns_the_first_answer(api, make_evening):
    page = make_evening(capacity=2)
    session = page.sessions.get()
    url = f"/api/v1/avonden/{session.pk}/aanmeldingen/"
    first = api.post(url, BODY, format="json", HTTP_IDEMPOTENCY_KEY="k1")
    replay = api.post(url, BODY, format="json", HTTP_IDEMPOTENCY_KEY="k1")
    assert first.status_code == replay.status_code == 201
    assert replay.json() == first.json()
    other = api.post(url, {**BODY, "email": "bob@example.org"}, format="json")
    assert other.json()["status"] == "waiting" and other.json()["waiting_position"] == 1


@pytest.mark.django_db
def test_both_endpoints_are_in_the_openapi_schema(api):
    response = api.get("/api/v1/schema/", HTTP_ACCEPT="application/json")
    paths = response.json()["paths"] if response["Content-Type"].startswith("application/json") else None
    if paths is None:
        import yaml

        paths = yaml.safe_load(response.content)["paths"]
    assert "get" in paths["/api/v1/avonden/"]
    assert "post" in paths["/api/v1/avonden/{session_id}/aanmeldingen/"]


@pytest.mark.django_db
def test_the_schema_names_every_refusal_of_a_registration(api):
    response = api.get("/api/v1/schema/", HTTP_ACCEPT="application/json")
    if response["Content-Type"].startswith("application/json"):
        paths = response.json()["paths"]
    else:
        import yaml

        paths = yaml.safe_load(response.content)["paths"]
    refusals = paths["/api/v1/avonden/{session_id}/aanmeldingen/"]["post"]["responses"]["409"]["description"]
    for code in ("deadline_passed", "cancelled", "invitation_only", "account_required"):
        assert f"`{code}`" in refusals
