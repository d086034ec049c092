"""Benchmark: the breakdown monitor's dashboard with all its splits over 1,000,000 placements.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/thuisnet_placements_bench \\
        .venv/bin/python benchmarks/placements_dashboard.py [--rows 1000000]

Uses the same generated placements as ``benchmarks/placements_report.py`` (loads them if
needed). Times the dashboard build from rows (first view after a data change) and the view of
the dashboard as pages get it (``cached_build``: kept between data changes), both with every
split (type, age, provider, the five process factors, the trend, the CUSUM charts).
"""

from __future__ import annotations

import argparse
import os
import sys
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import placements_report as bench  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=1_000_000)
    args = parser.parse_args()
    url = os.environ["DATABASE_URL"]
    if not url.startswith("postgres"):
        sys.exit("Set DATABASE_URL to a PostgreSQL database.")
    bench._ensure_database(url)
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    if "DatabaseCache" in settings.CACHES["default"]["BACKEND"]:
        call_command("createcachetable", verbosity=0)
    bench._load(args.rows)

    from foster.placements import dashboard
    from thuisnet.accounts.models import Organisation, Region

    region = Region.objects.get(slug="bench")
    as_of = date(2026, 10, 31)
    own = Organisation.objects.filter(region=region, kind="provider").order_by("pk").first()
    kwargs = {"cohort_start": date(2019, 1, 1), "cohort_end": date(2023, 12, 31), "as_of": as_of}
    print(f"PostgreSQL, {args.rows:,} placements 2014-2026, as of {as_of}, cohort 2019-2023")
    data = bench._measure(
        "dashboard built from rows (coordinator)", lambda: dashboard.build(region, **kwargs)
    )
    splits = ["by_type", "by_age", "by_provider", *data["region"]["process_names"]]
    print(f"  splits: {', '.join(splits)}; CUSUM charts: {len(data['cusum'])}")
    bench._measure(
        "dashboard built from rows (provider staff)",
        lambda: dashboard.build(region, own_provider=own, **kwargs),
    )
    dashboard.data_changed(region.pk)
    bench._measure(
        "first view after a data change (build + store)", lambda: dashboard.cached_build(region, **kwargs)
    )
    bench._measure(
        "dashboard as pages get it (kept between changes)", lambda: dashboard.cached_build(region, **kwargs)
    )


if __name__ == "__main__":
    main()
