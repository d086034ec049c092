"""The dashboard built in one pass (issue 17, item 8) gives the same figures as the
straightforward way: every split's group copied out of the frame and analysed on its own,
and the CUSUM month by month. The references below are the code the one-pass build replaced."""

from __future__ import annotations

import math
from datetime import date, timedelta

import numpy as np
import pytest

from foster.placements import cusum, stats
from foster.placements.dashboard import splits
from foster.placements.report import _AGES, _TYPES, Frame, _day, horizon, outcomes

AS_OF = date(2026, 10, 31)


def _random_frame(seed: int, n: int) -> Frame:
    rng = np.random.default_rng(seed)
    asof = _day(AS_OF)
    start = rng.integers(_day(date(2019, 1, 1)), asof + 40, n).astype(np.int32)  # a few after as-of
    length = rng.integers(0, 1500, n)
    end = np.where(rng.random(n) < 0.6, start + length, -1).astype(np.int32)
    return Frame(
        start=start,
        end=end,
        code=np.where(end >= 0, rng.integers(0, 6, n), 0).astype(np.int8),
        moved=(rng.random(n) < 0.05) & (end >= 0),
        ptype=rng.integers(0, len(_TYPES), n).astype(np.int8),
        age=rng.integers(0, len(_AGES), n).astype(np.int8),
        provider=rng.choice([11, 12, 40, 41, 1000], n).astype(np.int32),
        created=(start + rng.integers(0, 200, n)).astype(np.int32),
        process=rng.integers(-1, 2, (n, 5)).astype(np.int8),
    )


def _reference_group(frame: Frame, mask: np.ndarray) -> dict:
    oc = outcomes(frame.subset(mask), AS_OF)
    return {
        "n": int(oc.outcomes.size),
        "breakdowns": int(np.count_nonzero(oc.outcomes == stats.BREAKDOWN)),
        "b12": int(
            np.count_nonzero((oc.outcomes == stats.BREAKDOWN) & (oc.durations <= stats.horizon_days(12)))
        ),
        "h12": horizon(oc, AS_OF, 12),
        "cif": stats.aalen_johansen(oc.durations, oc.outcomes),
    }


def _same_cif(a: stats.CumulativeIncidence, b: stats.CumulativeIncidence) -> None:
    for name in ("times", "breakdown", "planned", "survival", "variance", "durations"):
        assert np.array_equal(getattr(a, name), getattr(b, name)), name
    assert a.n == b.n
    for months in (3, 6, 12, 24):
        assert a.breakdown_at(stats.horizon_days(months)) == b.breakdown_at(stats.horizon_days(months))


@pytest.mark.parametrize("seed,n", [(1, 0), (2, 1), (3, 40), (4, 3000)])
def test_every_split_equals_the_group_analysed_on_its_own(seed, n):
    frame = _random_frame(seed, n)
    cohort = splits.Cohort(outcomes(frame, AS_OF))
    keys = {
        "type": (frame.ptype, range(len(_TYPES))),
        "age": (frame.age, range(len(_AGES))),
        "provider": (frame.provider, [11, 12, 40, 41, 1000, 7]),  # 7: a provider without rows
        **{f"process{j}": (frame.process[:, j], [1, 0]) for j in range(5)},
    }
    for name, (key, values) in keys.items():
        rows = splits._split(frame, AS_OF, key, [(v, str(v)) for v in values], cohort=cohort)
        by_key = {r["key"]: r for r in rows}
        for v in values:
            ref = _reference_group(frame, key == v)
            if ref["n"] == 0:
                assert v not in by_key, name
                continue
            row = by_key[v]
            assert (row["n"], row["breakdowns"], row["_b12"], row["_h12"]) == (
                ref["n"],
                ref["breakdowns"],
                ref["b12"],
                ref["h12"],
            ), (name, v)
            _same_cif(row["_cif"], ref["cif"])


def test_the_trend_equals_each_quarter_analysed_on_its_own():
    frame = _random_frame(5, 2500)
    fast = splits.trend(frame, AS_OF, cohort=splits.Cohort(outcomes(frame, AS_OF)))
    starts = frame.start.astype("datetime64[D]")
    quarter = (
        (starts.astype("datetime64[Y]").astype(int) + 1970) * 10
        + (starts.astype("datetime64[M]").astype(int) % 12) // 3
        + 1
    )
    assert [r["label"] for r in fast] == [f"{q // 10} K{q % 10}" for q in sorted(set(quarter.tolist()))]
    for row, q in zip(fast, sorted(set(quarter.tolist())), strict=True):
        ref = _reference_group(frame, quarter == q)
        assert row["_n"] == ref["n"]
        if row["share"] is not None:
            assert row["share"] == ref["cif"].breakdown_at(stats.horizon_days(12)).estimate


