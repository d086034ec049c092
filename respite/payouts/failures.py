"""Why a transfer failed, in words staff understand, and when Thuisnet may send it again by itself.

Stripe says why it refused a transfer in its error ``code`` (``gateway.GatewayError.code``).
Two causes go away without anyone changing the payout, so Thuisnet retries them itself:

- ``balance``: the platform's Stripe balance was too low (``balance_insufficient``). Money
  arrives on the balance on Stripe's payout schedule, so the periodic job tries again later.
- ``account``: the host's connected account could not receive transfers yet (its
  ``transfers`` capability not active). Retried as soon as Stripe reports the account enabled
  (webhook ``account.updated`` or the host's return from onboarding), and by the periodic
  job while the account stays enabled.

The automatic policy, for both: at most ``MAX_AUTO_RETRIES`` (5) attempts, spaced by
``backoff(n)`` after the failure: 6 h, 12 h, 24 h, 24 h, 24 h (at least 6 hours apart,
so about three and a half days in all, long enough for a top-up of the balance to arrive and
short enough that a host is not left waiting for weeks). After that the payout stays failed
until provider staff retry it by hand ("Opnieuw uitbetalen"), which starts the count again.
Every other refusal (a wrong amount, an unknown account, ...) is retried only by hand.
"""

from __future__ import annotations

from datetime import timedelta

from django.utils.translation import gettext_lazy as _

BALANCE = "balance"
ACCOUNT = "account"
OTHER = "other"

BALANCE_CODES = frozenset({"balance_insufficient"})
# The destination cannot take transfers (yet): onboarding or verification not finished.
ACCOUNT_CODES = frozenset({"insufficient_capabilities_for_transfer", "capability_not_active"})

MAX_AUTO_RETRIES = 5
FIRST_BACKOFF = timedelta(hours=6)
LONGEST_BACKOFF = timedelta(hours=24)

EXPLANATIONS = {
    BALANCE: _(
        "Er stond te weinig geld op de Stripe-rekening van Thuisnet. Thuisnet probeert het vanzelf "
        "opnieuw; is de rekening aangevuld, dan kun je ook nu opnieuw uitbetalen."
    ),
    ACCOUNT: _(
        "Het Stripe-account van het gastgezin kon nog geen geld ontvangen. Zodra Stripe het account "
        "goedkeurt, probeert Thuisnet het vanzelf opnieuw."
    ),
    OTHER: _("Stripe weigerde de overboeking."),
}


def cause_of(code: str) -> str:
    """``BALANCE``, ``ACCOUNT`` or ``OTHER`` for a Stripe error code ("" when Stripe sent none)."""
    if code in BALANCE_CODES:
        return BALANCE
    if code in ACCOUNT_CODES:
        return ACCOUNT
    return OTHER


def retried_automatically(code: str) -> bool:
    return cause_of(code) in (BALANCE, ACCOUNT)


def backoff(auto_retries: int) -> timedelta:
    """How long after a failure the next automatic attempt waits, given the attempts so far."""
    return min(FIRST_BACKOFF * 2**auto_retries, LONGEST_BACKOFF)


def explain(code: str) -> str:
    """The cause in plain Dutch (Stripe's own message is English and kept for the log)."""
    return str(EXPLANATIONS[cause_of(code)])
