"""The pure statistics module against published worked examples and properties."""

from __future__ import annotations

import ast
import math
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from foster.placements import stats
from thuisnet.core import disclosure

# Freireich et al. (1963), 6-MP arm: remission lengths in weeks, "+" = censored. A textbook
# Kaplan-Meier example (Kleinbaum & Klein, Survival Analysis, ch. 2; Aalen, Borgan &
# Gjessing, example 3.1). Survival and Greenwood SE as published (3 decimals / 4 decimals).
SIX_MP_EVENTS = [6, 6, 6, 7, 10, 13, 16, 22, 23]
SIX_MP_CENSORED = [6, 9, 10, 11, 17, 19, 20, 25, 32, 32, 34, 35]
SIX_MP_TABLE = [  # day, at risk, events, survival, se
    (6, 21, 3, 0.857, 0.0764),
    (7, 17, 1, 0.807, 0.0869),
    (10, 15, 1, 0.753, 0.0963),
    (13, 12, 1, 0.690, 0.1068),
    (16, 11, 1, 0.627, 0.1141),
    (22, 7, 1, 0.538, 0.1282),
    (23, 6, 1, 0.448, 0.1346),
]


def _six_mp():
    durations = SIX_MP_EVENTS + SIX_MP_CENSORED
    outcomes = [1] * len(SIX_MP_EVENTS) + [0] * len(SIX_MP_CENSORED)
    return durations, outcomes


def test_kaplan_meier_matches_the_6mp_textbook_table():
    rows = stats.kaplan_meier(*_six_mp())
    assert [(r.day, r.at_risk, r.events) for r in rows] == [t[:3] for t in SIX_MP_TABLE]
    for row, (_d, _n, _e, surv, se) in zip(rows, SIX_MP_TABLE, strict=True):
        assert row.survival == pytest.approx(surv, abs=5e-4)
        assert row.se == pytest.approx(se, abs=5e-5)


def test_it_counts_events_before_censorings_at_tied_times():
    # At week 6 three relapses and one censoring: all four were at risk (21, not 20 or 18).
    rows = stats.kaplan_meier(*_six_mp())
    assert rows[0].at_risk == 21
    assert rows[1].at_risk == 17  # 21 - 3 events - 1 censored at week 6


# Newcombe (1998), Statistics in Medicine 17:857-872, Table II, method 3 (score, no
# continuity correction).
@pytest.mark.parametrize(
    ("k", "n", "low", "high"),
    [
        (81, 263, 0.2553, 0.3662),
        (15, 148, 0.0624, 0.1605),
        (0, 20, 0.0000, 0.1611),
        (1, 29, 0.0061, 0.1718),
    ],
)
def test_wilson_interval_matches_newcombes_examples(k, n, low, high):
    iv = stats.wilson(k, n)
    assert iv.estimate == pytest.approx(k / n)
    assert iv.ci_low == pytest.approx(low, abs=5e-5)
    assert iv.ci_high == pytest.approx(high, abs=5e-5)


def test_wilson_rejects_impossible_counts():
    with pytest.raises(ValueError):
        stats.wilson(5, 4)
    with pytest.raises(ValueError):
        stats.wilson(0, 0)


@pytest.mark.parametrize(
    ("events", "low", "high"),
    [
        # Exact (Garwood) limits for a Poisson count, as tabulated e.g. by Ulm (1990).
        (0, 0.0, 3.689),
        (1, 0.0253, 5.572),
        (10, 4.795, 18.39),
    ],
)
def test_poisson_rate_has_exact_limits(events, low, high):
    iv = stats.poisson_rate(events, 1000)  # per 1,000 days over 1,000 days = the count
    assert iv.estimate == pytest.approx(events)
    assert iv.ci_low == pytest.approx(low, abs=1e-3)
    assert iv.ci_high == pytest.approx(high, rel=1e-3)


def test_poisson_rate_scales_to_per_thousand_days():
    iv = stats.poisson_rate(5, 20_000)
    assert iv.estimate == pytest.approx(0.25)


def test_without_competing_risk_the_incidence_is_one_minus_kaplan_meier():
    durations, outcomes = _six_mp()
    cif = stats.aalen_johansen(durations, outcomes)
    for row in stats.kaplan_meier(durations, outcomes):
        assert cif.breakdown_at(row.day).estimate == pytest.approx(1 - row.survival)


def _aj_by_hand(durations, outcomes, t):
    """A literal, loop-by-loop Aalen-Johansen estimate and delta-method variance at t."""
    times = sorted({d for d, o in zip(durations, outcomes, strict=True) if o and d <= t})
    s_prev, f, parts = 1.0, 0.0, []
    for tj in times:
        n = sum(1 for d in durations if d >= tj)
        d1 = sum(1 for d, o in zip(durations, outcomes, strict=True) if d == tj and o == 1)
        d2 = sum(1 for d, o in zip(durations, outcomes, strict=True) if d == tj and o == 2)
        f += s_prev * d1 / n
        parts.append((n, d1, d1 + d2, s_prev, f))
        s_prev *= 1 - (d1 + d2) / n
    var = 0.0
    for n, d1, d, s, fj in parts:
        var += (f - fj) ** 2 * (d / (n * (n - d)) if n > d else 0.0)
        var += s**2 * d1 * (n - d1) / n**3
        var -= 2 * (f - fj) * s * d1 / n**2
    return f, var


