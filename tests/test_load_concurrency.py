"""Fifty clients at once over real HTTP against a live server (PostgreSQL, threads).

Parents request respite for the same nights and cancel some; provider staff accept, decline
and cancel what comes in; prospective parents register for one evening and change or cancel
through their personal link. Every request goes through the HTML pages people use (staff
through the booking page's buttons, signed in with the second factor done, as the ``login``
fixture does). Afterwards: no 5xx, no overbooking, and every ledger equals its rows.

Figures (requests, 5xx, overbookings, p50/p95 latency) are printed to the terminal.
"""

from __future__ import annotations

import random
import secrets
import threading
import time
from collections import Counter
from datetime import timedelta

import pytest
from django.conf import settings
from django.db import connection
from django.db.models import Sum
from django.test import Client

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PARENTS, STAFF, PROSPECTS = 26, 8, 16  # 50 clients
ROUNDS = 6
CSRF = "a" * 32  # a valid CSRF secret: sent as cookie and header, as a browser's JS would


class Load:
    """Collects (kind, status, seconds) of every request from every thread."""

    def __init__(self, base_url: str) -> None:
        self.base = base_url
        self.lock = threading.Lock()
        self.calls: list[tuple[str, int, float]] = []
        self.bookings: list[int] = []  # requested bookings, as staff would see them arrive
        self.accepted: list[int] = []
        self.failures: list[str] = []
        self.done = threading.Event()  # set when parents and prospects are through
        self.barrier = threading.Barrier(PARENTS + STAFF + PROSPECTS)

    def start(self, cookie: str = ""):
        """A client with its connection open (as a browser that loaded the page first), then
        the starting line: all fifty go at once."""
        import requests

        s = requests.Session()
        s.cookies.set(settings.CSRF_COOKIE_NAME, CSRF)
        if cookie:
            s.cookies.set(settings.SESSION_COOKIE_NAME, cookie)
        s.headers["X-CSRFToken"] = CSRF
        for _attempt in range(5):  # the development server's listen queue is short; GET is safe
            try:
                s.get(self.base + "/healthz", timeout=30)
                break
            except requests.ConnectionError:
                time.sleep(0.2)
        self.barrier.wait()
        return s

    def post(self, s, kind: str, path: str, data: dict):
        s.n = getattr(s, "n", 0) + 1
        began = time.perf_counter()
        try:
            r = s.post(self.base + path, data=data, allow_redirects=False, timeout=60)
            status = r.status_code
        except Exception as exc:  # noqa: BLE001 - a dropped connection is a failure too
            r, status = None, 599
            self.failures.append(f"{kind} (request {getattr(s, 'n', 0)} on this connection): {exc!r}")
        with self.lock:
            self.calls.append((kind, status, time.perf_counter() - began))
            if status >= 500 and r is not None:
                self.failures.append(f"{kind} {path}: {status} {r.text[:300]!r}")
        return r


@pytest.fixture(scope="session")
def deep_listen_queue():
    """Django's development server listens with a queue of 10 connections: fifty clients
    connecting at once then get resets from the kernel, which says nothing about Thuisnet
    (gunicorn's backlog is 2048). Must come before ``live_server``, which starts the server."""
    from django.core.servers.basehttp import WSGIServer

    WSGIServer.request_queue_size = 256


def _cookie(login, user) -> str:
    return login(user, Client()).cookies[settings.SESSION_COOKIE_NAME].value


def _parent_client(load: Load, cookie: str, offers, first_night, n: int, rng: random.Random):
    s = load.start(cookie)
    for r in range(ROUNDS):
        offer = rng.choice(offers)
        start = first_night + timedelta(days=rng.randrange(3))
        end = start + timedelta(days=rng.choice((1, 1, 2)))
        resp = load.post(
            s,
            "respite.request",
            f"/respijt/aanbod/{offer.pk}/aanvragen/",
            {
                "start": start.isoformat(),
                "end": end.isoformat(),
                "child_ref": f"P{n}R{r}",
                "child_age": 9,
                "notes": "",
                "form_token": secrets.token_urlsafe(12),
            },
        )
        if resp is None or resp.status_code != 302 or "/aanvragen/" not in resp.headers["Location"]:
            continue
        pk = int(resp.headers["Location"].rstrip("/").rsplit("/", 1)[1])
        with load.lock:
            load.bookings.append(pk)
        if rng.random() < 0.35:
            load.post(s, "respite.cancel_by_parent", f"/respijt/aanvragen/{pk}/annuleren/", {})
    s.close()  # ends the keep-alive connection, so the server thread closes its database connection


def _staff_client(load: Load, cookie: str, rng: random.Random):
    s = load.start(cookie)
    while not load.done.is_set():
        time.sleep(0.1 + rng.random() * 0.2)
        with load.lock:
            pending, accepted = list(load.bookings[-20:]), list(load.accepted[-10:])
        if accepted and rng.random() < 0.2:
            pk, action, kind = rng.choice(accepted), "annuleren-aanbieder", "respite.cancel_by_provider"
        elif pending:
            pk = rng.choice(pending)
            action, kind = (
                ("accepteren", "respite.accept") if rng.random() < 0.6 else ("afwijzen", "respite.decline")
            )
        else:
            continue
        load.post(s, kind, f"/respijt/aanvragen/{pk}/{action}/", {"reason": "Geen begeleider vrij."})
        if action == "accepteren":
            with load.lock:
                load.accepted.append(pk)
    s.close()


