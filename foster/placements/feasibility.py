"""A feasible target over two years (haalbare ambitie), from the region's own history.

One public entry, :func:`assess`. No score for a child or family: only the region's cohort.

Method (documented in docs/readme-parts/monitor.md)
---------------------------------------------------
- Baseline: the 12-month cumulative incidence (Aalen-Johansen, 95% interval) of the
  placements started in the two years that ended 12 months before the as-of date, so every
  one of them could be followed 12 months.
- Volume: the expected number of counted placements in the next two cohort years is twice
  the mean yearly number of the last three whole start years.
- Power for a candidate target p1 (below the baseline p0): the probability that, if the new
  cohorts truly reach p1, a one-sided test at the 5% level shows they are below the
  baseline: ``Phi((p0 - p1) / se - z_0.95)`` with ``se`` combining the baseline's own
  uncertainty and a binomial ``p1 (1 - p1) / N`` for the expected volume ``N``.
- The smallest reduction the region could tell from chance: the reduction with 80% power.
- Proposal: the most modest candidate (least reduction) that is both meaningful (at least
  10% less than the baseline, relatively) and measurable (power >= 80%); if none is, the
  smallest detectable reduction rounded up to a whole percent, flagged as ambitious.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date

import numpy as np
from scipy import stats as _sps

from thuisnet.accounts.models import Region

from . import stats
from .report import cohort_result, load_grouped_frame, outcomes

POWER_WANTED = 0.8
MEANINGFUL_RELATIVE = 0.10
ALPHA = 0.05
CANDIDATE_REDUCTIONS = (0.05, 0.10, 0.15, 0.20, 0.25, 0.30, 0.40, 0.50)

# Published figures for context. The region should read them as ranges from other countries
# and periods, not as a benchmark for its own definition of breakdown.
PUBLISHED = [
    {
        "text": "Studies put breakdown at 30 to 50 percent of long-term foster placements within six years.",
        "sources": [
            "Oosterman, M., Schuengel, C., Slot, N.W., Bullens, R.A.R. & Doreleijers, T.A.H. (2007). "
            "Disruptions in foster care: A review and meta-analysis. Children and Youth Services "
            "Review, 29(1), 53-76. doi:10.1016/j.childyouth.2006.07.003",
            "Strijker, J., Knorth, E.J. & Knot-Dickscheit, J. (2008). Placement history of foster "
            "children: A study of placement history and outcomes in long-term family foster care. "
            "Child Welfare, 87(5), 107-124.",
            "Sinclair, I., Wilson, K. & Gibbs, I. (2005). Foster Placements: Why they succeed and why "
            "they fail. London: Jessica Kingsley.",
        ],
    }
]


@dataclass
class Candidate:
    share: float
    reduction: float  # relative to the baseline
    power: float
    meaningful: bool
    measurable: bool


@dataclass
class Assessment:
    as_of: date
    baseline_start: date
    baseline_end: date
    baseline: stats.Interval | None
    baseline_n: int
    per_year: float
    expected_two_years: int
    next_start: date
    next_end: date
    candidates: list[Candidate] = field(default_factory=list)
    smallest_detectable: float | None = None  # absolute reduction with 80% power
    proposal: Candidate | None = None
    ambitious: bool = False

    def basis(self) -> dict:
        """What the coordinator adopts, stored with the target."""
        return {
            "as_of": self.as_of.isoformat(),
            "baseline_cohort": [self.baseline_start.isoformat(), self.baseline_end.isoformat()],
            "baseline": None if self.baseline is None else self.baseline.as_dict(),
            "baseline_n": self.baseline_n,
            "expected_two_years": self.expected_two_years,
            "smallest_detectable": self.smallest_detectable,
            "proposal": None if self.proposal is None else round(self.proposal.share, 3),
        }


def _year_start(d: date) -> date:
    return date(d.year, 1, 1)


def power(p0: float, se0: float, p1: float, n: int, alpha: float = ALPHA) -> float:
    """Probability that a cohort of ``n`` with true incidence ``p1`` is shown below ``p0``."""
    if n <= 0 or p1 >= p0:
        return 0.0
    se = math.sqrt(se0**2 + p1 * (1 - p1) / n)
    if se <= 0:
        return 1.0
    return float(_sps.norm.cdf((p0 - p1) / se - _sps.norm.ppf(1 - alpha)))


def smallest_detectable(p0: float, se0: float, n: int, wanted: float = POWER_WANTED) -> float | None:
    """The absolute reduction from ``p0`` detectable with ``wanted`` power (bisection)."""
    if power(p0, se0, 0.0, n) < wanted:
        return None  # not even a reduction to zero could be shown
    lo, hi = 0.0, p0  # reduction
    for _ in range(60):
        mid = (lo + hi) / 2
        if power(p0, se0, p0 - mid, n) >= wanted:
            hi = mid
        else:
            lo = mid
    return hi


def assess(region: Region, as_of: date) -> Assessment:
    """The feasible-target page's figures for ``region`` on ``as_of``."""
    # Baseline: two start years that all had 12 months of follow-up by the as-of date.
    followed_until = date(as_of.year - 1, as_of.month, 1)
    base_end = (
        date(followed_until.year - 1, 12, 31)
        if followed_until.month < 12
        else date(followed_until.year, 12, 31)
    )
    base_start = date(base_end.year - 1, 1, 1)
    result = cohort_result(region, base_start, base_end, as_of)
    n0 = result["placements"]
    baseline = None
    if result["horizons"]["12"]["measurable"] and n0:
        baseline = result["_cif"].breakdown_at(stats.horizon_days(12))
    # Volume: counted placements per start year, the last three whole years.
    counts = []
    for year in range(as_of.year - 3, as_of.year):
        frame = load_grouped_frame(region, date(year, 1, 1), date(year, 12, 31), as_of)
        counts.append(int(outcomes(frame, as_of).outcomes.size))
    per_year = float(np.mean(counts)) if counts else 0.0
    expected = int(round(2 * per_year))
    next_start = date(as_of.year + 1, 1, 1)
    out = Assessment(
        as_of=as_of,
        baseline_start=base_start,
        baseline_end=base_end,
        baseline=baseline,
        baseline_n=n0,
        per_year=per_year,
        expected_two_years=expected,
        next_start=next_start,
        next_end=date(next_start.year + 1, 12, 31),
    )
    if baseline is None or baseline.estimate <= 0:
        return out
    p0 = baseline.estimate
    se0 = max(baseline.ci_high - baseline.ci_low, 0.0) / (2 * stats.Z95)
    for r in CANDIDATE_REDUCTIONS:
        p1 = p0 * (1 - r)
        pw = power(p0, se0, p1, expected)
        out.candidates.append(
            Candidate(p1, r, pw, meaningful=r >= MEANINGFUL_RELATIVE - 1e-9, measurable=pw >= POWER_WANTED)
        )
    out.smallest_detectable = smallest_detectable(p0, se0, expected)
    fit = [c for c in out.candidates if c.meaningful and c.measurable]
    if fit:
        out.proposal = max(fit, key=lambda c: c.share)
    elif out.smallest_detectable is not None:
        p1 = math.floor((p0 - out.smallest_detectable) * 100) / 100
        if p1 > 0:
            r = 1 - p1 / p0
            out.proposal = Candidate(p1, r, power(p0, se0, p1, expected), True, True)
            out.ambitious = True
    return out