def test_aalen_johansen_agrees_with_a_literal_implementation():
    rng = np.random.default_rng(5)
    durations = rng.integers(1, 400, 300).tolist()
    outcomes = rng.choice([0, 1, 2], 300, p=[0.4, 0.3, 0.3]).tolist()
    cif = stats.aalen_johansen(durations, outcomes)
    for t in (30, 182.6, 365.25):
        f, var = _aj_by_hand(durations, outcomes, t)
        assert cif.breakdown_at(t).estimate == pytest.approx(f)
        assert cif.variance_at(t) == pytest.approx(var, rel=1e-9, abs=1e-15)
        iv = cif.breakdown_at(t)
        assert iv.ci_low < f < iv.ci_high


def test_a_horizon_of_m_months_is_m_times_30_4375_days():
    assert stats.horizon_days(12) == pytest.approx(365.25)
    # A breakdown on day 365 falls within 12 months, on day 366 it does not.
    cif = stats.aalen_johansen([365, 366, 500, 500], [1, 1, 0, 0])
    assert cif.breakdown_at(stats.horizon_days(12)).estimate == pytest.approx(0.25)


def _series(cells: dict[str, int]) -> dict[str, str]:
    return disclosure.series_dict(cells)[0]


def test_small_counts_are_hidden_and_one_hidden_cell_takes_a_second_with_it():
    assert disclosure.count(0) == "0"
    assert disclosure.count(9) == "<10"
    assert disclosure.count(10) == "10"
    shown = _series({"a": 4, "b": 30, "c": 12})
    assert shown["a"] == "<10"
    assert shown["c"] == "*"  # else total - b - c would reveal a
    assert shown["b"] == "30"
    assert _series({"a": 4, "b": 6, "c": 12}) == {"a": "<10", "b": "<10", "c": "12"}


def test_rates_need_twenty_in_the_denominator():
    assert not stats.may_show_rate(19)
    assert stats.may_show_rate(20)


@pytest.mark.parametrize(
    ("low", "high", "status"), [(0.10, 0.18, "on_track"), (0.15, 0.25, "at_risk"), (0.21, 0.30, "above")]
)
def test_target_status_compares_the_interval_with_the_target(low, high, status):
    assert stats.target_status(stats.Interval((low + high) / 2, low, high), 0.20) == status


def test_the_module_imports_no_django():
    source = Path(stats.__file__).read_text()
    names = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names |= {a.name.split(".")[0] for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module.split(".")[0])
    assert "django" not in names
    # thuisnet: only thuisnet.core.disclosure, itself free of Django (checked below).
    assert names <= {"__future__", "math", "collections", "dataclasses", "numpy", "scipy", "thuisnet"}
    from thuisnet.core import disclosure

    assert "django" not in Path(disclosure.__file__).read_text()


# --- Properties ------------------------------------------------------------------------------

samples = st.lists(st.tuples(st.integers(0, 1000), st.sampled_from([0, 1, 2])), min_size=1, max_size=80)


@settings(max_examples=150, deadline=None)
@given(samples)
def test_incidences_and_survival_add_up_to_one_and_stay_in_range(data):
    durations, outcomes = zip(*data, strict=True)
    cif = stats.aalen_johansen(durations, outcomes)
    total = cif.breakdown + cif.planned + cif.survival
    assert np.allclose(total, 1.0)
    for arr in (cif.breakdown, cif.planned, cif.survival):
        assert np.all(arr >= -1e-12) and np.all(arr <= 1 + 1e-12)
    assert np.all(np.diff(cif.breakdown) >= -1e-12)
    assert np.all(np.diff(cif.planned) >= -1e-12)
    for m in (6, 12, 24):
        iv = cif.breakdown_at(stats.horizon_days(m))
        assert 0.0 <= iv.ci_low <= iv.estimate <= iv.ci_high <= 1.0


@settings(max_examples=100, deadline=None)
@given(st.lists(st.integers(0, 1000), min_size=1, max_size=60))
def test_censoring_only_gives_zero_incidence(durations):
    cif = stats.aalen_johansen(durations, [0] * len(durations))
    # Nobody followed that long and no ending: the estimate is 0 but nothing is known (issue 17).
    assert cif.breakdown_at(10_000).as_dict() == {"estimate": 0.0, "ci_low": 0.0, "ci_high": 1.0}
    assert stats.kaplan_meier(durations, [0] * len(durations)) == []


@settings(max_examples=100, deadline=None)
@given(samples)
def test_kaplan_meier_survival_never_increases(data):
    durations, outcomes = zip(*data, strict=True)
    rows = stats.kaplan_meier(durations, outcomes)
    surv = [1.0] + [r.survival for r in rows]
    assert all(b <= a + 1e-12 for a, b in zip(surv, surv[1:], strict=False))
    # Greenwood's error is undefined (NaN) once survival reaches 0, never negative.
    assert all(r.se >= 0.0 or (math.isnan(r.se) and r.survival == 0.0) for r in rows)


def test_an_incidence_never_rounds_above_one():
    # Found by the property test: a running sum gave 1.0000000000000002.
    durations, outcomes = zip(*[(0, 0), (0, 0), (0, 0), (0, 1), (1, 1), (1, 1), (2, 1)], strict=True)
    iv = stats.aalen_johansen(durations, outcomes).breakdown_at(stats.horizon_days(12))
    assert 0.0 <= iv.ci_low <= iv.estimate <= iv.ci_high <= 1.0
