"""Benchmark (issue 14, item 6): all 42 youth-care regions in one database.

    .venv/bin/python benchmarks/scale.py [--placements 1000000] [--offers 1000] [--days 365]
        [--evenings 2] [--rounds 30] [--skip monitor,search,api]

Builds ``thuisnet_bench_scale`` on PostgreSQL (production settings, migrate) with a synthetic
country: 42 regions, 342 municipalities (6 to 10 per region), 5 providers per region, the
respite offers spread over the regions with a ledger row per night (or day part) for a year,
a few information evenings per region, and the placements of the monitor spread unevenly over
the regions (the largest region has about five times the placements of the smallest). Then it
measures, in-process, what grows with the data:

- the breakdown report and the dashboard for the smallest, a middle and the largest region,
  and the report for every region one after another (the nightly run for the country);
- the respite availability search (service) in every region and over the whole country, and
  the offers API for one region, with ``benchmarks/respite_booking.py``'s own measurement.

Generators are borrowed from ``benchmarks/placements_report.py`` (``_generate``,
``_measure``) and ``benchmarks/respite_booking.py`` (``_offers``, ``bench_search``) by
importing them. A second run reuses the data of an earlier one with the same sizes.
"""

from __future__ import annotations

import argparse
import io
import os
import random
import statistics
import sys
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE), str(ROOT), str(ROOT / "site")]
DB = os.environ.get("BENCH_SCALE_DB", "thuisnet_bench_scale")
os.environ.update(
    DJANGO_SETTINGS_MODULE="thuisnet.settings.production",
    DATABASE_URL=f"postgres://postgres@127.0.0.1:5432/{DB}",
    SECRET_KEY="benchmark-only-" + "s" * 50,
    ALLOWED_HOSTS="testserver,127.0.0.1",
    SECURE_SSL_REDIRECT="false",
    EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
    LOG_LEVEL="WARNING",
    TASKS_BACKEND="immediate",
    DB_STATEMENT_TIMEOUT="0",
    THUISNET_VAR_DIR="/tmp/thuisnet-bench-scale/var",
    STATIC_ROOT="/tmp/thuisnet-bench-scale/static",
)

REGIONS = 42
MUNICIPALITIES = 342  # the Netherlands in 2025
PROVIDERS_PER_REGION = 5
AS_OF = date(2026, 10, 31)


def _weights() -> list[float]:
    # Region i gets a share proportional to 52 - i: the largest about five times the smallest.
    raw = [52 - i for i in range(REGIONS)]
    return [w / sum(raw) for w in raw]


def _split(total: int) -> list[int]:
    sizes = [int(total * w) for w in _weights()]
    sizes[0] += total - sum(sizes)
    return sizes


def _ensure_database() -> None:
    import psycopg

    with psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [DB]).fetchone():
            conn.execute(f'CREATE DATABASE "{DB}"')


def build_country() -> list[tuple]:
    """42 regions with municipalities, providers and a working agreement each (idempotent)."""
    from respite.models import WorkingAgreement
    from thuisnet.accounts.models import Municipality, Organisation, Region

    per_region = [MUNICIPALITIES // REGIONS] * REGIONS  # 8 each, the rest to the first regions
    for i in range(MUNICIPALITIES - sum(per_region)):
        per_region[i] += 1
    rng = random.Random(42)
    for i in range(0, REGIONS - 1, 2):  # vary 6..10 while keeping the total
        d = rng.randint(0, 2)
        per_region[i] += d
        per_region[i + 1] -= d
    country = []
    for r in range(REGIONS):
        region, _ = Region.objects.get_or_create(
            slug=f"regio-{r + 1:02d}", defaults={"name": f"Regio {r + 1:02d}"}
        )
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
            Municipality.objects.get_or_create(
                region=region, slug=f"r{r + 1:02d}-g{m}", defaults={"name": f"Gemeente {r + 1:02d}-{m}"}
            )[0]
            for m in range(per_region[r])
        ]
        providers = [
            Organisation.objects.get_or_create(
                slug=f"r{r + 1:02d}-aanbieder-{p}",
                defaults={
                    "name": f"Aanbieder {r + 1:02d}-{p}",
                    "kind": "provider",
                    "region": region,
                    "municipality": munis[p % len(munis)],
                    "email": f"aanbieder{p}@r{r + 1:02d}.example",
                },
            )[0]
            for p in range(PROVIDERS_PER_REGION)
        ]
        country.append((region, munis, providers))
    return country


