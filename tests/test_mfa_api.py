"""Two factors wherever staff act: the API takes no staff session or token around 2FA."""

from __future__ import annotations

from datetime import date

import pytest
from allauth.mfa.models import Authenticator
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from respite.models import Booking
from tests.conftest import TOTP_SECRET
from thuisnet.core.demo import totp_code

pytestmark = pytest.mark.django_db

PASSWORD = "Geheim-wachtwoord-1"


def _password_login(client, user):
    """Logs in through allauth's form with the password only, as a person would."""
    response = client.post("/accounts/login/", {"login": user.email, "password": PASSWORD})
    assert response.status_code == 302
    return client


def _token_client(user) -> APIClient:
    c = APIClient()
    c.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.get_or_create(user=user)[0].key}")
    return c


@pytest.fixture
def requested(parent, offer, next_week, book):
    return book(parent, offer, next_week)


def _assert_mfa_required(response):
    assert response.status_code == 403, response.content
    body = response.json()
    assert body["code"] == "mfa_required"
    assert "tweestapsverificatie" in body["message"] or "authenticator" in body["message"]


def test_a_staff_session_without_an_authenticator_cannot_use_the_api(
    client, staff, requested, make_placement, home_page
):
    make_placement(date(2024, 1, 1))
    _password_login(client, staff)

    _assert_mfa_required(client.get("/api/v1/placements/report/?start=2024-01-01&end=2024-12-31"))
    _assert_mfa_required(client.get("/api/v1/respite/bookings/"))
    _assert_mfa_required(client.get(f"/api/v1/respite/bookings/{requested.pk}/"))
    _assert_mfa_required(client.post(f"/api/v1/respite/bookings/{requested.pk}/accept/"))
    assert Booking.objects.get(pk=requested.pk).status == "requested"


def test_a_staff_session_without_an_authenticator_can_only_set_one_up(client, staff, home_page):
    _password_login(client, staff)
    for url in ["/respijt/beheer/", "/monitor/", "/zoeken/", "/admin/"]:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith("/accounts/2fa/totp/activate/"), url
    setup = client.get("/accounts/2fa/totp/activate/")
    # The setup page (allauth may first ask for the password again): reachable, not refused.
    assert setup.status_code == 200 or setup["Location"].startswith("/accounts/")


def test_a_staff_session_that_skipped_the_code_is_refused_by_the_api(client, staff, with_totp, requested):
    with_totp(staff)
    client.force_login(staff)  # any login path that skips allauth's second step
    _assert_mfa_required(client.get("/api/v1/respite/bookings/"))
    _assert_mfa_required(client.post(f"/api/v1/respite/bookings/{requested.pk}/accept/"))
    assert Booking.objects.get(pk=requested.pk).status == "requested"


def test_a_staff_session_after_the_code_uses_the_api(client, staff, with_totp, requested, home_page):
    with_totp(staff)
    response = client.post("/accounts/login/", {"login": staff.email, "password": PASSWORD})
    assert "/accounts/2fa/authenticate/" in response["Location"]
    # Half-way (password given, code not yet): not signed in at all for the API.
    assert client.get("/api/v1/respite/bookings/").status_code in (401, 403)
    client.post("/accounts/2fa/authenticate/", {"code": totp_code(TOTP_SECRET)})

    assert client.get("/api/v1/respite/bookings/").status_code == 200
    response = client.post(f"/api/v1/respite/bookings/{requested.pk}/accept/")
    assert response.status_code == 200 and response.json()["status"] == "accepted"


def test_a_staff_token_counts_only_for_an_account_with_totp(staff, with_totp, requested):
    api = _token_client(staff)
    _assert_mfa_required(api.get("/api/v1/respite/bookings/"))
    _assert_mfa_required(api.post(f"/api/v1/respite/bookings/{requested.pk}/accept/"))
    assert Booking.objects.get(pk=requested.pk).status == "requested"

    with_totp(staff)
    assert api.get("/api/v1/respite/bookings/").status_code == 200
    assert api.post(f"/api/v1/respite/bookings/{requested.pk}/accept/").status_code == 200


def test_a_staff_token_stops_working_when_the_authenticator_is_removed(staff, with_totp):
    with_totp(staff)
    api = _token_client(staff)
    assert api.get("/api/v1/respite/bookings/").status_code == 200
    Authenticator.objects.filter(user=staff).delete()
    _assert_mfa_required(api.get("/api/v1/respite/bookings/"))


@pytest.mark.parametrize("who", ["coordinator", "editor", "admin_user"])
def test_every_staff_role_needs_the_second_factor_for_the_api(client, who, request, home_page):
    user = request.getfixturevalue(who)
    _password_login(client, user)
    _assert_mfa_required(client.get("/api/v1/respite/bookings/"))
    _assert_mfa_required(_token_client(user).get("/api/v1/respite/bookings/"))


def test_parents_use_the_api_with_a_password_session_or_a_token(client, parent, offer, next_week, home_page):
    _password_login(client, parent)
    assert client.get("/api/v1/respite/bookings/").status_code == 200
    assert _token_client(parent).get("/api/v1/respite/bookings/").status_code == 200
