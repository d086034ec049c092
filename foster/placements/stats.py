"""Statistics of the breakdown monitor. Pure: numpy and scipy, no Django.

Every function takes plain numbers or arrays so it can be tested against published worked
examples and used from the report, the benchmark and the command line alike.

Conventions
-----------
- Time is counted in days from the start of a placement (start one day, end the next: 1 day).
- An outcome code per placement: ``CENSORED`` (still running on the as-of date, moved out of
  the region, or an ending without a known reason), ``BREAKDOWN`` (CBS end codes 02 to 05)
  or ``PLANNED`` (CBS code 01), which competes with breakdown.
- A horizon of m months is ``m * DAYS_PER_MONTH`` days.
- At a tied time, events count before censorings (a placement censored at day t was at risk
  for the events at day t).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
from scipy import stats as _sps

from thuisnet.core import disclosure

DAYS_PER_MONTH = 30.4375
CENSORED, BREAKDOWN, PLANNED = 0, 1, 2
Z95 = float(_sps.norm.ppf(0.975))


def horizon_days(months: float) -> float:
    return months * DAYS_PER_MONTH


@dataclass(frozen=True)
class Interval:
    estimate: float
    ci_low: float
    ci_high: float

    def as_dict(self) -> dict:
        return {"estimate": self.estimate, "ci_low": self.ci_low, "ci_high": self.ci_high}


@dataclass(frozen=True)
class EventTable:
    """Distinct times with an event, with the numbers at risk and the events by kind."""

    times: np.ndarray  # days, increasing
    at_risk: np.ndarray
    breakdowns: np.ndarray
    planned: np.ndarray

    @property
    def events(self) -> np.ndarray:
        return self.breakdowns + self.planned


def event_table(durations: Sequence[float] | np.ndarray, outcomes: Sequence[int] | np.ndarray) -> EventTable:
    """Tabulate durations and outcomes; O(n log n), fine for millions of placements."""
    t = np.asarray(durations, dtype=np.float64)
    o = np.asarray(outcomes, dtype=np.int8)
    if t.shape != o.shape:
        raise ValueError("durations and outcomes differ in length")
    if t.size and (np.any(t < 0) or np.any(np.isnan(t))):
        raise ValueError("durations must be non-negative numbers")
    if t.size == 0:
        empty = np.zeros(0)
        return EventTable(empty, empty.astype(np.int64), empty.astype(np.int64), empty.astype(np.int64))
    times, inverse = np.unique(t, return_inverse=True)
    total = np.bincount(inverse, minlength=times.size)
    brk = np.bincount(inverse, weights=(o == BREAKDOWN), minlength=times.size).astype(np.int64)
    pln = np.bincount(inverse, weights=(o == PLANNED), minlength=times.size).astype(np.int64)
    # Everyone whose time is >= t is at risk at t (events before censorings at ties).
    at_risk = np.cumsum(total[::-1])[::-1].astype(np.int64)
    keep = (brk + pln) > 0
    return EventTable(times[keep], at_risk[keep], brk[keep], pln[keep])


def event_table_sorted(durations: np.ndarray, outcomes: np.ndarray) -> EventTable:
    """:func:`event_table` of durations already in increasing order (with their outcomes in
    the same order): the same table in O(n), without sorting again. The dashboard sorts a
    cohort once and reads every split's groups from that order."""
    t = np.asarray(durations, dtype=np.float64)
    o = np.asarray(outcomes, dtype=np.int8)
    if t.size == 0:
        return event_table(t, o)
    starts = np.concatenate(([0], np.flatnonzero(t[1:] != t[:-1]) + 1))
    times = t[starts]
    total = np.diff(np.append(starts, t.size))
    brk = np.add.reduceat((o == BREAKDOWN).astype(np.int64), starts)
    pln = np.add.reduceat((o == PLANNED).astype(np.int64), starts)
    at_risk = np.cumsum(total[::-1])[::-1].astype(np.int64)
    keep = (brk + pln) > 0
    return EventTable(times[keep], at_risk[keep], brk[keep], pln[keep])