def load_offers(country, total: int, days: int, fresh: bool = False) -> None:
    """Respite offers with a year of ledger rows, by ``respite_booking._offers`` per provider."""
    from respite_booking import _offers

    from respite.models import Offer, Slot

    regions = [r.pk for r, _m, _p in country]
    have = Offer.objects.filter(provider__region_id__in=regions).count()
    if have == total and not fresh:
        print(f"reusing {total:,} respite offers ({Slot.objects.count():,} ledger rows)")
        return
    Slot.objects.filter(offer__provider__region_id__in=regions).delete()
    Offer.objects.filter(provider__region_id__in=regions).delete()
    t0 = time.perf_counter()
    for (_region, munis, providers), n in zip(country, _split(total), strict=True):
        padded = (munis * 2)[: max(8, len(munis))]  # _offers takes munis[i % 8]
        for p, provider in enumerate(providers):
            share = n // len(providers) + (1 if p < n % len(providers) else 0)
            if share:
                _offers(provider, padded, share, 2, days)
    print(
        f"loaded {total:,} respite offers, {Slot.objects.count():,} ledger rows "
        f"({days} days) in {time.perf_counter() - t0:.0f} s"
    )


def load_placements(country, total: int) -> None:
    """Placements with COPY, rows from ``placements_report._generate`` per region."""
    from django.db import connection
    from placements_report import _generate

    from foster.placements.models import Placement

    regions = [r.pk for r, _m, _p in country]
    if Placement.objects.filter(region_id__in=regions).count() == total:
        print(f"reusing {total:,} placements")
        return
    Placement.objects.filter(region_id__in=regions).delete()
    t0 = time.perf_counter()
    table = Placement._meta.db_table
    cols = (
        "provider_id, region_id, municipality_id, child_ref, carer_ref, placement_type, "
        "schedule, age_band, start_date, end_date, end_code, end_reason, created_at, "
        "updated_at, matching_conversation, met_before_start, emergency, perspective_in_time, "
        "carer_supported"
    )
    with connection.cursor() as cur:
        cur.execute("SET statement_timeout = 0")
        with cur.cursor.copy(f"COPY {table} ({cols}) FROM STDIN") as copy:
            for (region, munis, providers), n in zip(country, _split(total), strict=True):
                start, end, open_, codes, types, ages, prov, muni, process = _generate(
                    n, region.pk, [p.pk for p in providers], [m.pk for m in munis]
                )
                buf = io.StringIO()
                for i in range(n):
                    s = str(start[i])
                    e = r"\N" if open_[i] else str(end[i])
                    c = "" if open_[i] else codes[i]
                    buf.write(
                        f"{prov[i]}\t{region.pk}\t{muni[i]}\t{region.slug}-K-{i}\t"
                        f"{region.slug}-G-{i % 5000}\t"
                        f"{types[i]}\tfull_time\t{ages[i]}\t{s}\t{e}\t{c}\t\t{s} 10:00+00\t{s} 10:00+00\t"
                        + "\t".join(process[i])
                        + "\n"
                    )
                copy.write(buf.getvalue())
        cur.execute(f"ANALYZE {table}")
    print(
        f"loaded {total:,} placements over {len(country)} regions with COPY "
        f"in {time.perf_counter() - t0:.0f} s"
    )


