"""Shared pieces of the payouts tests: a local Stripe stand-in at the HTTP level, a localstripe
fixture, the "payouts on" settings and a small world of a host family with a completed stay.

The stand-in answers the Connect calls localstripe lacks (accounts, account links, transfers)
with the object shapes of Stripe's API reference, records every request (method, path, form
fields, headers) and keeps Stripe's idempotency rule: a POST with an ``Idempotency-Key`` it saw
before gets the first answer again, marked ``Idempotent-Replayed: true``.
"""

from __future__ import annotations

import hashlib
import hmac
import importlib.util
import itertools
import json
import socket
import subprocess
import sys
import threading
import time
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, urlsplit

import pytest

# Servers listen on ports the system picks (port 0), so two runs on one machine (a developer's
# and CI's) never collide.


def free_port() -> int:
    """A port that was free a moment ago (for a child process that takes a --port)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


WEBHOOK_SECRET = "whsec_thuisnet_test"


class StripeStub:
    def __init__(self) -> None:
        self.requests: list[dict] = []
        self.accounts: dict[str, dict] = {}
        self.transfers: list[dict] = []
        self.replies: dict[str, tuple[int, dict]] = {}
        self.lose_next_transfer_answers = 0  # make the transfer, answer 500 (a lost answer)
        self.refuse_next_transfer = False  # answer 400 like insufficient funds
        self.counter = itertools.count(1)
        self.lock = threading.Lock()
        self.server: ThreadingHTTPServer | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def transfer_posts(self) -> list[dict]:
        return [r for r in self.requests if r["method"] == "POST" and r["path"] == "/v1/transfers"]

    # -- the API
    def handle(self, method: str, path: str, form: dict, headers: dict) -> tuple[int, dict, dict]:
        with self.lock:
            self.requests.append({"method": method, "path": path, "form": form, "headers": headers})
            key = headers.get("idempotency-key")
            if method == "POST" and key and key in self.replies:
                status, body = self.replies[key]
                return status, body, {"Idempotent-Replayed": "true"}
            status, body = self._route(method, path, form)
            lost = False
            if (
                path == "/v1/transfers"
                and method == "POST"
                and status == 200
                and self.lose_next_transfer_answers
            ):
                self.lose_next_transfer_answers -= 1
                lost = True
            if method == "POST" and key:
                self.replies[key] = (status, body)
            if lost:
                return 500, {"error": {"type": "api_error", "message": "Verbinding verbroken."}}, {}
            return status, body, {}

    def _route(self, method: str, path: str, form: dict) -> tuple[int, dict]:
        n = next(self.counter)
        if method == "POST" and path == "/v1/accounts":
            acct = {
                "id": f"acct_test{n:04d}",
                "object": "account",
                "type": form.get("type"),
                "email": form.get("email"),
                "country": form.get("country"),
                "details_submitted": False,
                "payouts_enabled": False,
                "charges_enabled": False,
                "metadata": _nested(form, "metadata"),
            }
            self.accounts[acct["id"]] = acct
            return 200, acct
        if method == "GET" and path.startswith("/v1/accounts/"):
            acct = self.accounts.get(path.rsplit("/", 1)[1])
            if acct is None:
                return 404, _error("invalid_request_error", "No such account")
            return 200, acct
        if method == "POST" and path == "/v1/account_links":
            if form.get("account") not in self.accounts:
                return 400, _error("invalid_request_error", "No such account")
            return 200, {
                "object": "account_link",
                "created": int(time.time()),
                "expires_at": int(time.time()) + 300,
                "url": f"https://connect.stripe.test/setup/e/{form['account']}/{n}",
            }
        if method == "POST" and path == "/v1/transfers":
            if self.refuse_next_transfer:
                self.refuse_next_transfer = False
                return 400, _error("invalid_request_error", "Insufficient funds in Stripe account.")
            if form.get("destination") not in self.accounts:
                return 400, _error("invalid_request_error", "No such destination")
            transfer = {
                "id": f"tr_test{n:04d}",
                "object": "transfer",
                "amount": int(form["amount"]),
                "amount_reversed": 0,
                "currency": form.get("currency"),
                "created": int(time.time()),
                "destination": form["destination"],
                "metadata": _nested(form, "metadata"),
                "reversed": False,
                "transfer_group": form.get("transfer_group"),
            }
            self.transfers.append(transfer)
            return 200, transfer
        if method == "GET" and path == "/v1/transfers":
            gte = int(form.get("created[gte]", 0))
            lt = int(form.get("created[lt]", 2**40))
            data = [t for t in self.transfers if gte <= t["created"] < lt]
            return 200, {"object": "list", "data": data, "has_more": False, "url": "/v1/transfers"}
        return 404, _error("invalid_request_error", f"Unrecognized request URL ({method}: {path})")

    def start(self) -> None:
        stub = self

        class Handler(BaseHTTPRequestHandler):
            def _serve(self, method: str) -> None:
                parts = urlsplit(self.path)
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length).decode() if length else parts.query
                form = dict(parse_qsl(raw, keep_blank_values=True))
                headers = {k.lower(): v for k, v in self.headers.items()}
                status, body, extra = stub.handle(method, parts.path, form, headers)
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.send_header("Request-Id", f"req_{next(stub.counter)}")
                for k, v in extra.items():
                    self.send_header(k, v)
                self.end_headers()
                self.wfile.write(data)

            def do_GET(self):  # noqa: N802
                self._serve("GET")

            def do_POST(self):  # noqa: N802
                self._serve("POST")

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def stop(self) -> None:
        if self.server:
            self.server.shutdown()
            self.server.server_close()


def _nested(form: dict, name: str) -> dict:
    prefix = f"{name}["
    return {k[len(prefix) : -1]: v for k, v in form.items() if k.startswith(prefix) and k.endswith("]")}


def _error(kind: str, message: str) -> dict:
    return {"error": {"type": kind, "message": message}}


def sign(payload: bytes, secret: str = WEBHOOK_SECRET, timestamp: int | None = None) -> str:
    """A ``Stripe-Signature`` header as Stripe computes it."""
    t = int(time.time()) if timestamp is None else timestamp
    mac = hmac.new(secret.encode(), f"{t}.".encode() + payload, hashlib.sha256).hexdigest()
    return f"t={t},v1={mac}"


def wait_for_port(port: int, timeout: float = 15.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return True
        time.sleep(0.1)
    return False


@pytest.fixture
def stripe_stub():
    stub = StripeStub()
    stub.start()
    yield stub
    stub.stop()


@pytest.fixture
def payouts_on(settings, stripe_stub):
    settings.PAYOUTS_ENABLED = True
    settings.STRIPE_SECRET_KEY = "sk_test_thuisnet"
    settings.STRIPE_WEBHOOK_SECRET = WEBHOOK_SECRET
    settings.STRIPE_API_BASE = stripe_stub.url
    settings.STRIPE_MAX_NETWORK_RETRIES = 0
    return stripe_stub


@pytest.fixture(scope="session")
def localstripe_server():
    """localstripe on this helper's port, from scratch; skipped when it is not installed."""
    if importlib.util.find_spec("localstripe") is None:
        pytest.skip("localstripe is not installed (pip install localstripe; it is in the dev lock)")
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "localstripe", "--port", str(port), "--from-scratch"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        if not wait_for_port(port):
            pytest.skip("localstripe did not start")
        yield f"http://127.0.0.1:{port}"
    finally:
        proc.terminate()
        proc.wait(timeout=10)


