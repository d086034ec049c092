"""The one path from placements to figures: load, classify, analyse.

The command, the API, the dashboard and the target job all call :func:`analyse` on a
:class:`Frame`; they differ only in how the frame is loaded (:func:`load_frame`, one row per
placement with every column the dashboard splits by, or :func:`load_grouped_frame`, the
database grouping placements that share an outcome, for the command's speed; both live in
:mod:`.loading` and are importable from here). Counting rules live in :func:`outcomes` only.

Counting rules
--------------
- Every placement that starts inside the cohort window counts in ``placements`` (included)
  or ``excluded``: respite stays, stays that ended within ``MIN_DAYS`` days, stays still
  running but shorter than ``MIN_DAYS`` days on the as-of date (their fate as a short stay is
  not known yet), and placements starting after the as-of date.
- Honest horizons: a horizon of m months is measurable when at least ``MIN_AT_RISK``
  placements were still followed at m months, or when no placement still running was followed
  less than m months (the data cannot get better). Otherwise its incidence is ``None`` with a
  reason and the earliest date it can become measurable.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np

from thuisnet.accounts.models import Organisation, Region

from . import stats
from .loading import (  # noqa: F401 - the loading names callers and tests use from report
    _AGES,
    _CODES,
    _COLUMNS,
    _EPOCH,
    _RESPITE,
    _TYPES,
    HORIZONS,
    MIN_AT_RISK,
    MIN_DAYS,
    PROCESS_FIELDS,
    Frame,
    _cohort_qs,
    _day,
    _day_sql,
    _fetch_int32,
    _load_frame_postgres,
    _load_frame_rows,
    _mapping,
    _pg_position,
    _tristate,
    load_frame,
    load_grouped_frame,
)
from .models import Target


@dataclass
class Outcomes:
    durations: np.ndarray
    outcomes: np.ndarray
    included: np.ndarray  # mask over the frame
    codes: np.ndarray  # CBS code (1..5) of included endings that count, else 0
    running: np.ndarray  # included placements still open on the as-of date

    def subset(self, mask: np.ndarray) -> Outcomes:
        """The outcomes of the included placements selected by ``mask`` (over the frame)."""
        sel = mask[self.included]
        return Outcomes(
            self.durations[sel], self.outcomes[sel], mask & self.included, self.codes[sel], self.running[sel]
        )


def outcomes(frame: Frame, as_of: date) -> Outcomes:
    """The counting rules (module docstring), the only place they are written down."""
    asof = _day(as_of)
    started = frame.start <= asof
    ended = (frame.end >= 0) & (frame.end <= asof)
    dur_all = np.where(ended, frame.end - frame.start, asof - frame.start)
    excluded = (frame.ptype == _RESPITE) | ~started | (dur_all < MIN_DAYS)
    inc = ~excluded
    out = np.full(frame.start.size, stats.CENSORED, dtype=np.int8)
    counted = ended & ~frame.moved & (frame.code > 0)
    out[counted & (frame.code == 1)] = stats.PLANNED
    out[counted & (frame.code >= 2)] = stats.BREAKDOWN
    codes = np.where(counted, frame.code, 0)
    return Outcomes(dur_all[inc].astype(np.float64), out[inc], inc, codes[inc], ~ended[inc])


def horizon(oc: Outcomes, as_of: date, months: float) -> dict:
    """Whether the incidence at ``months`` can be reported (module docstring), and if not,
    why and from when at the earliest (if the placements running now keep running)."""
    days = stats.horizon_days(months)
    n = int(oc.durations.size)
    at_risk = int(np.count_nonzero(oc.durations >= days))
    short = oc.durations[oc.running & (oc.durations < days)]
    info = {"measurable": True, "at_risk": at_risk, "reason": None, "measurable_from": None}
    if n and (at_risk >= MIN_AT_RISK or short.size == 0):
        return info
    info["measurable"] = False
    if not n:
        info["reason"] = "no placements in the cohort"
        return info
    info["reason"] = f"fewer than {MIN_AT_RISK} placements followed {months:g} months ({at_risk} so far)"
    # The k-th longest-running of the short ones reaches the horizon first; k = the number
    # still needed, or all of them if fewer are left (then the data are as good as they get).
    follow = np.sort(short)[::-1]
    k = min(MIN_AT_RISK - at_risk, follow.size)
    info["measurable_from"] = (as_of + timedelta(days=math.ceil(days - follow[k - 1]))).isoformat()
    return info


def analyse(frame: Frame, as_of: date, *, extra_horizons: tuple[float, ...] = ()) -> dict:
    """Counts, cumulative incidence (``None`` beyond the follow-up), Kaplan-Meier, rate and
    exit shares, unsuppressed. Private keys (``_cif``, ``_oc``) are for the dashboard."""
    return analyse_outcomes(outcomes(frame, as_of), len(frame), as_of, extra_horizons=extra_horizons)


def analyse_outcomes(
    oc: Outcomes, total: int, as_of: date, *, extra_horizons: tuple[float, ...] = ()
) -> dict:
    table = stats.event_table(oc.durations, oc.outcomes)
    cif = stats.aalen_johansen(oc.durations, None, table=table)
    km = stats.kaplan_meier(None, table=table)
    n = int(oc.outcomes.size)
    breakdowns = int(np.count_nonzero(oc.outcomes == stats.BREAKDOWN))
    planned = int(np.count_nonzero(oc.outcomes == stats.PLANNED))
    days = int(oc.durations.sum())
    if days > 0:
        rate = stats.poisson_rate(breakdowns, days).as_dict()
    else:  # no placement-days: a rate is undefined, not 0 with a [0, 0] interval
        rate = {"estimate": None, "ci_low": None, "ci_high": None}
    endings = int(np.count_nonzero(oc.codes))
    shares = {}
    for code in range(1, 6):
        count = int(np.count_nonzero(oc.codes == code))
        if endings:
            w = stats.wilson(count, endings)
            shares[f"{code:02d}"] = {
                "count": count,
                "share": w.estimate,
                "ci_low": w.ci_low,
                "ci_high": w.ci_high,
            }
        else:
            shares[f"{code:02d}"] = {"count": 0, "share": 0.0, "ci_low": 0.0, "ci_high": 1.0}
    horizons = {str(m): horizon(oc, as_of, m) for m in HORIZONS}
    for m in extra_horizons:
        horizons.setdefault(f"{m:g}", horizon(oc, as_of, m))
    return {
        "placements": n,
        "breakdowns": breakdowns,
        "planned_endings": planned,
        "censored": n - breakdowns - planned,
        "excluded": int(total - n),
        "cumulative_incidence": {
            str(m): (
                cif.breakdown_at(stats.horizon_days(m)).as_dict() if horizons[str(m)]["measurable"] else None
            )
            for m in HORIZONS
        },
        "km_survival": [row.as_dict() for row in km],
        "rate_per_1000_days": {**rate, "days": days, "breakdowns": breakdowns},
        "exit_shares": shares,
        "horizons": horizons,
        "_cif": cif,
        "_oc": oc,
        "_as_of": as_of,
    }


def target_for(
    region: Region, cohort_start: date | None = None, cohort_end: date | None = None
) -> Target | None:
    targets = list(Target.objects.filter(region=region))
    for t in targets:
        if t.cohort_start == cohort_start and t.cohort_end == cohort_end:
            return t
    return targets[0] if targets else None


def target_block(target: Target | None, result: dict) -> dict | None:
    """The target's status on an :func:`analyse` result (``not_yet_measurable`` when its
    horizon lies beyond the follow-up)."""
    if target is None:
        return None
    share = float(target.max_share)
    interval = None
    if horizon(result["_oc"], result["_as_of"], target.horizon_months)["measurable"]:
        interval = result["_cif"].breakdown_at(stats.horizon_days(target.horizon_months))
    return {
        "horizon_months": target.horizon_months,
        "max_share": share,
        "status": stats.target_status(interval, share),
    }


def cohort_result(
    region: Region,
    cohort_start: date,
    cohort_end: date,
    as_of: date,
    *,
    provider: Organisation | None = None,
    placement_type: str | None = None,
    frame: Frame | None = None,
) -> dict:
    """:func:`analyse` on the cohort, loaded grouped unless a frame is given."""
    if frame is None:
        frame = load_grouped_frame(
            region, cohort_start, cohort_end, as_of, provider=provider, placement_type=placement_type
        )
    return analyse(frame, as_of)


def build_report(
    region: Region,
    cohort_start: date,
    cohort_end: date,
    as_of: date,
    *,
    provider: Organisation | None = None,
    placement_type: str | None = None,
) -> dict:
    """The report of the ``breakdown_report`` command and the API (unsuppressed). Read from the
    report replica when one is configured and fresh (``thuisnet.core.dbrouter``)."""
    from thuisnet.core.dbrouter import report_reads

    with report_reads():
        result = cohort_result(
            region, cohort_start, cohort_end, as_of, provider=provider, placement_type=placement_type
        )
        return report_json(
            result,
            region,
            cohort_start,
            cohort_end,
            as_of,
            whole_cohort=provider is None and not placement_type,
        )


def report_json(
    result: dict, region, cohort_start: date, cohort_end: date, as_of: date, *, whole_cohort: bool = True
) -> dict:
    """The command's JSON of an :func:`analyse` result; the target applies to the region's
    whole cohort only (a subset has no target of its own)."""
    target = target_for(region, cohort_start, cohort_end) if whole_cohort else None
    body = {k: v for k, v in result.items() if not k.startswith("_") and k != "horizons"}
    return {
        "cohort": {
            "start": cohort_start.isoformat(),
            "end": cohort_end.isoformat(),
            "as_of": as_of.isoformat(),
        },
        **body,
        "target": target_block(target, result),
        "horizons": result["horizons"],
    }


def grouped_outcomes(region, cohort_start, cohort_end, as_of, *, provider=None, placement_type=None):
    """(outcomes, total) of the grouped frame; kept for callers of the former API."""
    frame = load_grouped_frame(
        region, cohort_start, cohort_end, as_of, provider=provider, placement_type=placement_type
    )
    return outcomes(frame, as_of), len(frame)