# --- Kaplan-Meier -------------------------------------------------------------------------


@dataclass(frozen=True)
class KMRow:
    day: float
    at_risk: int
    events: int
    survival: float
    se: float

    def as_dict(self) -> dict:
        day = int(self.day) if float(self.day).is_integer() else self.day
        return {
            "day": day,
            "at_risk": self.at_risk,
            "events": self.events,
            "survival": self.survival,
            # Undefined (null) once survival reaches 0: Greenwood's formula divides by n - d.
            "se": None if math.isnan(self.se) else self.se,
        }


def kaplan_meier(durations, outcomes=None, *, table: EventTable | None = None) -> list[KMRow]:
    """Survival of placements (any ending is the event) with Greenwood standard errors.

    ``outcomes`` may be 0/1 (event observed) or the three-way codes; anything non-zero is an
    event. The standard error is ``S(t) * sqrt(sum d / (n (n - d)))`` (Greenwood); when the
    last at-risk placements all end (n == d) the survival is 0 and Greenwood's standard error
    is undefined: it is NaN (``null`` in JSON) from that time on, never a silent 0.
    """
    if table is None:
        o = np.asarray(outcomes, dtype=np.int8)
        table = event_table(durations, np.where(o != 0, BREAKDOWN, CENSORED))
    n = table.at_risk.astype(np.float64)
    d = table.events.astype(np.float64)
    surv = np.cumprod(1.0 - d / n) if n.size else np.zeros(0)
    with np.errstate(divide="ignore", invalid="ignore"):
        terms = np.where(n > d, d / (n * (n - d)), 0.0)
    se = surv * np.sqrt(np.cumsum(terms))
    se = np.where(np.cumsum(n <= d) > 0, np.nan, se)
    return [
        KMRow(float(table.times[i]), int(n[i]), int(d[i]), float(surv[i]), float(se[i]))
        for i in range(n.size)
    ]


def survival_at(rows: Sequence[KMRow], day: float) -> float:
    s = 1.0
    for row in rows:
        if row.day > day:
            break
        s = row.survival
    return s


# --- Aalen-Johansen cumulative incidence -------------------------------------------------


@dataclass(frozen=True)
class CumulativeIncidence:
    """Step functions on ``times``: breakdown and planned incidence and overall survival."""

    times: np.ndarray
    breakdown: np.ndarray
    planned: np.ndarray
    survival: np.ndarray
    variance: np.ndarray  # of the breakdown incidence at each time
    n: int
    # Sorted durations of the cohort, for the exact interval of degenerate cases.
    durations: np.ndarray | None = None

    def index_at(self, day: float) -> int:
        """Index of the last event time <= day, or -1 before the first event."""
        return int(np.searchsorted(self.times, day, side="right")) - 1

    def breakdown_at(self, day: float) -> Interval:
        """The incidence at ``day`` with its 95% interval.

        Where the delta-method interval degenerates (no breakdown yet, every placement broke
        down, or a zero variance because nobody was censored) it would claim certainty; there
        the interval is Clopper-Pearson (exact binomial) on the breakdowns by ``day`` among
        the placements whose outcome at ``day`` is known (an ending by then, or followed
        beyond it). Without the durations (charts) the old point interval is kept.
        """
        i = self.index_at(day)
        f = 0.0 if i < 0 else float(self.breakdown[i])
        var = self.variance_at(day)
        if (f <= 0.0 or f >= 1.0 or var <= 0.0) and self.durations is not None:
            x, m = self.known_at(day)
            iv = clopper_pearson(x, m) if m else Interval(f, 0.0, 1.0)
            return Interval(f, min(iv.ci_low, f), max(iv.ci_high, f))
        if i < 0:
            return Interval(0.0, 0.0, 0.0)
        return _cif_interval(f, var)

    def known_at(self, day: float) -> tuple[int, int]:
        """(breakdowns by ``day``, placements whose outcome at ``day`` is known)."""
        i = self.index_at(day)
        breakdowns = 0 if i < 0 else int(round(self.cum_breakdowns[i]))
        events = 0 if i < 0 else int(round(self.cum_events[i]))
        assert self.durations is not None
        beyond = int(self.durations.size - np.searchsorted(self.durations, day, side="right"))
        return breakdowns, events + beyond

    @property
    def cum_breakdowns(self) -> np.ndarray:
        return self._cums[0]

    @property
    def cum_events(self) -> np.ndarray:
        return self._cums[1]

    def variance_at(self, day: float) -> float:
        i = self.index_at(day)
        return 0.0 if i < 0 else float(self.variance[i])

    def planned_at(self, day: float) -> float:
        i = self.index_at(day)
        return 0.0 if i < 0 else float(self.planned[i])

    def survival_at(self, day: float) -> float:
        i = self.index_at(day)
        return 1.0 if i < 0 else float(self.survival[i])