def load_evenings(country, per_region: int) -> None:
    """A few published evening pages per region (Wagtail pages: slow to create, so few)."""
    from datetime import datetime
    from datetime import time as dtime

    from django.utils import timezone
    from wagtail.models import Page, Site

    from foster.models import EveningIndexPage, EveningPage
    from thuisnet.core.ics import AMSTERDAM
    from thuisnet.home.models import HomePage

    if EveningPage.objects.filter(slug__startswith="schaal-").count() >= per_region * len(country):
        print(f"reusing {per_region * len(country)} evenings")
        return
    t0 = time.perf_counter()
    home = HomePage.objects.first()
    if home is None:
        home = Page.get_first_root_node().add_child(
            instance=HomePage(title="Thuisnet", slug="schaal-home", intro_title="Schaal", intro="<p>x</p>")
        )
        Site.objects.update_or_create(
            is_default_site=True,
            defaults={"hostname": "localhost", "root_page": home, "site_name": "Thuisnet"},
        )
    index = EveningIndexPage.objects.first()
    if index is None:
        index = home.add_child(instance=EveningIndexPage(title="Informatieavonden", slug="informatieavonden"))
    day = timezone.localdate() + timedelta(days=20)
    for region, munis, providers in country:
        for k in range(per_region):
            page = EveningPage(
                title=f"Informatieavond {region.name} {k + 1}",
                slug=f"schaal-{region.slug}-{k}",
                region=region,
                starts_at=datetime.combine(day + timedelta(days=7 * k), dtime(19, 30), tzinfo=AMSTERDAM),
                ends_at=datetime.combine(day + timedelta(days=7 * k), dtime(21, 30), tzinfo=AMSTERDAM),
                capacity=40,
                venue="Zaal",
                address="Straat 1",
                municipality=munis[k % len(munis)],
                family_forms=["full_time", "support"],
                intro="<p>Een avond.</p>",
            )
            index.add_child(instance=page)
            page.organisers.set([providers[k % len(providers)]])
            page.save_revision().publish()
    print(f"created {per_region * len(country)} evenings in {time.perf_counter() - t0:.0f} s")


def _pct(values: list[float], p: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(len(values) * p))]


