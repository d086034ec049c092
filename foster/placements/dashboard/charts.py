"""Server-rendered SVG charts: the curve, the funnel and the trend (each keeps its data table)."""

from __future__ import annotations

import numpy as np
from django.utils.translation import gettext as _

from .. import stats
from .formatting import CURVE_MONTHS, PAD_B, PAD_L, PAD_R, PAD_T, TABLE_MONTHS, H, W, pct


def _x(month: float) -> float:
    return PAD_L + (W - PAD_L - PAD_R) * month / 24


def _y(share: float, top: float) -> float:
    return PAD_T + (H - PAD_T - PAD_B) * (1 - share / top)


def _nice_top(value: float) -> float:
    for top in (0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.8, 1.0):
        if value <= top:
            return top
    return 1.0


def _step_path(points: list[tuple[float, float]]) -> str:
    parts = []
    for i, (x, y) in enumerate(points):
        if i == 0:
            parts.append(f"M{x:.1f},{y:.1f}")
        else:
            parts.append(f"H{x:.1f}V{y:.1f}")
    return "".join(parts)


def curve_chart(
    cif: stats.CumulativeIncidence, *, target_share: float | None = None, target_months: int | None = None
) -> dict:
    """Step curves of breakdown and planned endings over 24 months, with a 95% band, and the
    region's target as a horizontal line (``target_share``) up to its horizon."""
    grid = [
        (m, cif.breakdown_at(stats.horizon_days(m)), cif.planned_at(stats.horizon_days(m)))
        for m in CURVE_MONTHS
    ]
    top = _nice_top(
        max([g[1].ci_high for g in grid] + [g[2] for g in grid] + [0.05, (target_share or 0) * 1.1])
    )
    brk = _step_path([(_x(m), _y(iv.estimate, top)) for m, iv, _p in grid])
    pln = _step_path([(_x(m), _y(p, top)) for m, _iv, p in grid])
    upper = [(_x(m), _y(iv.ci_high, top)) for m, iv, _p in grid]
    lower = [(_x(m), _y(iv.ci_low, top)) for m, iv, _p in grid]
    band = "M" + " L".join(f"{x:.1f},{y:.1f}" for x, y in upper + lower[::-1]) + "Z"
    yticks = [
        {"y": round(_y(v, top), 1), "label": pct(v).replace(",0%", "%")} for v in np.linspace(0, top, 5)
    ]
    xticks = [{"x": round(_x(m), 1), "label": str(m)} for m in (0, 6, 12, 18, 24)]
    return {
        "width": W,
        "height": H,
        "breakdown": brk,
        "planned": pln,
        "band": band,
        "yticks": yticks,
        "xticks": xticks,
        "target": (
            None
            if target_share is None
            else {
                "y": round(_y(target_share, top), 1),
                "x2": round(_x(min(target_months or 24, 24)), 1),
                "label": _("doel %(share)s") % {"share": pct(target_share)},
            }
        ),
        "left": PAD_L,
        "right": W - PAD_R,
        "bottom": H - PAD_B,
        "top": PAD_T,
        "rows": [
            {
                "months": m,
                "breakdown": pct(iv.estimate),
                "interval": f"{pct(iv.ci_low)} – {pct(iv.ci_high)}",
                "planned": pct(p),
            }
            for m, iv, p in grid
            if m in TABLE_MONTHS
        ],
    }


def funnel_chart(rows: list[dict], region_share: float, own_ids: set[int]) -> dict | None:
    """Providers' 12-month breakdown against the region's average, with 95% and 99.8% limits."""
    pts = []
    for r in rows:
        if r["cif12"].hidden:  # the same rule as the table: no point for a hidden share
            continue
        est = r["_cif"].breakdown_at(stats.horizon_days(12)).estimate
        pts.append((r["n"], est, r))
    if not pts:
        return None
    max_n = max(n for n, _e, _r in pts) * 1.1
    top = _nice_top(max([e for _n, e, _r in pts] + [region_share * 2, 0.1]))

    def fx(n):
        return PAD_L + (W - PAD_L - PAD_R) * n / max_n

    sizes = [int(s) for s in np.linspace(20, max_n, 40)]
    lines = {}
    for name, z in (("l95", stats.Z95), ("l998", 3.09)):
        limits = stats.funnel_limits(region_share, sizes, z=z)
        lines[name + "_high"] = "M" + " L".join(f"{fx(n):.1f},{_y(h, top):.1f}" for n, _lo, h in limits)
        lines[name + "_low"] = "M" + " L".join(f"{fx(n):.1f},{_y(lo, top):.1f}" for n, lo, _h in limits)
    points = []
    for n, est, r in pts:
        own = r["key"] in own_ids
        x = fx(n)
        points.append(
            {
                "x": round(x, 1),
                "y": round(_y(est, top), 1),
                # Provider names for the region; staff see their own point as "jouw organisatie".
                "label": _("jouw organisatie") if own and own_ids else r["label"],
                "own": own,
                "share": pct(est),
                "n": r["n_text"],
                # Labels right of the dot, or left of it near the right edge.
                "label_x": round(x + 9 if x < W - PAD_R - 120 else x - 9, 1),
                "anchor": "start" if x < W - PAD_R - 120 else "end",
            }
        )
    step = _nice_step(max_n)
    xticks = [
        {"x": round(fx(v), 1), "label": str(v)} for v in range(0, int(max_n) + 1, step) if fx(v) <= W - PAD_R
    ]
    yticks = [
        {"y": round(_y(v, top), 1), "label": pct(v).replace(",0%", "%")} for v in np.linspace(0, top, 5)
    ]
    return {
        "width": W,
        "height": H,
        "points": points,
        **lines,
        "average_y": round(_y(region_share, top), 1),
        "average": pct(region_share),
        "xticks": xticks,
        "yticks": yticks,
        "left": PAD_L,
        "right": W - PAD_R,
        "bottom": H - PAD_B,
        "top": PAD_T,
    }


def _nice_step(span: float) -> int:
    """A round tick step giving about five ticks over ``span``."""
    for step in (1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 5000, 10000, 20000, 50000):
        if span / step <= 6:
            return step
    return 100000


def trend_chart(rows: list[dict]) -> dict | None:
    shown = [(i, r) for i, r in enumerate(rows) if r["share"] is not None]
    if len(shown) < 2:
        return None
    top = _nice_top(max(r["share"] for _i, r in shown) + 0.05)
    n = len(rows)

    def fx(i):
        return PAD_L + (W - PAD_L - PAD_R) * (i + 0.5) / n

    bars = [
        {
            "x": round(fx(i) - 4, 1),
            "y": round(_y(r["share"], top), 1),
            "h": round(_y(0, top) - _y(r["share"], top), 1),
            "label": r["label"],
            "complete": r["complete"],
        }
        for i, r in shown
    ]
    xticks = [
        {"x": round(fx(i), 1), "label": r["label"]} for i, r in enumerate(rows) if r["label"].endswith("K1")
    ]
    yticks = [
        {"y": round(_y(v, top), 1), "label": pct(v).replace(",0%", "%")} for v in np.linspace(0, top, 5)
    ]
    return {
        "width": W,
        "height": H,
        "bars": bars,
        "xticks": xticks,
        "yticks": yticks,
        "left": PAD_L,
        "right": W - PAD_R,
        "bottom": H - PAD_B,
        "top": PAD_T,
    }
