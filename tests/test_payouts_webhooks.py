# ruff: noqa: F811  (fixtures imported from tests.payouts_support)
"""Stripe's webhooks are read only after stripe.Webhook.construct_event verified the signature;
one test uses a signature made by localstripe itself."""

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import requests

from respite.payouts.models import ConnectedAccount, Payout, WebhookEvent
from tests.payouts_support import (  # noqa: F401
    WEBHOOK_SECRET,
    enable_account,
    localstripe_server,
    payout_world,
    payouts_on,
    sign,
    stripe_stub,
)

pytestmark = pytest.mark.django_db
URL = "/respijt/uitbetalingen/webhook/"


def _event(kind, obj, event_id="evt_1"):
    return json.dumps(
        {
            "id": event_id,
            "object": "event",
            "type": kind,
            "created": int(time.time()),
            "data": {"object": obj},
        }
    ).encode()


def test_a_signed_account_update_is_applied(payouts_on, payout_world):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)  # Stripe sends no CSRF token
    account = ConnectedAccount.objects.create(user=payout_world["host"], stripe_account_id="acct_x")
    body = _event(
        "account.updated",
        {"id": "acct_x", "object": "account", "details_submitted": True, "payouts_enabled": True},
    )
    response = client.post(URL, body, content_type="application/json", HTTP_STRIPE_SIGNATURE=sign(body))
    assert response.status_code == 200
    account.refresh_from_db()
    assert account.status == ConnectedAccount.Status.ENABLED


def test_a_wrong_signature_is_refused_and_nothing_changes(payouts_on, payout_world, client):
    account = ConnectedAccount.objects.create(user=payout_world["host"], stripe_account_id="acct_x")
    body = _event("account.updated", {"id": "acct_x", "object": "account", "payouts_enabled": True})
    forged = sign(body, secret="whsec_someone_else")
    assert (
        client.post(URL, body, content_type="application/json", HTTP_STRIPE_SIGNATURE=forged).status_code
        == 400
    )
    assert client.post(URL, body, content_type="application/json").status_code == 400
    stale = sign(body, timestamp=int(time.time()) - 3600)  # a replay an hour later
    assert (
        client.post(URL, body, content_type="application/json", HTTP_STRIPE_SIGNATURE=stale).status_code
        == 400
    )
    tampered = body.replace(b"acct_x", b"acct_y")
    assert (
        client.post(
            URL, tampered, content_type="application/json", HTTP_STRIPE_SIGNATURE=sign(body)
        ).status_code
        == 400
    )
    account.refresh_from_db()
    assert account.status == ConnectedAccount.Status.PENDING
    assert WebhookEvent.objects.count() == 0


def test_a_reversed_transfer_marks_the_payout_once(payouts_on, payout_world, client):
    from decimal import Decimal

    from respite.payouts import services

    enable_account(payouts_on, payout_world["host"])
    payout = services.confirm_stay(
        payout_world["stays"][0], by=payout_world["staff"], unit="night", quantity=Decimal(2)
    )
    body = _event(
        "transfer.reversed",
        {"id": payout.stripe_transfer_id, "object": "transfer", "reversed": True},
        event_id="evt_rev",
    )
    for _ in range(2):  # Stripe may deliver an event twice
        assert (
            client.post(
                URL, body, content_type="application/json", HTTP_STRIPE_SIGNATURE=sign(body)
            ).status_code
            == 200
        )
    payout.refresh_from_db()
    assert payout.status == Payout.Status.REVERSED
    assert WebhookEvent.objects.filter(event_id="evt_rev").count() == 1


class _Catcher(BaseHTTPRequestHandler):
    caught: list = []

    def do_POST(self):  # noqa: N802
        body = self.rfile.read(int(self.headers["Content-Length"]))
        _Catcher.caught.append((body, self.headers["Stripe-Signature"]))
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args):
        pass


def test_an_event_signed_by_localstripe_is_accepted_and_a_forged_one_is_not(
    payouts_on, localstripe_server, client
):
    """localstripe signs its webhooks as Stripe does; its delivery is caught and passed to our
    endpoint unchanged (our live server would need a port outside this helper's range)."""
    _Catcher.caught = []
    catcher = ThreadingHTTPServer(("127.0.0.1", 0), _Catcher)
    hook_port = catcher.server_address[1]
    threading.Thread(target=catcher.serve_forever, daemon=True).start()
    try:
        requests.post(
            f"{localstripe_server}/_config/webhooks/thuisnet",
            data={"url": f"http://127.0.0.1:{hook_port}/", "secret": WEBHOOK_SECRET},
            timeout=5,
        ).raise_for_status()
        import stripe

        stripe.StripeClient(
            "sk_test_thuisnet", base_addresses={"api": localstripe_server}, max_network_retries=0
        ).v1.customers.create(params={"email": "gastgezin@example.org"})
        deadline = time.monotonic() + 10
        while not _Catcher.caught and time.monotonic() < deadline:
            time.sleep(0.1)
    finally:
        catcher.shutdown()
        catcher.server_close()
    assert _Catcher.caught, "localstripe delivered no webhook"
    body, signature = _Catcher.caught[0]
    ok = client.post(URL, body, content_type="application/json", HTTP_STRIPE_SIGNATURE=signature)
    assert ok.status_code == 200
    assert WebhookEvent.objects.filter(type="customer.created").count() == 1
    forged = client.post(
        URL,
        body.replace(b"gastgezin", b"ander"),
        content_type="application/json",
        HTTP_STRIPE_SIGNATURE=signature,
    )
    assert forged.status_code == 400


def test_the_webhook_answers_404_when_payouts_are_off(settings, client):
    settings.PAYOUTS_ENABLED = False
    body = _event("account.updated", {"id": "acct_x"})
    assert (
        client.post(URL, body, content_type="application/json", HTTP_STRIPE_SIGNATURE=sign(body)).status_code
        == 404
    )