def aalen_johansen(
    durations, outcomes, *, table: EventTable | None = None, sorted_durations: np.ndarray | None = None
) -> CumulativeIncidence:
    """Cumulative incidence of breakdown with planned endings as a competing risk.

    ``F(t) = sum_{t_j <= t} S(t_j-) d1_j / n_j`` with ``S`` the overall Kaplan-Meier survival.
    The variance is the delta-method estimate (Marubini and Valsecchi 1995; as in Pintilie,
    Competing Risks, 2006, section 4.2.2)::

        Var F(t) = sum [F(t) - F(t_j)]^2 d_j / (n_j (n_j - d_j))
                 + sum S(t_j-)^2 d1_j (n_j - d1_j) / n_j^3
                 - 2 sum [F(t) - F(t_j)] S(t_j-) d1_j / n_j^2

    ``sorted_durations`` (with ``table``): the durations already sorted, kept for the exact
    interval of degenerate cases without sorting them again.
    """
    if sorted_durations is not None:
        if table is None:
            table = event_table_sorted(sorted_durations, outcomes)
        durations = sorted_durations
    if table is None:
        table = event_table(durations, outcomes)
    n = table.at_risk.astype(np.float64)
    d1 = table.breakdowns.astype(np.float64)
    d2 = table.planned.astype(np.float64)
    d = d1 + d2
    if durations is not sorted_durations:
        sorted_durations = None if durations is None else np.sort(np.asarray(durations, dtype=np.float64))
    if n.size == 0:
        z = np.zeros(0)
        out = CumulativeIncidence(table.times, z, z, z, z, 0, sorted_durations)
        object.__setattr__(out, "_cums", (z, z))
        return out
    surv = np.cumprod(1.0 - d / n)
    lag = np.concatenate(([1.0], surv[:-1]))
    # Probabilities: a running sum can land a rounding step above 1 (1.0000000000000002 when
    # every placement ended in a breakdown), which would read as "above any target".
    f1 = np.minimum(np.cumsum(lag * d1 / n), 1.0)
    f2 = np.minimum(np.cumsum(lag * d2 / n), 1.0)
    with np.errstate(divide="ignore", invalid="ignore"):
        a = np.where(n > d, d / (n * (n - d)), 0.0)
    b = lag**2 * d1 * (n - d1) / n**3
    c = lag * d1 / n**2
    # Expand the squares so every time's variance is a handful of cumulative sums:
    # sum (F - Fj)^2 a_j = F^2 A - 2F sum Fj a_j + sum Fj^2 a_j, and likewise for c.
    ca, cfa, cffa = np.cumsum(a), np.cumsum(f1 * a), np.cumsum(f1 * f1 * a)
    cb, cc, cfc = np.cumsum(b), np.cumsum(c), np.cumsum(f1 * c)
    var = (f1 * f1 * ca - 2 * f1 * cfa + cffa) + cb - 2 * (f1 * cc - cfc)
    var = np.maximum(var, 0.0)
    out = CumulativeIncidence(table.times, f1, f2, surv, var, int(table.at_risk[0]), sorted_durations)
    object.__setattr__(out, "_cums", (np.cumsum(d1), np.cumsum(d)))
    return out


