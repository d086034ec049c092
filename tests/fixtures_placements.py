"""Fixtures for the placements (breakdown monitor) tests (loaded from conftest.py)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest


@pytest.fixture
def make_placement(provider):
    """``make_placement(start, days=None, code="", **extra)``: one placement of ``provider``."""
    from foster.placements.models import Placement

    counter = {"n": 0}

    def _make(start: date, days: int | None = None, code: str = "", **extra):
        counter["n"] += 1
        prov = extra.pop("provider", provider)
        return Placement.objects.create(
            provider=prov,
            region=prov.region,
            child_ref=extra.pop("child_ref", f"K-{counter['n']:04d}"),
            carer_ref=extra.pop("carer_ref", f"G-{counter['n']:04d}"),
            placement_type=extra.pop("placement_type", "regular"),
            age_band=extra.pop("age_band", "8-11"),
            start_date=start,
            end_date=None if days is None else start + timedelta(days=days),
            end_code=code,
            **extra,
        )

    return _make


@pytest.fixture
def cohort(make_placement, other_provider):
    """A small cohort of 2024 starts, as of 2026-01-01, with every kind of outcome.

    Included: 3 breakdowns (02, 03 at 100 days; 04 at 400 days), 2 planned (01 at 200 and
    500 days), 1 moved out of the region (censored at 50 days), 1 ended without a reason
    (censored at 300 days), 2 running, 1 ending after the as-of date (running), and for
    the other provider 1 breakdown at 30 days. Excluded: a respite stay, a 5-day stay.
    """
    s = date(2024, 1, 1)
    make_placement(s, 100, "02")
    make_placement(s, 100, "03")
    make_placement(s, 400, "04")
    make_placement(s, 200, "01")
    make_placement(s, 500, "01")
    make_placement(s, 50, "05", end_reason="moved_out_of_region")
    make_placement(s, 300, "")
    make_placement(s)
    make_placement(date(2024, 6, 1))
    make_placement(date(2025, 6, 1), 400, "02")  # ends 2026-07-06, after the as-of date
    make_placement(s, 30, "02", provider=other_provider, placement_type="crisis")
    make_placement(s, 10, "01", placement_type="respite")
    make_placement(s, 5, "02")
    return {"start": date(2024, 1, 1), "end": date(2025, 12, 31), "as_of": date(2026, 1, 1)}


@pytest.fixture
def target(region):
    from decimal import Decimal

    from foster.placements.models import Target

    return Target.objects.create(
        region=region,
        cohort_start=date(2024, 1, 1),
        cohort_end=date(2025, 12, 31),
        horizon_months=12,
        max_share=Decimal("0.200"),
    )
