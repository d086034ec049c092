"""Sign-up with email verification, login, logout, password reset, 2FA for staff, throttling."""

import re

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.utils import encrypt

from thuisnet.accounts.models import User
from thuisnet.core.demo import totp_code

pytestmark = pytest.mark.django_db

SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


def _link(message) -> str:
    return (
        re.search(r"https?://\S+", message.body)
        .group(0)
        .replace("http://127.0.0.1:8000", "")
        .replace("http://testserver", "")
    )


def test_it_signs_up_a_parent_and_verifies_the_email(client, municipalities, home_page, sent_mail):
    response = client.post(
        "/accounts/signup/",
        {
            "email": "Nieuw@Example.org",
            "password1": "Een-lang-wachtwoord-42",
            "password2": "Een-lang-wachtwoord-42",
            "full_name": "Noor de Vries",
            "family_form": "foster",
            "municipality": municipalities["zutphen"].pk,
        },
    )
    assert response.status_code == 302
    user = User.objects.get(email="nieuw@example.org")
    assert user.full_name == "Noor de Vries"
    assert user.household.family_form == "foster"
    assert user.household.municipality == municipalities["zutphen"]
    assert not user.household.is_verified  # the provider confirms it later

    emails = sent_mail()
    assert len(emails) == 1 and emails[0].to == ["nieuw@example.org"]
    confirm_url = _link(emails[0])
    assert client.get(confirm_url).status_code == 200
    response = client.post(confirm_url)
    assert response.status_code == 302
    assert client.get("/").context["user"] == user


def test_it_explains_what_is_wrong_with_a_signup(client, municipalities, home_page):
    response = client.post(
        "/accounts/signup/",
        {
            "email": "geen-email",
            "password1": "kort",
            "password2": "anders",
            "full_name": "",
            "family_form": "foster",
        },
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Er is iets niet goed ingevuld" in html
    assert "Kies de gemeente waar je gezin woont." in html
    assert not User.objects.filter(full_name="").exists()


def test_a_parent_logs_in_with_a_password_only(client, parent, home_page):
    response = client.post("/accounts/login/", {"login": parent.email, "password": "Geheim-wachtwoord-1"})
    assert response.status_code == 302
    assert client.get("/").context["user"] == parent


def test_staff_must_give_a_second_factor_at_login(client, staff, home_page):
    Authenticator.objects.create(user=staff, type=Authenticator.Type.TOTP, data={"secret": encrypt(SECRET)})
    response = client.post("/accounts/login/", {"login": staff.email, "password": "Geheim-wachtwoord-1"})
    assert response.status_code == 302 and "/accounts/2fa/authenticate/" in response["Location"]
    assert not client.get("/").context["user"].is_authenticated

    wrong = client.post("/accounts/2fa/authenticate/", {"code": "000000"})
    assert wrong.status_code == 200
    assert not client.get("/").context["user"].is_authenticated

    response = client.post("/accounts/2fa/authenticate/", {"code": totp_code(SECRET)})
    assert response.status_code == 302
    assert client.get("/").context["user"] == staff


def test_staff_without_a_second_factor_are_sent_to_set_one_up(client, coordinator, home_page):
    client.post("/accounts/login/", {"login": coordinator.email, "password": "Geheim-wachtwoord-1"})
    response = client.get("/zoeken/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/2fa/totp/activate/")


def test_a_parent_is_not_asked_for_a_second_factor(login, parent, home_page):
    client = login(parent)
    client.session.pop("thuisnet_mfa_ok", None)
    assert client.get("/zoeken/").status_code == 200


def test_it_logs_out(login, parent, home_page):
    client = login(parent)
    client.post("/accounts/logout/")
    assert not client.get("/").context["user"].is_authenticated


def test_it_sends_a_password_reset_link_through_the_outbox(client, parent, home_page, sent_mail):
    client.post("/accounts/password/reset/", {"email": parent.email})
    emails = sent_mail()
    assert len(emails) == 1
    assert "/accounts/password/reset/key/" in emails[0].body


def test_it_throttles_repeated_failed_logins(client, parent, home_page):
    for _ in range(5):
        client.post("/accounts/login/", {"login": parent.email, "password": "fout"})
    response = client.post("/accounts/login/", {"login": parent.email, "password": "Geheim-wachtwoord-1"})
    # Even the right password is refused while the account is throttled.
    assert not client.get("/").context["user"].is_authenticated
    assert response.status_code in (200, 429)


def test_account_pages_share_one_navigation(login, parent, home_page):
    client = login(parent)
    for url in ["/accounts/email/", "/accounts/password/change/", "/accounts/2fa/"]:
        html = client.get(url).content.decode()
        assert f'href="{url}" aria-current="page"' in html


def test_the_admin_login_pages_lead_to_the_login_with_a_second_factor(client):
    for url in ["/admin/login/?next=/admin/", "/django-admin/login/?next=/django-admin/"]:
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")


def test_a_staff_session_that_skipped_the_second_factor_is_logged_out(client, staff, home_page):
    Authenticator.objects.create(user=staff, type=Authenticator.Type.TOTP, data={"secret": encrypt(SECRET)})
    client.force_login(staff)  # as any login path that skips allauth's 2FA step would
    response = client.get("/zoeken/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    assert not client.get("/").context["user"].is_authenticated


def test_setting_up_totp_counts_as_the_second_factor(client, coordinator, home_page):
    from allauth.mfa.signals import authenticator_added

    client.post("/accounts/login/", {"login": coordinator.email, "password": "Geheim-wachtwoord-1"})
    assert client.get("/zoeken/").status_code == 302  # sent to set up TOTP
    authenticator = Authenticator.objects.create(
        user=coordinator, type=Authenticator.Type.TOTP, data={"secret": encrypt(SECRET)}
    )

    # allauth sends this (after its transaction commits) once a valid code was entered.
    class Request:
        session = client.session

    authenticator_added.send(
        sender=Authenticator, request=Request, user=coordinator, authenticator=authenticator
    )
    Request.session.save()
    assert client.get("/zoeken/").status_code == 200
