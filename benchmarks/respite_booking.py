"""Benchmark: respite booking requests per second with concurrent clients, and availability
search latency with 1,000 offers over a year.

PostgreSQL only (SQLite serialises writers, which says nothing about production)::

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/thuisnet_respite_bench \\
        .venv/bin/python benchmarks/respite_booking.py [--clients 50] [--per-client 20] [--offers 1000]

It creates (or reuses) the database ``test_<name>``, wipes the respite tables, and drives the real
stack in-process: booking requests go through the API view (DRF, token auth, idempotency,
services, ledger locks, outbox) with Django's test client, each client a thread with its own
connection. Ledger rows for the search are bulk-inserted (expanding 1,000 django-scheduler
patterns is setup, not what is measured).
"""

from __future__ import annotations

import argparse
import gc
import os
import random
import statistics
import sys
import threading
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "site")]
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "thuisnet.settings.test")
# Connections kept between requests, as the production settings keep them (``conn_max_age=60``);
# the test settings close the connection after every request, 3 ms more per API answer here.
os.environ.setdefault("DB_CONN_MAX_AGE", "60")


def _setup():
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection

    if not settings.DATABASE_IS_POSTGRES:
        sys.exit("Set DATABASE_URL to a PostgreSQL database (see the docstring).")
    connection.creation.create_test_db(verbosity=0, keepdb=True, serialize=False)
    import logging

    logging.getLogger("django.request").setLevel(logging.ERROR)  # 409s are expected, not news


def _world(n_parents: int):
    from django.utils import timezone

    from respite.models import Booking, BookingSlot, Offer, Slot, UnmetDemand, WorkingAgreement
    from thuisnet.accounts.models import Household, Municipality, Organisation, Region, User
    from thuisnet.core.models import IdempotencyRecord, OutboxEmail

    BookingSlot.objects.all().delete()
    UnmetDemand.objects.all().delete()
    Booking.objects.all().delete()
    Slot.objects.all().delete()
    Offer.objects.all().delete()
    OutboxEmail.objects.all().delete()
    # Keys b<client>-<n> repeat between runs: an old record would answer 422 (another body).
    IdempotencyRecord.objects.filter(scope="respite.booking").delete()
    region, _ = Region.objects.get_or_create(slug="bench", defaults={"name": "Bench"})
    WorkingAgreement.objects.update_or_create(
        region=region,
        defaults={
            "max_nights_per_quarter": 90,
            "lead_time_hours": 0,
            "emergency_share": 0,
            "decision_hours": 48,
        },
    )
    munis = [
        Municipality.objects.get_or_create(region=region, slug=f"m{i}", defaults={"name": f"Gemeente {i}"})[0]
        for i in range(8)
    ]
    provider, _ = Organisation.objects.get_or_create(
        slug="bench-provider",
        defaults={"name": "Bench Zorg", "kind": "provider", "region": region, "email": "bench@example.org"},
    )
    parents = []
    for i in range(n_parents):
        user = User.objects.filter(email=f"bench-parent{i}@example.org").first()
        if user is None:
            hh = Household.objects.create(
                region=region,
                municipality=munis[i % 8],
                family_form="foster",
                display_name=f"Gezin {i}",
                verified_at=timezone.now(),
            )
            user = User.objects.create_user(f"bench-parent{i}@example.org", "x", region=region, household=hh)
        parents.append(user)
    return region, munis, provider, parents


def _offers(provider, munis, n: int, capacity: int, days: int):
    from django.utils import timezone

    from respite.models import Offer, Slot

    today = timezone.localdate()
    kinds = ["place", "host_family", "support_family"]
    offers = Offer.objects.bulk_create(
        [
            Offer(
                provider=provider,
                kind=kinds[i % 3],
                title=f"Aanbod {i}",
                municipality=munis[i % 8],
                postcode="7411",
                age_min=(i % 4) * 3,
                age_max=17,
                handles=["behaviour"] if i % 2 else [],
                capacity=capacity,
                min_notice_hours=0,
                max_stay=14,
            )
            for i in range(n)
        ]
    )
    rows = []
    for o in offers:
        parts = ["night"] if o.kind != "support_family" else ["morning", "afternoon", "evening"]
        for d in range(days):
            for p in parts:
                rows.append(
                    Slot(
                        offer=o,
                        day=today + timedelta(days=d),
                        part=p,
                        capacity=capacity,
                        held=0 if (d + o.pk) % 5 else capacity,
                    )
                )
        if len(rows) > 20000:
            Slot.objects.bulk_create(rows, batch_size=5000)
            rows = []
    Slot.objects.bulk_create(rows, batch_size=5000)
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:  # what autovacuum does in production after a bulk load
            cursor.execute("ANALYZE respite_slot; ANALYZE respite_offer")
    return offers


def _pct(values, p):
    values = sorted(values)
    return values[min(len(values) - 1, int(len(values) * p))]


