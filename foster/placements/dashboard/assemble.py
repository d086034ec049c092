"""The dashboard: the region's view, the provider's own beside it, the target and the early warning."""

from __future__ import annotations

from datetime import date

from django.utils.translation import gettext as _

from thuisnet.accounts.models import Organisation, Region
from thuisnet.core import disclosure

from .. import cusum, stats
from ..report import (
    Frame,
    _day,
    horizon,
    load_frame,
    target_block,
    target_for,
)
from .charts import curve_chart, funnel_chart
from .early_warning import cusum_view
from .formatting import breakdowns_by, not_yet, pct
from .linking import _link
from .scope import scope_view


def _load(region: Region, cohort_start: date, cohort_end: date, as_of: date, placement_type: str | None):
    """The cohort's placements, and those the early warning needs (all types, from its
    baseline's first day to ``as_of``; None with a type filter, which has no early warning).
    When the two windows overlap they come from one read of the database."""
    if placement_type:
        return load_frame(region, cohort_start, cohort_end, as_of, placement_type=placement_type), None
    base_start, _window_start = cusum.window(as_of)
    if cohort_start > as_of or cohort_end < base_start:  # apart: two reads beat one long one
        return load_frame(region, cohort_start, cohort_end, as_of), None
    first, last = min(cohort_start, base_start), max(cohort_end, as_of)
    both = load_frame(region, first, last, as_of)
    return _between(both, cohort_start, cohort_end), both  # the early warning takes its own rows


def _between(frame: Frame, first: date, last: date) -> Frame:
    """The placements of ``frame`` starting from ``first`` to ``last`` (inclusive)."""
    lo, hi = _day(first), _day(last)
    if len(frame) and lo <= int(frame.start.min()) and int(frame.start.max()) <= hi:
        return frame
    return frame.subset((frame.start >= lo) & (frame.start <= hi))


def build(
    region: Region,
    *,
    cohort_start: date,
    cohort_end: date,
    as_of: date,
    placement_type: str | None = None,
    own_provider: Organisation | None = None,
) -> dict:
    """The dashboard for the region, and beside it the provider's own figures if given."""
    frame, cusum_frame = _load(region, cohort_start, cohort_end, as_of, placement_type)
    providers = list(Organisation.objects.filter(region=region, kind="provider").order_by("name"))
    own_ids = {own_provider.pk} if own_provider else set()
    region_view = scope_view(frame, as_of, providers=providers, own_ids=own_ids, show_providers=True)
    own_view = None
    if own_provider is not None:
        own_view = scope_view(
            frame.subset(frame.provider == own_provider.pk),
            as_of,
            providers=[],
            own_ids=own_ids,
            show_providers=False,
        )
        _link(own_view)
    _link(region_view, own_view, own_provider.pk if own_provider else None)
    if "by_provider" in region_view:  # the funnel follows the protected provider rows
        region_share = region_view["_cif"].breakdown_at(stats.horizon_days(12)).estimate
        region_view["funnel"] = funnel_chart(region_view["by_provider"], region_share, own_ids)
    # The region's target applies to its whole cohort, not to a filtered subset.
    target = target_for(region, cohort_start, cohort_end) if not placement_type else None
    block = target_block(target, region_view["_result"])
    target_info = None
    if block:
        iv = region_view["_cif"].breakdown_at(stats.horizon_days(block["horizon_months"]))
        oc = region_view["_oc"]
        info = horizon(oc, as_of, block["horizon_months"])
        shown = disclosure.may_show_share(breakdowns_by(oc, block["horizon_months"]), int(oc.outcomes.size))
        if not info["measurable"]:
            value = not_yet(info)
            estimate, interval = value.text, value.interval or "–"
        else:
            estimate = pct(iv.estimate) if shown else _("niet getoond (klein aantal)")
            interval = f"{pct(iv.ci_low)} – {pct(iv.ci_high)}" if shown else "–"
        target_info = {
            "target": target,
            **block,
            "estimate": estimate,
            "interval": interval,
            "max_share_text": pct(block["max_share"]),
            "same_cohort": target.cohort_start == cohort_start and target.cohort_end == cohort_end,
            "applies": True,
        }
        if region_view["chart"] is not None:  # draw the target on the region's curve
            region_view["chart"] = curve_chart(
                region_view["_cif"], target_share=block["max_share"], target_months=block["horizon_months"]
            )
    cusum_charts = (
        cusum_view(region, as_of, list(providers), own_provider, frame=cusum_frame)
        if not placement_type
        else []
    )
    return {"region": region_view, "own": own_view, "target": target_info, "cusum": cusum_charts}