def _prospect_client(load: Load, page_path: str, session_pk: int, n: int, rng: random.Random):
    s = load.start()
    for r in range(ROUNDS):
        resp = load.post(
            s,
            "evening.register",
            page_path,
            {
                "session": session_pk,
                "name": f"Bezoeker {n}-{r}",
                "email": f"bezoeker{n}-{r}@example.org",
                "postcode": "7411",
                "attendees": rng.choice((1, 2)),
                "interests": "full_time",
                "source": "website",
                "consent": "on",
                "form_token": secrets.token_urlsafe(12),
            },
        )
        if resp is None or resp.status_code != 302:
            continue
        link = resp.headers["Location"].split("?")[0]
        roll = rng.random()
        if roll < 0.4:
            load.post(s, "evening.change", link, {"action": "attendees", "attendees": rng.choice((1, 2))})
        elif roll < 0.8:
            load.post(s, "evening.cancel", link, {"action": "cancel", "confirmed": "1"})
        else:
            load.post(s, "evening.confirm", link, {"action": "confirm"})
    s.close()


def _percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))] if ordered else 0.0


def _respite_overbookings(offers) -> tuple[int, list[str]]:
    from respite.models import Booking, BookingSlot, Slot

    over, wrong = 0, []
    for slot in Slot.objects.filter(offer__in=offers, held__gt=0):
        holding = BookingSlot.objects.filter(slot=slot, booking__status__in=Booking.HOLDING).count()
        over += max(holding - slot.capacity, 0)
        if holding != slot.held:
            wrong.append(f"slot {slot.day} {slot.part}: held {slot.held}, bookings {holding}")
    return over, wrong


def _evening_overbookings(session) -> tuple[int, list[str]]:
    from foster.models import Registration

    session.refresh_from_db()
    seated = (
        Registration.objects.filter(session=session, status__in=("confirmed", "offered")).aggregate(
            s=Sum("attendees")
        )["s"]
        or 0
    )
    wrong = [] if seated == session.held else [f"session held {session.held}, seated {seated}"]
    return max(seated - session.capacity, 0), wrong


def test_fifty_clients_over_http_get_no_5xx_and_never_overbook(
    deep_listen_queue,
    live_server,
    login,
    make_offer,
    make_evening,
    parent,
    support_parent,
    family_home_parent,
    staff,
    next_week,
    capsys,
    settings,
):
    # Fifty clients from one address: the per-address limits would (rightly) stop them.
    settings.THUISNET_RATE_LIMITS_ENABLED = False
    offers = [
        make_offer(capacity=4, title="Logeerhuis De Linde"),
        make_offer(capacity=3, title="Weekendgezin"),
    ]
    page = make_evening(capacity=12)
    session, page_path = page.sessions.get(), page.url
    parents = [parent, support_parent, family_home_parent]
    load = Load(live_server.url)
    rng = random.Random(10)
    actors = [
        lambda n=n, c=_cookie(login, parents[n % 3]), seed=rng.random(): _parent_client(
            load, c, offers, next_week, n, random.Random(seed)
        )
        for n in range(PARENTS)
    ]
    actors += [
        lambda c=_cookie(login, staff), seed=rng.random(): _staff_client(load, c, random.Random(seed))
        for _n in range(STAFF)
    ]
    actors += [
        lambda n=n, seed=rng.random(): _prospect_client(load, page_path, session.pk, n, random.Random(seed))
        for n in range(PROSPECTS)
    ]

    def run(actor):
        try:
            actor()
        except Exception as exc:  # noqa: BLE001 - shown below
            load.failures.append(f"client crashed: {exc!r}")
        finally:
            connection.close()  # the test database is dropped at the end: leave no session open

    began = time.perf_counter()
    threads = [threading.Thread(target=run, args=(a,)) for a in actors]
    for t in threads:
        t.start()
    for t in threads[:PARENTS] + threads[PARENTS + STAFF :]:
        t.join(120)
    load.done.set()
    for t in threads[PARENTS : PARENTS + STAFF]:
        t.join(120)
    elapsed = time.perf_counter() - began

    respite_over, respite_wrong = _respite_overbookings(offers)
    evening_over, evening_wrong = _evening_overbookings(session)
    statuses = Counter(status for _k, status, _s in load.calls)
    five_xx = sum(n for status, n in statuses.items() if status >= 500)
    by_kind = Counter(k for k, _s, _t in load.calls)
    five_xx_by_kind = Counter(k for k, status, _t in load.calls if status >= 500)
    latencies = [t for _k, _s, t in load.calls]
    with capsys.disabled():
        print(
            f"\nload test: {len(actors)} clients, {len(load.calls)} requests in {elapsed:.1f} s, "
            f"5xx {five_xx}, overbookings {respite_over + evening_over}, "
            f"p50 {_percentile(latencies, 50) * 1000:.0f} ms, p95 {_percentile(latencies, 95) * 1000:.0f} ms"
            f"\n  statuses {dict(sorted(statuses.items()))}\n  requests {dict(sorted(by_kind.items()))}"
            f"\n  5xx by request {dict(sorted(five_xx_by_kind.items()))}"
        )
        for line in load.failures[:5]:
            print("  ", line)
    assert five_xx == 0 and not load.failures, load.failures[:10]
    assert respite_over == 0 and evening_over == 0
    assert respite_wrong == [] and evening_wrong == []
    assert by_kind["respite.accept"] and by_kind["evening.cancel"], by_kind  # the mix did happen
