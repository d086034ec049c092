"""The breakdown report as the region may see it through the API."""

from __future__ import annotations

from datetime import date

import numpy as np

from thuisnet.accounts.models import Organisation, Region
from thuisnet.core import disclosure

from .. import stats
from ..report import (
    grouped_outcomes,
)
from .formatting import TABLE_MONTHS, breakdowns_by


def protect_report(
    report: dict,
    region: Region,
    cohort_start: date,
    cohort_end: date,
    as_of: date,
    *,
    provider: Organisation | None = None,
    placement_type: str | None = None,
) -> dict:
    """The breakdown report of ``services.build_report`` as the region may see it through the
    API: counts through ``thuisnet.core.disclosure`` (strings such as "<10" and "*"), no
    incidence, survival or rate over a hidden count, and survival at whole months instead of
    one row per day (a row per day would show single endings)."""
    oc, _total = grouped_outcomes(
        region, cohort_start, cohort_end, as_of, provider=provider, placement_type=placement_type
    )
    n = int(oc.outcomes.size)
    counts, n_text = disclosure.series_dict(
        {
            "breakdowns": report["breakdowns"],
            "planned": report["planned_endings"],
            "censored": report["censored"],
        },
        keep=("breakdowns",),
    )
    hidden_b = counts["breakdowns"] in (disclosure.HIDDEN, disclosure.SECONDARY)
    out = dict(report)
    out.update(
        placements=n_text,
        breakdowns=counts["breakdowns"],
        planned_endings=counts["planned"],
        censored=counts["censored"],
        excluded=disclosure.count(report["excluded"]),
    )
    out["cumulative_incidence"] = {
        m: (
            value
            if stats.may_show_rate(n)
            and not hidden_b
            and disclosure.may_show_share(breakdowns_by(oc, int(m)), n)
            else None
        )
        for m, value in report["cumulative_incidence"].items()
    }
    km = stats.kaplan_meier(oc.durations, oc.outcomes)
    out["km_survival"] = []
    for m in TABLE_MONTHS:
        ended = int(
            np.count_nonzero((oc.outcomes != stats.CENSORED) & (oc.durations <= stats.horizon_days(m)))
        )
        shown = stats.may_show_rate(n) and disclosure.may_show_share(ended, n)
        out["km_survival"].append(
            {"months": m, "survival": stats.survival_at(km, stats.horizon_days(m)) if shown else None}
        )
    rate = dict(report["rate_per_1000_days"])
    if hidden_b or not stats.may_show_rate(n):
        rate.update(estimate=None, ci_low=None, ci_high=None)
    rate["breakdowns"] = counts["breakdowns"]
    out["rate_per_1000_days"] = rate
    shares = report["exit_shares"]
    exit_counts = disclosure.series([v["count"] for v in shares.values()])
    endings = sum(v["count"] for v in shares.values())
    out["exit_shares"] = {}
    for i, (code, v) in enumerate(shares.items()):
        show = stats.may_show_rate(endings) and disclosure.may_show_share(
            v["count"], endings, hidden=exit_counts.hidden(i) or exit_counts.total_hidden
        )
        out["exit_shares"][code] = {
            "count": exit_counts.cells[i],
            "share": v["share"] if show else None,
            "ci_low": v["ci_low"] if show else None,
            "ci_high": v["ci_high"] if show else None,
        }
    return out
