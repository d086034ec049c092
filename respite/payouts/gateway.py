"""The only module that talks to Stripe. ``stripe`` is imported inside the functions, so
nothing of Stripe is loaded unless payouts are on and a call is actually made.

Every function returns plain dicts/values (not Stripe objects) so the services stay testable.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from . import conf


class GatewayError(Exception):
    """Stripe refused the call (``definitive``) or could not be reached (retry with the same key).

    ``code`` is Stripe's machine-readable error code (``balance_insufficient``, ...) when Stripe
    sent one, else "": the services decide from it whether a refusal may be retried by itself.
    """

    def __init__(self, message: str, *, definitive: bool, code: str = "") -> None:
        super().__init__(message)
        self.definitive = definitive
        self.code = code


def _client():
    import stripe

    options: dict[str, Any] = {"max_network_retries": conf.network_retries()}
    if conf.api_base():
        options["base_addresses"] = {"api": conf.api_base(), "connect": conf.api_base()}
    return stripe.StripeClient(conf.secret_key(), **options)


def _call(fn, *args, **kwargs):
    import stripe

    try:
        return fn(*args, **kwargs)
    except (stripe.APIConnectionError, stripe.RateLimitError) as exc:
        raise GatewayError(
            str(exc.user_message or exc), definitive=False, code=str(getattr(exc, "code", "") or "")
        ) from exc
    except stripe.StripeError as exc:
        status = getattr(exc, "http_status", None) or 0
        raise GatewayError(
            str(exc.user_message or exc),
            definitive=status < 500,
            code=str(getattr(exc, "code", "") or "")[:60],
        ) from exc


def create_express_account(*, email: str, reference: str) -> str:
    client = _client()
    account = _call(
        client.v1.accounts.create,
        params={
            "type": "express",
            "country": conf.connect_country(),
            "email": email,
            "capabilities": {"transfers": {"requested": True}},
            "business_type": "individual",
            "metadata": {"thuisnet_user": reference},
        },
        options={"idempotency_key": f"thuisnet-account-{reference}"},
    )
    return account.id


def account_link(account_id: str, *, refresh_url: str, return_url: str) -> str:
    client = _client()
    link = _call(
        client.v1.account_links.create,
        params={
            "account": account_id,
            "refresh_url": refresh_url,
            "return_url": return_url,
            "type": "account_onboarding",
        },
    )
    return link.url


def account_state(account_id: str) -> dict[str, bool]:
    client = _client()
    account = _call(client.v1.accounts.retrieve, account_id)
    return _state(account.to_dict())


def _state(account) -> dict[str, bool]:
    return {
        "details_submitted": bool(account.get("details_submitted")),
        "payouts_enabled": bool(account.get("payouts_enabled")),
    }


def create_transfer(
    *, amount_cents: int, destination: str, idempotency_key: str, metadata: dict[str, str]
) -> str:
    """Move ``amount_cents`` from the platform's balance to the host's account; the transfer id."""
    client = _client()
    transfer = _call(
        client.v1.transfers.create,
        params={
            "amount": amount_cents,
            "currency": conf.currency(),
            "destination": destination,
            "transfer_group": metadata.get("booking", ""),
            "metadata": metadata,
        },
        options={"idempotency_key": idempotency_key},
    )
    return transfer.id


def transfers_between(start_ts: int, end_ts: int) -> Iterator[dict[str, Any]]:
    """Every transfer created in [start_ts, end_ts): id, amount, reversed amount, metadata."""
    client = _client()
    page = _call(client.v1.transfers.list, params={"created": {"gte": start_ts, "lt": end_ts}, "limit": 100})
    for obj in page.auto_paging_iter():
        t = obj.to_dict()
        yield {
            "id": t["id"],
            "created": int(t.get("created") or 0),
            "amount": int(t.get("amount") or 0),
            "amount_reversed": int(t.get("amount_reversed") or 0),
            "destination": t.get("destination") or "",
            "metadata": dict(t.get("metadata") or {}),
        }


def verify_event(payload: bytes, signature: str) -> dict[str, Any]:
    """The event, if its ``Stripe-Signature`` is valid for our webhook secret; else ValueError."""
    import stripe

    try:
        event = stripe.Webhook.construct_event(payload, signature, conf.webhook_secret())
    except stripe.SignatureVerificationError as exc:
        raise ValueError("bad signature") from exc
    obj = event["data"]["object"]
    return {
        "id": event["id"],
        "type": event["type"],
        "object": obj.to_dict() if hasattr(obj, "to_dict") else obj,
    }