@pytest.fixture
def payout_world(region, municipalities, provider, parent, support_parent, staff):
    """A host family (support_parent) with an enabled Stripe account, the region's rate card,
    and three accepted stays of theirs that ended last week."""
    from django.utils import timezone

    from respite.models import Booking, Offer
    from respite.payouts.models import RateCard, Unit

    today = timezone.localdate()
    offer = Offer.objects.create(
        provider=provider,
        kind="host_family",
        title="Weekendgezin Zutphen",
        municipality=municipalities["zutphen"],
        postcode="7201",
        host_user=support_parent,
    )
    start = today - timedelta(days=9)
    stays = [
        Booking.objects.create(
            offer=offer,
            household=parent.household,
            start=start + timedelta(days=2 * i),
            end=start + timedelta(days=2 * i + 2),
            units=2,
            age_band="8-11",
            status=Booking.Status.ACCEPTED,
            decide_by=timezone.now(),
        )
        for i in range(3)
    ]
    first = start.replace(day=1) - timedelta(days=400)
    RateCard.objects.create(region=region, unit=Unit.NIGHT, amount_cents=4500, valid_from=first)
    RateCard.objects.create(region=region, unit=Unit.HOUR, amount_cents=500, valid_from=first)
    RateCard.objects.create(region=region, unit=Unit.DAY_PART, amount_cents=1500, valid_from=first)
    return {"offer": offer, "stays": stays, "host": support_parent, "staff": staff}


def enable_account(stub: StripeStub, user, account_id: str = "acct_host0001"):
    from respite.payouts.models import ConnectedAccount

    stub.accounts[account_id] = {
        "id": account_id,
        "object": "account",
        "details_submitted": True,
        "payouts_enabled": True,
        "metadata": {},
    }
    return ConnectedAccount.objects.create(
        user=user,
        stripe_account_id=account_id,
        status=ConnectedAccount.Status.ENABLED,
        details_submitted=True,
        payouts_enabled=True,
    )