def _cif_interval(f: float, var: float, z: float = Z95) -> Interval:
    """95% interval on the log(-log) scale, so it stays inside (0, 1)."""
    if f <= 0.0:
        return Interval(0.0, 0.0, 0.0)
    if f >= 1.0 or var <= 0.0:
        return Interval(min(f, 1.0), min(f, 1.0), min(f, 1.0))
    se = math.sqrt(var)
    k = min(z * se / (f * abs(math.log(f))), 700.0)  # f close to 1: exp(k) would overflow
    low, high = f ** math.exp(k), f ** math.exp(-k)
    return Interval(f, max(0.0, low), min(1.0, high))


# --- Rates and proportions ---------------------------------------------------------------


def clopper_pearson(successes: int, total: int, alpha: float = 0.05) -> Interval:
    """Exact binomial interval (Clopper and Pearson 1934): honest at 0 and at ``total``."""
    if total <= 0:
        raise ValueError("total must be positive")
    if not 0 <= successes <= total:
        raise ValueError("successes must lie between 0 and total")
    low = 0.0 if successes == 0 else float(_sps.beta.ppf(alpha / 2, successes, total - successes + 1))
    high = (
        1.0 if successes == total else float(_sps.beta.ppf(1 - alpha / 2, successes + 1, total - successes))
    )
    return Interval(successes / total, low, high)


def poisson_rate(events: int, exposure_days: float, per: float = 1000.0) -> Interval:
    """Events per ``per`` days with the exact (Garwood) Poisson 95% interval."""
    if exposure_days <= 0:
        raise ValueError("exposure must be positive")
    low = 0.0 if events == 0 else _sps.chi2.ppf(0.025, 2 * events) / 2
    high = _sps.chi2.ppf(0.975, 2 * events + 2) / 2
    scale = per / exposure_days
    return Interval(events * scale, float(low) * scale, float(high) * scale)


def wilson(successes: int, total: int, z: float = Z95) -> Interval:
    """Wilson score interval without continuity correction (Newcombe 1998, method 3)."""
    if total <= 0:
        raise ValueError("total must be positive")
    if not 0 <= successes <= total:
        raise ValueError("successes must lie between 0 and total")
    p = successes / total
    z2 = z * z
    centre = (2 * successes + z2) / (2 * (total + z2))
    half = z * math.sqrt(z2 + 4 * successes * (1 - p)) / (2 * (total + z2))
    return Interval(p, max(0.0, centre - half), min(1.0, centre + half))


# --- Funnel plot ---------------------------------------------------------------------------


def funnel_limits(p: float, sizes: Iterable[int], z: float = Z95) -> list[tuple[int, float, float]]:
    """Binomial normal-approximation control limits around a regional proportion ``p``."""
    out = []
    for n in sizes:
        if n <= 0:
            continue
        half = z * math.sqrt(max(p * (1 - p), 0.0) / n)
        out.append((n, max(0.0, p - half), min(1.0, p + half)))
    return out


# --- Small-cell suppression ----------------------------------------------------------------
# The rules live in thuisnet.core.disclosure (the one disclosure module of the project);
# these names are kept for the monitor's callers. Rates additionally need 20 placements
# behind them: below that the interval is too wide to mean anything.

MIN_COUNT = disclosure.THRESHOLD
MIN_DENOMINATOR = 20
HIDDEN = disclosure.HIDDEN
SECONDARY = disclosure.SECONDARY


def may_show_rate(denominator: int) -> bool:
    return denominator >= MIN_DENOMINATOR


def target_status(interval: Interval | None, max_share: float) -> str:
    """``above`` if the whole interval lies above the target, ``on_track`` if below, else
    ``at_risk`` (the interval contains the target); ``not_yet_measurable`` without an
    interval (the horizon lies beyond the cohort's follow-up)."""
    if interval is None:
        return "not_yet_measurable"
    if interval.ci_low > max_share:
        return "above"
    if interval.ci_high < max_share:
        return "on_track"
    return "at_risk"