def _reference_chart(frame: Frame, rates: np.ndarray) -> list[tuple[int, float, float]]:
    """The month-by-month CUSUM the vectorised one replaced."""
    bounds = [_day(b) for b in cusum._month_starts(AS_OF, cusum.WINDOW_MONTHS)]
    stop, brk = cusum._breakdown_days(frame, _day(AS_OF))
    stratum = frame.ptype.astype(np.int64) * len(_AGES) + frame.age.astype(np.int64)
    rate = rates[stratum] * cusum._counted(frame)
    s, out = 0.0, []
    for a, b in zip(bounds[:-1], bounds[1:], strict=True):
        days = np.clip(np.minimum(stop, b) - np.maximum(frame.start, a), 0, None)
        expected = float((days * rate).sum())
        observed = int(np.count_nonzero(brk & cusum._counted(frame) & (stop >= a) & (stop < b)))
        s = max(0.0, s + observed * math.log(cusum.RATIO) - (cusum.RATIO - 1) * expected)
        out.append((observed, expected, s))
    return out


class _P:
    def __init__(self, pk):
        self.pk = pk


def test_the_vectorised_cusum_equals_the_month_by_month_one():
    frame = _random_frame(6, 4000)
    base_start, window_start = cusum.window(AS_OF)
    inside = (frame.start >= _day(base_start)) & (frame.start <= _day(AS_OF))
    used = frame.subset(inside)
    rates = cusum.baseline_rates(used, _day(base_start), _day(window_start))
    result = cusum.charts(None, AS_OF, [_P(11), _P(40), _P(7)], frame=frame)
    for key, sub in (
        ("region", used),
        (11, used.subset(used.provider == 11)),
        (40, used.subset(used.provider == 40)),
    ):
        ref = _reference_chart(sub, rates)
        assert [m.observed for m in result[key]] == [r[0] for r in ref], key
        # The expected counts are summed per stratum instead of per placement: equal up to
        # the last bits of a double, which no shown (one-decimal) figure can tell apart.
        assert np.allclose([m.expected for m in result[key]], [r[1] for r in ref], rtol=1e-12, atol=1e-12)
        assert np.allclose([m.s for m in result[key]], [r[2] for r in ref], rtol=1e-12, atol=1e-12)
        assert [f"{m.s:.1f}" for m in result[key]] == [f"{r[2]:.1f}" for r in ref]
    assert all(m.observed == 0 and m.expected == 0 for m in result[7])


def test_durations_sort_the_same_as_sixteen_bit_keys():
    rng = np.random.default_rng(7)
    for values in (rng.integers(0, 5000, 1000).astype(float), rng.random(100) * 10, np.array([40000.0, 1.0])):
        assert np.array_equal(splits._stable_order(values), np.argsort(values, kind="stable"))


@pytest.mark.django_db
def test_postgresql_packs_the_same_frame_as_the_row_by_row_read(
    region, provider, other_provider, make_placement
):
    """The one-aggregate read of PostgreSQL (report._load_frame_postgres) gives the same
    columns as the row-by-row read; on other databases there is only the latter."""
    from django.db import connection

    from foster.placements import report

    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only")
    kinds = ["regular", "kinship", "family_home", "crisis", "respite"]
    bands = ["0-3", "4-7", "8-11", "12-15", "16-17"]
    for i in range(60):
        make_placement(
            date(2024, 1, 1) + timedelta(days=i * 5),
            None if i % 4 == 0 else 10 + i * 7,
            "" if i % 4 == 0 else f"0{1 + i % 5}",
            provider=other_provider if i % 3 else provider,
            placement_type=kinds[i % 5],
            age_band=bands[i % 5],
            end_reason="moved_out_of_region" if i % 4 == 1 else "",
            matching_conversation=[True, False, None][i % 3],
            emergency=[None, True, False][i % 3],
            carer_supported=[False, None, True][i % 3],
            child_ref=f"K-{i}",
            carer_ref=f"G-{i}",
        )
    qs = report._cohort_qs(region, date(2024, 1, 1), date(2025, 12, 31), None, None).order_by("pk")
    from django.db import connection

    packed = report._load_frame_postgres(qs, connection)
    rows = report._load_frame_rows(qs, connection, 7)
    for name in ("start", "end", "code", "moved", "ptype", "age", "provider", "created", "process"):
        assert np.array_equal(getattr(packed, name), getattr(rows, name)), name
    assert len(packed) == 60
