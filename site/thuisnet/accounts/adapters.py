from __future__ import annotations

from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from django.utils.translation import gettext_lazy as _

from thuisnet.core import ratelimit
from thuisnet.core.net import client_ip


class AccountAdapter(DefaultAccountAdapter):
    """Outbox mail, and login throttling that never refuses an unattacked account.

    Login throttling counts failed passwords three ways (``thuisnet.core.ratelimit``):

    1. per (client address, account) — 5 per 15 minutes: after that this account cannot log
       in from this address, even with the right password (otherwise the guessing goes on
       and the attacker simply sees when a guess is right);
    2. per account, from any address — 20 per hour: stops guessing spread over many
       addresses. The price: an attacked account is locked for everyone, its owner too,
       until the hour is over (or the password is reset). Only that account.
    3. per client address, over all accounts — 10 per 10 minutes: the address is then
       "noisy", and an account that already failed from there gets no further try. An
       account that has not failed from there is still checked, so a colleague behind the
       same office or school address who types the right password gets in; a wrong password
       counts and closes that account for this address too. A sprayer at one address thus
       gets at most one guess per account per window, while no correct login of an account
       that was not attacked from there is refused.
    """

    error_messages = {
        **DefaultAccountAdapter.error_messages,
        "too_many_login_attempts": _(
            "Er is te vaak een verkeerd wachtwoord ingevoerd. Wacht een kwartier en probeer het "
            "dan opnieuw, of vraag een nieuw wachtwoord aan."
        ),
    }

    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        # Account emails (verification, password reset) go through the outbox like all
        # others, so a mail server that is down delays them instead of losing them.
        from thuisnet.core.mail import queue_message

        message = self.render_mail(template_prefix, email, context)
        queue_message(message)

    # ------------------------------------------------------------------ login throttling

    def pre_authenticate(self, request, **credentials: Any) -> None:
        address, account = _login_identity(request, credentials)
        if _refused(address, account):
            raise self.validation_error("too_many_login_attempts")
        # Reserve the try before the (slow) password check: counted first, so fifty guesses
        # sent at once cannot all slip through a window that only counts failures afterwards.
        # A correct password takes the reservation back.
        reserved = [ratelimit.hit(name, ident) for name, ident in _reserved(address, account)]
        if not all(v.allowed for v in reserved):
            raise self.validation_error("too_many_login_attempts")

    def authenticate(self, request, **credentials: Any):
        from allauth.account.auth_backends import AuthenticationBackend
        from django.contrib.auth import authenticate

        # As allauth's own authenticate, with our counters instead of its per-IP limit.
        self.pre_authenticate(request, **credentials)
        AuthenticationBackend.unstash_authenticated_user()
        user = authenticate(request, **credentials)
        user = user or AuthenticationBackend.unstash_authenticated_user()
        address, account = _login_identity(request, credentials)
        if user:
            for name, ident in _reserved(address, account):
                ratelimit.unhit(name, ident)
            ratelimit.reset("login.pair", f"{address}|{account}")
        else:
            ratelimit.hit("login.address", address)
            self.authentication_failed(request, **credentials)
        return user

    def _delete_login_attempts_cached_email(self, request, **credentials: Any) -> None:
        # After a successful password reset the account is its owner's again.
        super()._delete_login_attempts_cached_email(request, **credentials)
        _address, account = _login_identity(request, credentials)
        ratelimit.reset("login.account", account)


def _login_identity(request, credentials: dict) -> tuple[str, str]:
    account = str(credentials.get("email") or credentials.get("username") or "").strip().lower()
    return client_ip(request), account


def _reserved(address: str, account: str) -> list[tuple[str, str]]:
    """The counters a try reserves before the password is checked (the address counter
    counts failures only, after the check)."""
    return [("login.pair", f"{address}|{account}"), ("login.account", account)]


def _refused(address: str, account: str) -> bool:
    pair = ratelimit.peek("login.pair", f"{address}|{account}")
    if not pair.allowed or not ratelimit.peek("login.account", account).allowed:
        return True
    # A noisy address: accounts that already failed from here get no further try.
    return pair.count > 0 and not ratelimit.peek("login.address", address).allowed
