"""The breakdown_report command: exact interface and JSON shape, and what counts how."""

from __future__ import annotations

import json
from datetime import date
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

pytestmark = pytest.mark.django_db


def _report(region, cohort, *extra):
    out = StringIO()
    call_command(
        "breakdown_report",
        "--region",
        region.slug,
        "--cohort-start",
        cohort["start"].isoformat(),
        "--cohort-end",
        cohort["end"].isoformat(),
        "--as-of",
        cohort["as_of"].isoformat(),
        *extra,
        "--format",
        "json",
        stdout=out,
    )
    return json.loads(out.getvalue())


def test_it_prints_one_json_object_with_the_documented_keys(region, cohort):
    report = _report(region, cohort)
    assert list(report) == [
        "cohort",
        "placements",
        "breakdowns",
        "planned_endings",
        "censored",
        "excluded",
        "cumulative_incidence",
        "km_survival",
        "rate_per_1000_days",
        "exit_shares",
        "target",
        "horizons",  # the one addition (issue 17): why a horizon is null
    ]
    assert report["cohort"] == {"start": "2024-01-01", "end": "2025-12-31", "as_of": "2026-01-01"}
    assert set(report["cumulative_incidence"]) == {"6", "12", "24"}
    assert set(report["horizons"]) == {"6", "12", "24"}
    for value in report["cumulative_incidence"].values():
        if value is None:  # beyond the follow-up: see test_placements_horizons.py
            continue
        assert set(value) == {"estimate", "ci_low", "ci_high"}
        assert 0 <= value["ci_low"] <= value["estimate"] <= value["ci_high"] <= 1
    assert set(report["rate_per_1000_days"]) == {"estimate", "ci_low", "ci_high", "days", "breakdowns"}
    assert list(report["exit_shares"]) == ["01", "02", "03", "04", "05"]
    assert set(report["km_survival"][0]) == {"day", "at_risk", "events", "survival", "se"}
    assert report["target"] is None


def test_it_counts_breakdowns_planned_censored_and_excluded(region, cohort):
    report = _report(region, cohort)
    # 11 included: 4 breakdowns (incl. the other provider's), 2 planned, 5 censored.
    assert report["placements"] == 11
    assert report["breakdowns"] == 4
    assert report["planned_endings"] == 2
    assert report["censored"] == 5  # moved out, no reason, 2 running, 1 ending after as-of
    assert report["excluded"] == 2  # respite, 5-day stay
    assert report["exit_shares"]["01"]["count"] == 2
    assert report["exit_shares"]["01"]["share"] == pytest.approx(2 / 6)


def test_an_ending_after_the_as_of_date_counts_as_running(region, cohort):
    later = dict(cohort, as_of=cohort["as_of"].replace(year=2026, month=8))
    assert _report(region, later)["breakdowns"] == 5
    assert _report(region, cohort)["breakdowns"] == 4


def test_the_incidence_uses_competing_risks_not_the_share_of_endings(region, cohort):
    report = _report(region, cohort)
    # By 6 months (182.6 days): a breakdown at day 30 among 11 (1/11); the move-out at day
    # 50 leaves 9 at risk for the two breakdowns at day 100: + (10/11)(2/9). Total 29/99,
    # where "breakdowns / endings by then" would say 3/4.
    assert report["cumulative_incidence"]["6"]["estimate"] == pytest.approx(29 / 99)


def test_the_rate_counts_placement_days_up_to_the_as_of_date(region, cohort):
    report = _report(region, cohort)
    rate = report["rate_per_1000_days"]
    assert rate["breakdowns"] == 4
    assert rate["estimate"] == pytest.approx(4 / rate["days"] * 1000)
    # 100+100+400+200+500+50+300 + 731 + 579 + 214 (running) + 30 (other provider)
    assert rate["days"] == 3204


def test_it_filters_by_provider_and_type(region, cohort, other_provider):
    assert _report(region, cohort, "--provider", other_provider.slug)["placements"] == 1
    assert _report(region, cohort, "--type", "crisis")["breakdowns"] == 1


def test_it_reports_the_target_status(region, cohort, target):
    report = _report(region, cohort)
    assert report["target"]["horizon_months"] == 12
    assert report["target"]["max_share"] == 0.2
    assert report["target"]["status"] in {"on_track", "at_risk", "above", "not_yet_measurable"}
    # 11 placements, of which one running placement was followed less than 12 months and
    # fewer than 20 were followed 12 months: not yet measurable (issue 17).
    assert report["target"]["status"] == "not_yet_measurable"


def test_it_refuses_an_unknown_region_or_provider(region, cohort):
    with pytest.raises(CommandError):
        call_command(
            "breakdown_report",
            "--region",
            "nergens",
            "--cohort-start",
            "2024-01-01",
            "--cohort-end",
            "2024-12-31",
            "--as-of",
            "2025-01-01",
            "--format",
            "json",
        )
    with pytest.raises(CommandError):
        _report(region, cohort, "--provider", "onbekend")


def test_an_empty_cohort_gives_zeros_not_an_error(region):
    report = _report(
        region, {"start": date(2010, 1, 1), "end": date(2010, 12, 31), "as_of": date(2011, 1, 1)}
    )
    assert report["placements"] == 0
    assert report["cumulative_incidence"]["12"] is None
    assert report["horizons"]["12"]["reason"] == "no placements in the cohort"
    assert report["rate_per_1000_days"]["estimate"] is None  # no placement-days: undefined
    assert report["km_survival"] == []


def test_the_grouped_database_path_equals_the_row_by_row_path(region, cohort):
    from foster.placements import services

    args = (region, cohort["start"], cohort["end"], cohort["as_of"])
    grouped = services.analyse(services.load_grouped_frame(*args), cohort["as_of"])
    by_row = services.analyse(services.load_frame(*args), cohort["as_of"])
    for key in (
        "placements",
        "breakdowns",
        "planned_endings",
        "censored",
        "excluded",
        "cumulative_incidence",
        "km_survival",
        "rate_per_1000_days",
        "exit_shares",
        "horizons",
    ):
        assert grouped[key] == by_row[key], key
