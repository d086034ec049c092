"""Login throttling per account and per client address, never refusing another account's
correct password because of what happened at the same address."""

from __future__ import annotations

import pytest

from thuisnet.accounts.models import User

pytestmark = pytest.mark.django_db

PASSWORD = "Geheim-wachtwoord-1"
ATTACKER = "198.51.100.66"


def _login(client, email, password, address=ATTACKER):
    client.cookies.clear()
    response = client.post("/accounts/login/", {"login": email, "password": password}, REMOTE_ADDR=address)
    signed_in = client.session.get("_auth_user_id") is not None
    client.logout()
    return response, signed_in


def _accounts(region, n):
    from allauth.account.models import EmailAddress

    users = []
    for i in range(n):
        user = User.objects.create_user(
            email=f"lid{i}@example.org", password=PASSWORD, region=region, full_name=f"Lid {i}"
        )
        EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
        users.append(user)
    return users


def test_after_ten_failures_from_one_address_another_user_still_logs_in(client, parent, region, home_page):
    for victim in _accounts(region, 10):
        _login(client, victim.email, "verkeerd")
    response, signed_in = _login(client, parent.email, PASSWORD)
    assert signed_in, response.content.decode()[:500]


def test_after_ten_failures_on_one_account_another_user_at_that_address_logs_in(
    client, parent, outsider, home_page
):
    for _ in range(10):
        _login(client, outsider.email, "verkeerd")
    _response, signed_in = _login(client, parent.email, PASSWORD)
    assert signed_in


def test_five_failures_close_that_account_at_that_address_even_for_the_right_password(
    client, parent, home_page
):
    for _ in range(5):
        _login(client, parent.email, "verkeerd")
    response, signed_in = _login(client, parent.email, PASSWORD)
    assert not signed_in
    assert "te vaak een verkeerd wachtwoord" in response.content.decode()
    # The owner at home (another address) is not refused.
    _response, signed_in = _login(client, parent.email, PASSWORD, address="192.0.2.10")
    assert signed_in


def test_a_noisy_address_gets_one_guess_per_account(client, region, home_page):
    sprayed = _accounts(region, 12)
    for victim in sprayed[:10]:
        _login(client, victim.email, "verkeerd")
    # The address is noisy now. A fresh account is still checked once...
    fresh = sprayed[10]
    _login(client, fresh.email, "verkeerd")
    # ...and after that one failure it is closed for this address, right password or not.
    response, signed_in = _login(client, fresh.email, PASSWORD)
    assert not signed_in and "te vaak een verkeerd wachtwoord" in response.content.decode()
    # An account without a failure from here logs in with the right password.
    _response, signed_in = _login(client, sprayed[11].email, PASSWORD)
    assert signed_in


def test_guessing_spread_over_many_addresses_closes_only_that_account(
    client, parent, outsider, settings, home_page
):
    settings.THUISNET_RATE_LIMITS = {"login.account": (6, 3600)}
    for i in range(6):
        _login(client, parent.email, "verkeerd", address=f"203.0.113.{i + 1}")
    _response, signed_in = _login(client, parent.email, PASSWORD, address="192.0.2.10")
    assert not signed_in  # the price of stopping distributed guessing, for this account only
    _response, signed_in = _login(client, outsider.email, PASSWORD, address="203.0.113.1")
    assert signed_in


def test_a_correct_login_clears_that_accounts_failures_at_that_address(client, parent, home_page):
    for _ in range(4):
        _login(client, parent.email, "verkeerd")
    assert _login(client, parent.email, PASSWORD)[1]
    for _ in range(4):
        _login(client, parent.email, "verkeerd")
    assert _login(client, parent.email, PASSWORD)[1]


def test_the_address_follows_the_trusted_proxy_count(client, parent, settings, home_page):
    settings.TRUSTED_PROXY_COUNT = 1
    for i in range(5):
        # A client behind our proxy that makes up X-Forwarded-For entries stays one address.
        client.post(
            "/accounts/login/",
            {"login": parent.email, "password": "verkeerd"},
            REMOTE_ADDR="10.0.0.1",
            HTTP_X_FORWARDED_FOR=f"203.0.113.{i}, {ATTACKER}",
        )
    client.post(
        "/accounts/login/",
        {"login": parent.email, "password": PASSWORD},
        REMOTE_ADDR="10.0.0.1",
        HTTP_X_FORWARDED_FOR=f"203.0.113.99, {ATTACKER}",
    )
    assert client.session.get("_auth_user_id") is None


def test_wrong_authenticator_codes_are_throttled_per_account(client, staff, with_totp, home_page):
    """A stolen password is not enough to guess the six digits: after five wrong codes even
    the right one is refused for a while."""
    import time

    from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

    from tests.conftest import TOTP_SECRET

    with_totp(staff)
    client.post("/accounts/login/", {"login": staff.email, "password": PASSWORD})
    answers = [client.post("/accounts/2fa/authenticate/", {"code": "000000"}).status_code for _ in range(6)]
    right = format_hotp_value(hotp_value(TOTP_SECRET, int(time.time()) // 30))
    client.post("/accounts/2fa/authenticate/", {"code": right})
    assert client.session.get("thuisnet_mfa_ok") is None
    assert "_auth_user_id" not in client.session
    assert answers  # every wrong code got a page, not a 500
    assert all(code < 500 for code in answers)


def test_concurrent_guesses_cannot_pass_the_pair_limit(client, parent, home_page):
    """Tries are counted before the password is checked: the sixth try is refused even
    when the first five are still in flight (simulated by reserving without finishing)."""
    from thuisnet.core import ratelimit

    for _ in range(5):
        ratelimit.hit("login.pair", f"{ATTACKER}|{parent.email}")
        ratelimit.hit("login.account", parent.email)
    _response, signed_in = _login(client, parent.email, PASSWORD)
    assert not signed_in


def test_a_correct_password_takes_its_reserved_try_back(client, parent, home_page):
    from thuisnet.core import ratelimit

    for _ in range(3):
        _login(client, parent.email, PASSWORD)
    assert ratelimit.peek("login.account", parent.email).count == 0
