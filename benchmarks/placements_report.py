"""Benchmark: the breakdown report over 1,000,000 placements on PostgreSQL.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/thuisnet_placements_bench \
        .venv/bin/python benchmarks/placements_report.py [--rows 1000000] [--keep]

Creates the database if needed, migrates, loads N generated placements with COPY (once; a
second run reuses them unless the count differs), then times ``build_report`` (the code path
of ``manage.py breakdown_report`` and the API, grouped in the database), the row-by-row
path and the dashboard build, printing wall time and peak memory (Python allocations by
tracemalloc, and the process's peak RSS).
"""

from __future__ import annotations

import argparse
import io
import os
import resource
import sys
import time
import tracemalloc
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "site")]
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "thuisnet.settings.dev")
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/thuisnet_placements_bench")


def _ensure_database(url: str) -> None:
    import psycopg

    name = url.rsplit("/", 1)[1]
    admin = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')


def _generate(n: int, region_id: int, provider_ids: list[int], muni_ids: list[int]):
    import numpy as np

    rng = np.random.default_rng(42)
    first = np.datetime64("2014-01-01")
    span = (np.datetime64("2026-10-31") - first).astype(int)
    start = first + rng.integers(0, span, n).astype("timedelta64[D]")
    as_of = np.datetime64("2026-10-31")
    hazard = rng.choice([0.6, 0.8, 1.0, 1.6, 1.4], n)
    t_break = 2100 / hazard * (-np.log(1 - rng.random(n))) ** (1 / 0.75)
    t_plan = 2400 * (-np.log(1 - rng.random(n))) ** (1 / 1.1)
    dur = np.maximum(1, np.minimum(t_break, t_plan).astype(int))
    end = start + dur.astype("timedelta64[D]")
    open_ = end > as_of
    codes = np.where(t_break < t_plan, rng.choice(["02", "03", "04", "05"], n), "01")
    types = rng.choice(
        ["regular", "kinship", "family_home", "crisis", "respite"], n, p=[0.5, 0.3, 0.08, 0.1, 0.02]
    )
    ages = rng.choice(["0-3", "4-7", "8-11", "12-15", "16-17"], n)
    prov = rng.choice(provider_ids, n)
    muni = rng.choice(muni_ids, n)
    # Process fields (issue 17): t, f or not recorded (\N), so every split has rows.
    process = rng.choice(["t", "f", r"\N"], (n, 5), p=[0.6, 0.3, 0.1])
    return start, end, open_, codes, types, ages, prov, muni, process


def _load(n: int) -> None:
    from django.db import connection

    from foster.placements.models import Placement
    from thuisnet.accounts.models import Municipality, Organisation, Region

    region, _ = Region.objects.get_or_create(slug="bench", defaults={"name": "Benchmark"})
    munis = [
        Municipality.objects.get_or_create(region=region, slug=f"g{i}", defaults={"name": f"Gemeente {i}"})[
            0
        ].pk
        for i in range(8)
    ]
    providers = [
        Organisation.objects.get_or_create(
            slug=f"bench-{i}", defaults={"name": f"Aanbieder {i}", "kind": "provider", "region": region}
        )[0].pk
        for i in range(12)
    ]
    have = Placement.objects.filter(region=region).count()
    if have == n:
        print(f"reusing {n:,} placements")
        return
    Placement.objects.filter(region=region).delete()
    t0 = time.perf_counter()
    start, end, open_, codes, types, ages, prov, muni, process = _generate(n, region.pk, providers, munis)
    table = Placement._meta.db_table
    cols = (
        "provider_id, region_id, municipality_id, child_ref, carer_ref, placement_type, "
        "schedule, age_band, start_date, end_date, end_code, end_reason, created_at, "
        "updated_at, matching_conversation, met_before_start, emergency, perspective_in_time, "
        "carer_supported"
    )
    with connection.cursor() as cur:
        cur.execute("SET statement_timeout = 0")  # loading a million rows takes a while
        raw = cur.cursor
        with raw.copy(f"COPY {table} ({cols}) FROM STDIN") as copy:
            buf = io.StringIO()
            for i in range(n):
                s = str(start[i])
                e = r"\N" if open_[i] else str(end[i])
                c = "" if open_[i] else codes[i]
                buf.write(
                    f"{prov[i]}\t{region.pk}\t{muni[i]}\tK-{i}\tG-{i % 50000}\t{types[i]}\t"
                    f"full_time\t{ages[i]}\t{s}\t{e}\t{c}\t\t{s} 10:00+00\t{s} 10:00+00\t"
                    + "\t".join(process[i])
                    + "\n"
                )
                if i % 100_000 == 99_999:
                    copy.write(buf.getvalue())
                    buf = io.StringIO()
            copy.write(buf.getvalue())
    with connection.cursor() as cur:
        cur.execute(f"ANALYZE {table}")
    print(f"loaded {n:,} placements with COPY in {time.perf_counter() - t0:.1f} s")


def _measure(label: str, fn) -> object:
    import gc

    gc.collect()
    t0 = time.perf_counter()
    result = fn()
    seconds = time.perf_counter() - t0  # timed without tracemalloc, which slows numpy code
    gc.collect()
    tracemalloc.start()
    fn()
    _cur, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"{label:<48} {seconds:7.2f} s   peak Python {peak / 2**20:7.1f} MiB   "
        f"process peak RSS {rss:7.1f} MiB"
    )
    return result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=1_000_000)
    args = parser.parse_args()
    url = os.environ["DATABASE_URL"]
    if not url.startswith("postgres"):
        sys.exit("Set DATABASE_URL to a PostgreSQL database.")
    _ensure_database(url)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    _load(args.rows)

    from foster.placements import dashboard, services
    from thuisnet.accounts.models import Organisation, Region

    region = Region.objects.get(slug="bench")
    as_of = date(2026, 10, 31)
    print(f"PostgreSQL, {args.rows:,} placements 2014-2026, as of {as_of}")
    rep = _measure(
        "report, all placements (2014-2026)",
        lambda: services.build_report(region, date(2014, 1, 1), date(2026, 12, 31), as_of),
    )
    print(
        f"  included {rep['placements']:,}, breakdowns {rep['breakdowns']:,}, "
        f"24-month incidence {rep['cumulative_incidence']['24']['estimate']:.4f}, "
        f"KM rows {len(rep['km_survival']):,}"
    )
    _measure(
        "same, row-by-row path (load_frame + analyse)",
        lambda: services.analyse(
            services.load_frame(region, date(2014, 1, 1), date(2026, 12, 31), as_of), as_of
        ),
    )
    _measure(
        "report, cohort 2019-2023",
        lambda: services.build_report(region, date(2019, 1, 1), date(2023, 12, 31), as_of),
    )
    provider = Organisation.objects.filter(region=region, kind="provider").first()
    _measure(
        "report, one provider, cohort 2019-2023",
        lambda: services.build_report(region, date(2019, 1, 1), date(2023, 12, 31), as_of, provider=provider),
    )
    _measure(
        "dashboard (all splits), cohort 2019-2023",
        lambda: dashboard.build(
            region, cohort_start=date(2019, 1, 1), cohort_end=date(2023, 12, 31), as_of=as_of
        ),
    )
    import json

    _measure(
        "report as JSON text, all placements",
        lambda: json.dumps(services.build_report(region, date(2014, 1, 1), date(2026, 12, 31), as_of)),
    )


if __name__ == "__main__":
    main()