def measure_monitor(country, total: int) -> None:
    from placements_report import _measure

    from foster.placements import dashboard, services

    sizes = _split(total)
    order = sorted(range(len(country)), key=lambda i: sizes[i])
    print(f"\n## Monitor: {total:,} placements over {len(country)} regions (as of {AS_OF})")
    for label, i in (("smallest", order[0]), ("middle", order[len(order) // 2]), ("largest", order[-1])):
        region = country[i][0]
        _measure(
            f"report, {label} region ({sizes[i]:,} placements)",
            lambda region=region: services.build_report(region, date(2014, 1, 1), date(2026, 12, 31), AS_OF),
        )
    region = country[order[-1]][0]
    _measure(
        "dashboard (all splits), largest region, cohort 2019-2023",
        lambda: dashboard.build(
            region, cohort_start=date(2019, 1, 1), cohort_end=date(2023, 12, 31), as_of=AS_OF
        ),
    )
    t0 = time.perf_counter()
    for region, _m, _p in country:
        services.build_report(region, date(2014, 1, 1), date(2026, 12, 31), AS_OF)
    print(
        f"report for each of the {len(country)} regions, one after another: {time.perf_counter() - t0:.1f} s"
    )


def measure_search(country, rounds: int) -> None:
    from respite import services
    from respite.models import Offer, Slot

    today = date.today()
    rng = random.Random(1)
    queries = []
    for _ in range(rounds):
        start = today + timedelta(days=rng.randint(3, 300))
        queries.append(
            services.Query(
                start=start,
                end=start + timedelta(days=rng.choice([1, 2, 3, 7])),
                age=rng.choice([None, 5, 9, 14]),
                kind=rng.choice(["", "place", "host_family"]),
            )
        )
    print(
        f"\n## Respite search: {Offer.objects.count():,} offers, {Slot.objects.count():,} ledger rows, "
        f"{rounds} queries per region"
    )
    per_region = []
    for region, _m, _p in country:
        times = []
        for q in queries:
            t0 = time.perf_counter()
            services.search(q, region_id=region.pk)
            times.append(time.perf_counter() - t0)
        per_region.append((statistics.median(times), _pct(times, 0.95)))
    p50s = sorted(x[0] for x in per_region)
    p95s = sorted(x[1] for x in per_region)
    print(
        f"service, one region:   median of the regions' p50 {1000 * statistics.median(p50s):.1f} ms, "
        f"p95 {1000 * statistics.median(p95s):.1f} ms; worst region p95 {1000 * p95s[-1]:.1f} ms"
    )
    times = []
    for q in queries[: max(5, rounds // 3)]:
        t0 = time.perf_counter()
        services.search(q)
        times.append(time.perf_counter() - t0)
    print(
        f"service, whole country (no region filter): p50 {1000 * statistics.median(times):.1f} ms, "
        f"p95 {1000 * _pct(times, 0.95):.1f} ms"
    )


def measure_search_api(country, rounds: int) -> None:
    """``respite_booking.bench_search`` in the largest region (its parent lives there)."""
    from django.utils import timezone
    from respite_booking import bench_search

    from respite.models import Offer
    from thuisnet.accounts.models import Household, User

    region, munis, _providers = country[0]
    if not User.objects.filter(email="bench-parent0@example.org").exists():
        hh = Household.objects.create(
            region=region,
            municipality=munis[0],
            family_form="foster",
            display_name="Gezin Schaal",
            verified_at=timezone.now(),
        )
        User.objects.create_user("bench-parent0@example.org", "x", region=region, household=hh)
    offers = list(Offer.objects.filter(provider__region=region))
    print(f"\n## respite_booking.bench_search in the largest region ({len(offers)} of its offers)")
    bench_search(region, offers, rounds)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--placements", type=int, default=1_000_000)
    parser.add_argument("--offers", type=int, default=1000)
    parser.add_argument("--days", type=int, default=365)
    parser.add_argument("--evenings", type=int, default=2, help="evening pages per region")
    parser.add_argument("--rounds", type=int, default=30, help="search queries per region")
    parser.add_argument("--skip", default="", help="comma-separated: monitor,search,api")
    parser.add_argument(
        "--fresh-offers",
        action="store_true",
        help="generate the offers again (after the ledger code changed)",
    )
    args = parser.parse_args()
    for name in ("THUISNET_VAR_DIR", "STATIC_ROOT"):
        Path(os.environ[name]).mkdir(parents=True, exist_ok=True)
    _ensure_database()
    import django

    django.setup()
    import logging

    logging.getLogger("django.request").setLevel(logging.ERROR)
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)  # the cache without REDIS_URL
    t0 = time.perf_counter()
    country = build_country()
    load_evenings(country, args.evenings)
    load_offers(country, args.offers, args.days, fresh=args.fresh_offers)
    load_placements(country, args.placements)
    print(
        f"data set ready in {time.perf_counter() - t0:.0f} s: {REGIONS} regions, "
        f"{MUNICIPALITIES} municipalities, "
        f"{REGIONS * PROVIDERS_PER_REGION} providers, {args.offers:,} offers x {args.days} days, "
        f"{args.evenings * REGIONS} evenings, {args.placements:,} placements; "
        f"machine {os.cpu_count()} cores, "
        f"load average {os.getloadavg()[0]:.1f}"
    )
    skip = set(args.skip.split(","))
    if "monitor" not in skip:
        measure_monitor(country, args.placements)
    if "search" not in skip:
        measure_search(country, args.rounds)
    if "api" not in skip:
        measure_search_api(country, args.rounds)


if __name__ == "__main__":
    main()
