"""Honest horizons, degenerate intervals and the counting rules (issue 17, item 1)."""

from __future__ import annotations

import json
from datetime import date, timedelta
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command

from foster.placements import services, stats

pytestmark = pytest.mark.django_db

AS_OF = date(2026, 12, 1)


def _report(region, start, end, as_of):
    out = StringIO()
    call_command(
        "breakdown_report",
        "--region",
        region.slug,
        "--cohort-start",
        start.isoformat(),
        "--cohort-end",
        end.isoformat(),
        "--as-of",
        as_of.isoformat(),
        "--format",
        "json",
        stdout=out,
    )
    return json.loads(out.getvalue())


@pytest.fixture
def recent_cohort(make_placement):
    """40 placements started July to September 2026, 3 broke down early."""
    s = date(2026, 7, 1)
    for i in range(40):
        make_placement(s + timedelta(days=2 * i), 30 if i < 3 else None, "02" if i < 3 else "")
    return {"start": date(2026, 7, 1), "end": date(2026, 9, 30)}


def test_horizons_beyond_the_follow_up_are_null_with_a_reason_and_a_date(region, recent_cohort):
    report = _report(region, recent_cohort["start"], recent_cohort["end"], AS_OF)
    assert report["cumulative_incidence"]["12"] is None
    assert report["cumulative_incidence"]["24"] is None
    h12 = report["horizons"]["12"]
    assert h12["measurable"] is False and h12["at_risk"] == 0
    assert "fewer than 20 placements followed 12 months" in h12["reason"]
    # The 20th-earliest running start (2026-07-01 + 2 * 22 days) plus 12 months.
    first_20th = date(2026, 7, 1) + timedelta(days=2 * 22)
    assert date.fromisoformat(h12["measurable_from"]) == first_20th + timedelta(
        days=round(stats.horizon_days(12) + 0.5)
    )


def test_the_target_status_is_not_yet_measurable(region, recent_cohort):
    from foster.placements.models import Target

    Target.objects.create(
        region=region,
        cohort_start=recent_cohort["start"],
        cohort_end=recent_cohort["end"],
        horizon_months=12,
        max_share=Decimal("0.200"),
    )
    report = _report(region, recent_cohort["start"], recent_cohort["end"], AS_OF)
    assert report["target"]["status"] == "not_yet_measurable"


def test_the_dashboard_says_nog_niet_te_meten_with_the_date(login, coordinator, region, recent_cohort):
    url = "/monitor/?cohort_start=2026-07-01&cohort_end=2026-09-30&as_of=2026-12-01"
    body = login(coordinator).get(url).content.decode()
    assert "nog niet te meten" in body
    assert "te meten vanaf" in body


def test_a_cohort_where_everyone_broke_down_is_not_certain(region, make_placement):
    make_placement(date(2024, 1, 1), 30, "02")
    report = _report(region, date(2024, 1, 1), date(2024, 12, 31), date(2026, 1, 1))
    value = report["cumulative_incidence"]["12"]
    assert value["estimate"] == 1.0
    assert value["ci_low"] == pytest.approx(0.025)  # Clopper-Pearson, 1 of 1
    assert value["ci_high"] == 1.0


def test_one_breakdown_is_not_above_the_target_with_certainty(region, make_placement):
    from foster.placements.models import Target

    make_placement(date(2024, 1, 1), 30, "02")
    target = Target.objects.create(
        region=region,
        cohort_start=date(2024, 1, 1),
        cohort_end=date(2024, 12, 31),
        horizon_months=12,
        max_share=Decimal("0.200"),
    )
    assert services.target_status_now(target, date(2026, 1, 1)) == "at_risk"


def test_no_breakdown_without_censoring_gets_an_exact_upper_limit(region, make_placement):
    for i in range(30):
        make_placement(date(2024, 1, 1) + timedelta(days=i), 500, "01")
    value = _report(region, date(2024, 1, 1), date(2024, 12, 31), date(2026, 6, 1))["cumulative_incidence"][
        "12"
    ]
    assert value["estimate"] == 0.0
    assert value["ci_high"] == pytest.approx(1 - 0.025 ** (1 / 30))


def test_kaplan_meier_error_is_null_once_survival_reaches_zero(region, make_placement):
    make_placement(date(2024, 1, 1), 30, "02")
    make_placement(date(2024, 1, 2), 60, "01")
    rows = _report(region, date(2024, 1, 1), date(2024, 12, 31), date(2026, 1, 1))["km_survival"]
    assert rows[-1]["survival"] == 0.0
    assert rows[-1]["se"] is None


def test_zero_placement_days_gives_an_undefined_rate(region, make_placement):
    make_placement(date(2026, 11, 28))  # running 3 days: excluded, no days
    rate = _report(region, date(2026, 1, 1), date(2026, 12, 31), AS_OF)["rate_per_1000_days"]
    assert rate["days"] == 0
    assert rate["estimate"] is None and rate["ci_low"] is None and rate["ci_high"] is None


def test_a_short_running_stay_is_excluded_until_it_reaches_eight_days(region, make_placement):
    make_placement(date(2026, 11, 28))  # still running
    make_placement(date(2026, 11, 20), 5, "02")  # ended after 5 days
    early = _report(region, date(2026, 11, 1), date(2026, 12, 31), AS_OF)
    assert (early["placements"], early["censored"], early["excluded"]) == (0, 0, 2)
    later = _report(region, date(2026, 11, 1), date(2026, 12, 31), date(2026, 12, 20))
    # Once running 22 days it counts (censored); the 5-day stay stays excluded.
    assert (later["placements"], later["censored"], later["excluded"]) == (1, 1, 1)


def test_a_start_after_the_as_of_date_counts_as_excluded(region, make_placement):
    make_placement(date(2026, 1, 1), 100, "01")
    make_placement(date(2026, 6, 1))  # inside the window, after the as-of date
    report = _report(region, date(2026, 1, 1), date(2026, 12, 31), date(2026, 5, 1))
    assert report["placements"] + report["excluded"] == 2
    assert report["excluded"] == 1
