"""Benchmark: registrations per second with concurrent clients, and the evening page's req/s.

PostgreSQL only (SQLite serialises writers, which says nothing about production)::

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/thuisnet_foster_bench \\
        .venv/bin/python benchmarks/foster_registrations.py [--clients 1,4,8] [--per-client 40]

It creates (or reuses) the database ``test_<name>``, builds one region with an evening,
and drives the real stack in-process with Django's test client (middleware, views, DRF,
templates, database; no sockets). Each client is a thread with its own connection.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "site")]
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "thuisnet.settings.test")


def _setup():
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection

    if not settings.DATABASE_IS_POSTGRES:
        sys.exit("Set DATABASE_URL to a PostgreSQL database (see the docstring).")
    connection.creation.create_test_db(verbosity=0, keepdb=True, serialize=False)


def _world():
    from datetime import datetime, timedelta
    from datetime import time as dtime

    from django.utils import timezone
    from wagtail.models import Page, Site

    from foster.models import EveningIndexPage, EveningPage
    from thuisnet.accounts.models import Municipality, Organisation, Region
    from thuisnet.core.ics import AMSTERDAM
    from thuisnet.home.models import HomePage

    region, _ = Region.objects.get_or_create(slug="bench", defaults={"name": "Bench"})
    muni, _ = Municipality.objects.get_or_create(
        region=region, slug="deventer", defaults={"name": "Deventer"}
    )
    org, _ = Organisation.objects.get_or_create(
        slug="bench-provider",
        defaults={"region": region, "kind": "provider", "name": "Bench Pleegzorg", "municipality": muni},
    )
    home = HomePage.objects.first()
    if home is None:
        home = Page.get_first_root_node().add_child(
            instance=HomePage(title="Thuisnet", slug="bench-home", intro_title="Bench", intro="<p>x</p>")
        )
        Site.objects.update_or_create(
            is_default_site=True,
            defaults={"hostname": "localhost", "root_page": home, "site_name": "Thuisnet"},
        )
    index = EveningIndexPage.objects.first()
    if index is None:
        index = home.add_child(instance=EveningIndexPage(title="Avonden", slug="avonden-bench"))
        index.save_revision().publish()
    stamp = int(time.time())

    def evening(capacity: int, label: str):
        day = timezone.localdate() + timedelta(days=20)
        page = EveningPage(
            title=f"Bench {label} {stamp}",
            slug=f"bench-{label}-{stamp}",
            region=region,
            starts_at=datetime.combine(day, dtime(19, 30), tzinfo=AMSTERDAM),
            ends_at=datetime.combine(day, dtime(21, 30), tzinfo=AMSTERDAM),
            capacity=capacity,
            venue="Zaal",
            address="Straat 1, Deventer",
            municipality=muni,
            family_forms=["full_time", "support"],
            intro="<p>Een avond.</p>",
        )
        index.add_child(instance=page)
        page.organisers.set([org])
        page.save_revision().publish()
        return page, page.sessions.get()

    return evening


def _run(clients: int, per_client: int, work) -> tuple[float, list[float], list[Exception]]:
    from django.db import connection

    barrier = threading.Barrier(clients)
    latencies: list[float] = []
    errors: list[Exception] = []
    lock = threading.Lock()

    def client(c: int):
        try:
            barrier.wait()
            for j in range(per_client):
                t0 = time.perf_counter()
                work(c, j)
                with lock:
                    latencies.append(time.perf_counter() - t0)
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=client, args=(c,)) for c in range(clients)]
    start = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return time.perf_counter() - start, latencies, errors


def _p(values: list[float], q: float) -> float:
    return sorted(values)[min(len(values) - 1, int(q * len(values)))] * 1000 if values else 0


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--clients", default="1,4,8")
    ap.add_argument("--per-client", type=int, default=40)
    ap.add_argument("--page-requests", type=int, default=100)
    args = ap.parse_args()
    _setup()
    from django.db.models import Sum
    from django.test import Client

    from foster.models import Registration

    evening = _world()
    body = {
        "name": "Bench",
        "postcode": "7411",
        "attendees": 1,
        "interests": ["full_time"],
        "source": "website",
        "consent": True,
    }
    run = int(time.time())
    print("foster benchmark (PostgreSQL, in-process test client)")
    print(f"{'what':44} {'clients':>7} {'n':>6} {'per s':>8} {'p50 ms':>7} {'p95 ms':>7}")
    for clients in [int(c) for c in args.clients.split(",")]:
        _page, session = evening(100000, f"open{clients}")
        url = f"/api/v1/avonden/{session.pk}/aanmeldingen/"
        http = [Client() for _ in range(clients)]

        def register(c, j, url=url, http=http, clients=clients):
            r = http[c].post(
                url,
                {**body, "email": f"b{run}-{clients}-{c}-{j}@example.org"},
                content_type="application/json",
                REMOTE_ADDR=f"10.{c}.{j % 250}.1",
            )
            assert r.status_code == 201, r.content

        secs, lat, errors = _run(clients, args.per_client, register)
        n = len(lat)
        print(
            f"{'API registrations (seats free)':44} {clients:>7} {n:>6} {n / secs:>8.1f} "
            f"{_p(lat, 0.5):>7.1f} {_p(lat, 0.95):>7.1f}" + (f"  errors={len(errors)}" if errors else "")
        )

    # The service alone (no HTTP): what the registration's transaction and its preparation cost.
    from foster import services

    for clients in [int(c) for c in args.clients.split(",")]:
        _page, session = evening(100000, f"service{clients}")

        def direct(c, j, session=session, clients=clients):
            services.register(
                session,
                services.RegistrationData(
                    name="Bench",
                    email=f"s{run}-{clients}-{c}-{j}@example.org",
                    attendees=1,
                    interests=["full_time", "support"],
                    source="website",
                    postcode="7411",
                ),
            )

        secs, lat, errors = _run(clients, args.per_client, direct)
        print(
            f"{'services.register() alone (seats free)':44} {clients:>7} {len(lat):>6} "
            f"{len(lat) / secs:>8.1f} {_p(lat, 0.5):>7.1f} {_p(lat, 0.95):>7.1f}"
            + (f"  errors={len(errors)}" if errors else "")
        )

    # The last seats: 8 clients, 160 registrations, 50 seats.
    _page, session = evening(50, "contended")
    url = f"/api/v1/avonden/{session.pk}/aanmeldingen/"
    http = [Client() for _ in range(8)]

    def contended(c, j):
        r = http[c].post(
            url,
            {**body, "email": f"c{run}-{c}-{j}@example.org"},
            content_type="application/json",
            REMOTE_ADDR=f"11.{c}.{j}.1",
        )
        assert r.status_code == 201, r.content

    secs, lat, errors = _run(8, 20, contended)
    session.refresh_from_db()
    confirmed = Registration.objects.filter(session=session, status="confirmed").aggregate(
        s=Sum("attendees")
    )["s"]
    waiting = Registration.objects.filter(session=session, status="waiting").count()
    print(
        f"{'API registrations (50 seats, 160 people)':44} {8:>7} {len(lat):>6} "
        f"{len(lat) / secs:>8.1f} {_p(lat, 0.5):>7.1f} {_p(lat, 0.95):>7.1f}"
    )
    print(
        f"  -> confirmed attendees {confirmed} (capacity 50, held {session.held}), "
        f"waiting list {waiting}" + (f", errors {len(errors)}" if errors else "")
    )

    page, _session = evening(40, "page")
    for clients in (1, 4):
        http = [Client() for _ in range(clients)]

        def view(c, j, http=http, url=page.url):
            r = http[c].get(url)
            assert r.status_code == 200

        secs, lat, errors = _run(clients, args.page_requests // clients, view)
        print(
            f"{'GET evening page':44} {clients:>7} {len(lat):>6} {len(lat) / secs:>8.1f} "
            f"{_p(lat, 0.5):>7.1f} {_p(lat, 0.95):>7.1f}"
        )
    print(
        f"(median of page latencies {statistics.median(lat) * 1000:.1f} ms; "
        f"machine: {os.cpu_count()} cores shared)"
    )


if __name__ == "__main__":
    main()
