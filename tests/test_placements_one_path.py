"""One path (issue 17, item 2): the dashboard, the command, the API and the target job
compute from the same function; for random data and filters their figures are equal."""

from __future__ import annotations

import json
from datetime import date, timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from foster.placements import dashboard, report, services

pytestmark = pytest.mark.django_db

AS_OF = date(2026, 6, 1)
COHORT = (date(2024, 1, 1), date(2026, 12, 31))  # also starts after the as-of date

placement = st.tuples(
    st.integers(0, 1000),  # start: days after 2024-01-01
    st.one_of(st.none(), st.integers(0, 700)),  # duration if ended
    st.sampled_from(["", "01", "02", "03", "04", "05"]),
    st.sampled_from(["regular", "kinship", "crisis", "respite"]),
    st.booleans(),  # moved out of the region
    st.booleans(),  # which provider
)


def _command(region, *extra) -> dict:
    out = StringIO()
    call_command(
        "breakdown_report",
        "--region",
        region.slug,
        "--cohort-start",
        COHORT[0].isoformat(),
        "--cohort-end",
        COHORT[1].isoformat(),
        "--as-of",
        AS_OF.isoformat(),
        *extra,
        stdout=out,
    )
    return json.loads(out.getvalue())


KEYS = (
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
)


def _same(dash: dict, cmd: dict) -> None:
    as_json = json.loads(json.dumps({k: dash[k] for k in KEYS}))
    for key in KEYS:
        assert as_json[key] == cmd[key], key


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=st.lists(placement, max_size=40), ptype=st.sampled_from([None, "regular", "crisis"]))
def test_the_dashboard_figures_equal_the_commands(region, provider, other_provider, rows, ptype):
    from foster.placements.models import Placement

    Placement.objects.all().delete()
    for i, (start, days, code, kind, moved, which) in enumerate(rows):
        s = date(2024, 1, 1) + timedelta(days=start)
        end = None if days is None else s + timedelta(days=days)
        Placement.objects.create(
            provider=other_provider if which else provider,
            region=region,
            child_ref=f"K-{i}",
            carer_ref=f"G-{i}",
            placement_type=kind,
            age_band="8-11",
            start_date=s,
            end_date=end,
            end_code=code if end else "",
            end_reason="moved_out_of_region" if moved and end else "",
        )
    extra = ("--type", ptype) if ptype else ()
    data = dashboard.build(
        region,
        cohort_start=COHORT[0],
        cohort_end=COHORT[1],
        as_of=AS_OF,
        placement_type=ptype,
        own_provider=provider,
    )
    _same(data["region"]["_result"], _command(region, *extra))
    # The provider's own figures beside it equal the command filtered by provider.
    _same(data["own"]["_result"], _command(region, "--provider", provider.slug, *extra))


def test_every_caller_goes_through_analyse(monkeypatch, region, provider, make_placement, target):
    """The command, the API's report, the target job and the dashboard all call analyse()."""
    make_placement(date(2024, 2, 1), 100, "02")
    calls = []
    real = report.analyse

    def spy(frame, as_of, **kw):
        calls.append(len(frame))
        return real(frame, as_of, **kw)

    monkeypatch.setattr(report, "analyse", spy)
    monkeypatch.setattr(dashboard, "analyse", spy)
    _command(region)
    services.target_status_now(target, AS_OF)
    dashboard.build(region, cohort_start=COHORT[0], cohort_end=COHORT[1], as_of=AS_OF)
    assert len(calls) >= 3