def bench_booking(parents, offers, clients: int, per_client: int) -> None:
    from django.db import connection
    from django.utils import timezone
    from rest_framework.authtoken.models import Token
    from rest_framework.test import APIClient

    from respite.models import Booking, BookingSlot, Slot

    night_offers = [o for o in offers if o.kind != "support_family"]
    today = timezone.localdate()
    tokens = [Token.objects.get_or_create(user=p)[0].key for p in parents[:clients]]
    latencies, statuses = [], {}
    lock = threading.Lock()
    barrier = threading.Barrier(clients)

    def client(i: int) -> None:
        rng = random.Random(i)
        api = APIClient()
        api.credentials(HTTP_AUTHORIZATION=f"Token {tokens[i]}")
        barrier.wait()
        for n in range(per_client):
            offer = rng.choice(night_offers)
            start = today + timedelta(days=rng.randint(2, 60))
            body = {
                "offer": offer.pk,
                "start": start.isoformat(),
                "end": (start + timedelta(days=rng.randint(1, 3))).isoformat(),
                "child": {"ref": f"C{i}-{n}", "age": 12, "needs": []},
            }
            t0 = time.perf_counter()
            r = api.post("/api/v1/respite/bookings/", body, format="json", HTTP_IDEMPOTENCY_KEY=f"b{i}-{n}")
            dt = time.perf_counter() - t0
            with lock:
                latencies.append(dt)
                statuses[r.status_code] = statuses.get(r.status_code, 0) + 1
        connection.close()

    threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
    t0 = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.perf_counter() - t0
    total = sum(statuses.values())
    over = Slot.objects.extra(where=["held > capacity"]).count()
    holding = BookingSlot.objects.filter(booking__status__in=Booking.HOLDING).count()
    held = sum(Slot.objects.values_list("held", flat=True))
    print(f"booking: {clients} concurrent clients x {per_client} requests = {total} requests in {wall:.1f} s")
    print(f"  throughput        {total / wall:8.1f} requests/s  (answers: {dict(sorted(statuses.items()))})")
    print(
        f"  latency p50 / p95 {1000 * statistics.median(latencies):8.1f} / "
        f"{1000 * _pct(latencies, 0.95):.1f} ms"
    )
    print(
        f"  ledger check      rows over capacity: {over}; booked units held by bookings match ledger "
        f"(minus pre-filled full nights): {holding == held - _prefilled()}"
    )


def _prefilled() -> int:
    from django.db.models import Sum

    from respite.models import BookingSlot, Slot

    booked = set(BookingSlot.objects.values_list("slot_id", flat=True))
    return Slot.objects.exclude(pk__in=booked).aggregate(s=Sum("held"))["s"] or 0


# Measured on the main branch before the search was rebuilt (issue 14, 2-core machine).
BEFORE = {"service_p95_ms": 233, "api_p95_ms": 397}


def bench_search(region, offers, rounds: int, nights: int = 3) -> None:
    """Three-night searches (and day parts over four days): the old computation
    (``services.search_reference``) and the new one, interleaved on the same queries, then
    the API. The figures recorded before the change are printed beside them."""
    from django.utils import timezone
    from rest_framework.authtoken.models import Token
    from rest_framework.test import APIClient

    from respite import services
    from respite.models import Slot
    from thuisnet.accounts.models import User

    today = timezone.localdate()
    rng = random.Random(1)
    queries = []
    for _ in range(rounds):
        start = today + timedelta(days=rng.randint(3, 300))
        queries.append(
            services.Query(
                start=start,
                end=start + timedelta(days=nights),
                age=rng.choice([None, 5, 9, 14]),
                kind=rng.choice(["", "place", "host_family"]),
            )
        )
    # A running server has answered requests before and froze its loaded code out of the
    # garbage collector's sight (``thuisnet/wsgi.py``): one untimed search and API request,
    # then the same freeze, so the first timed request does not pay for imports and warm-up.
    user = User.objects.filter(email="bench-parent0@example.org").first()
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.get_or_create(user=user)[0].key}")
    services.search(queries[0], region_id=region.pk)
    api.get(f"/api/v1/respite/offers/?start={queries[0].start}&end={queries[0].end}")
    gc.collect()
    gc.freeze()
    old, new, found = [], [], []
    for q in queries:
        t0 = time.perf_counter()
        before = services.search_reference(q, region_id=region.pk)
        old.append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        hits = services.search(q, region_id=region.pk)
        new.append(time.perf_counter() - t0)
        found.append(len(hits))
        assert [h.offer.pk for h in hits] == [h.offer.pk for h in before]
    print(
        f"search: {len(offers)} offers, {Slot.objects.count()} ledger rows over a year, "
        f"{rounds} queries of {nights} nights"
    )
    print(
        f"  service p50 / p95 {1000 * statistics.median(new):8.1f} / {1000 * _pct(new, 0.95):.1f} ms "
        f"(median {statistics.median(found):.0f} offers found)"
    )
    print(
        f"    old computation {1000 * statistics.median(old):8.1f} / {1000 * _pct(old, 0.95):.1f} ms "
        f"in this run; recorded before the change: p95 {BEFORE['service_p95_ms']} ms"
    )
    times = []
    for q in queries:
        url = f"/api/v1/respite/offers/?start={q.start}&end={q.end}" + (f"&kind={q.kind}" if q.kind else "")
        if q.age is not None:
            url += f"&age={q.age}"
        t0 = time.perf_counter()
        r = api.get(url)
        times.append(time.perf_counter() - t0)
        assert r.status_code == 200, r.content[:200]
    print(
        f"  API GET p50 / p95 {1000 * statistics.median(times):8.1f} / {1000 * _pct(times, 0.95):.1f} ms "
        f"(JSON with free capacity per night); recorded before the change: p95 {BEFORE['api_p95_ms']} ms"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--per-client", type=int, default=20)
    parser.add_argument("--offers", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=40)
    parser.add_argument("--only", choices=["booking", "search"], help="run one of the two parts")
    args = parser.parse_args()
    _setup()
    region, munis, provider, parents = _world(args.clients)
    t0 = time.perf_counter()
    if args.only != "search":
        offers = _offers(provider, munis, 20, 3, 90)
        bench_booking(parents, offers, args.clients, args.per_client)
    if args.only == "booking":
        return
    _world(args.clients)
    offers = _offers(provider, munis, args.offers, 2, 366)
    print(f"(setup of {args.offers} offers: {time.perf_counter() - t0:.0f} s including the booking run)")
    bench_search(region, offers, args.rounds)


if __name__ == "__main__":
    main()
