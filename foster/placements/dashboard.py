"""What the dashboard shows: suppressed aggregates and server-rendered SVG charts.

Nothing here returns rows: every number is an aggregate over a cohort. Small counts go
through ``thuisnet.core.disclosure``: 1 to 9 shown as "<10", a second cell ("*") hidden when a
total would otherwise reveal a hidden one, and no percentage or rate whose count of
breakdowns (or placements) is hidden. Rates with fewer than 20 placements behind them are not
shown either (too uncertain).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from thuisnet.accounts.models import Organisation, Region
from thuisnet.core import disclosure

from . import stats
from .models import AgeBand, PlacementType
from .services import (
    _AGES,
    _EPOCH,
    _TYPES,
    PROCESS_FIELDS,
    Frame,
    analyse,
    grouped_outcomes,
    horizon,
    load_frame,
    outcomes,
    target_block,
    target_for,
)

CURVE_MONTHS = list(range(0, 25))
TABLE_MONTHS = (3, 6, 9, 12, 18, 24)
OPEN_TOO_LONG_DAYS = 365 * 10
CRISIS_TOO_LONG_DAYS = 183
LATE_DAYS = 90
W, H, PAD_L, PAD_B, PAD_T, PAD_R = 640, 300, 56, 40, 16, 16


PROCESS_LABELS = {
    "matching_conversation": _lazy("Matchingsgesprek gevoerd"),
    "met_before_start": _lazy("Kind en gezin ontmoetten elkaar voor de start"),
    "emergency": _lazy("Spoedplaatsing"),
    "perspective_in_time": _lazy("Perspectiefbesluit binnen de wettelijke termijn"),
    "carer_supported": _lazy("Gezin ondersteund door mentor of respijt in het eerste jaar"),
}


def pct(x: float) -> str:
    return f"{x * 100:.1f}%".replace(".", ",")


@dataclass
class Value:
    """An estimate with its interval as text, or a reason why it is not shown."""

    text: str
    interval: str = ""
    hidden: bool = False


def breakdowns_by(oc, months: float) -> int:
    """Breakdowns within ``months`` of the start: the count behind the incidence at that time."""
    within = oc.durations <= stats.horizon_days(months)
    return int(np.count_nonzero((oc.outcomes == stats.BREAKDOWN) & within))


def not_yet(info: dict) -> Value:
    """ "Nog niet te meten" for a horizon beyond the follow-up, with the earliest date."""
    when = info.get("measurable_from")
    if when:
        text = _("te meten vanaf %(date)s") % {"date": date.fromisoformat(when).strftime("%d-%m-%Y")}
    else:
        text = ""
    return Value(_("nog niet te meten"), text, hidden=True)


def shown_incidence(
    cif: stats.CumulativeIncidence,
    months: int,
    n: int,
    *,
    breakdowns: int,
    hidden: bool = False,
    horizon_info: dict | None = None,
) -> Value:
    """The incidence at ``months``, unless it would give a hidden count back: fewer than 20
    placements, 1 to 9 breakdowns behind it, or a count the tables hide (``hidden``); or
    "nog niet te meten" when the horizon lies beyond the follow-up (``horizon_info``)."""
    if horizon_info is not None and n and not horizon_info["measurable"]:
        return not_yet(horizon_info)
    if not stats.may_show_rate(n):
        return Value(_("niet getoond (minder dan 20 plaatsingen)"), hidden=True)
    if hidden or not disclosure.may_show_share(breakdowns, n):
        return Value(_("niet getoond (klein aantal)"), hidden=True)
    iv = cif.breakdown_at(stats.horizon_days(months))
    return Value(pct(iv.estimate), f"{pct(iv.ci_low)} – {pct(iv.ci_high)}")


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


def _split(frame: Frame, as_of: date, keys: np.ndarray, labels: list[tuple[int, str]]) -> list[dict]:
    rows = []
    for value, label in labels:
        sub = frame.subset(keys == value)
        oc = outcomes(sub, as_of)
        n = int(oc.outcomes.size)
        cif = stats.aalen_johansen(oc.durations, oc.outcomes)
        rows.append(
            {
                "key": value,
                "label": label,
                "n": n,
                "breakdowns": int(np.count_nonzero(oc.outcomes == stats.BREAKDOWN)),
                "_b12": breakdowns_by(oc, 12),
                "_cif": cif,
                "_h12": horizon(oc, as_of, 12),
            }
        )
    # Both columns add up to the region's figures shown above: protect them as series.
    shown_n = disclosure.series([r["n"] for r in rows])
    shown_b = disclosure.series([r["breakdowns"] for r in rows])
    for i, r in enumerate(rows):
        r["n_text"], r["breakdowns_text"] = shown_n.cells[i], shown_b.cells[i]
        r["hidden"] = shown_n.hidden(i) or shown_b.hidden(i)
        r["cif12"] = shown_incidence(
            r["_cif"], 12, r["n"], breakdowns=r["_b12"], hidden=r["hidden"], horizon_info=r["_h12"]
        )
    return [r for r in rows if r["n"] > 0]


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


def trend(frame: Frame, as_of: date) -> list[dict]:
    """12-month breakdown by start quarter; quarters without 12 months of follow-up are marked."""
    if not len(frame):
        return []
    starts = frame.start
    years = starts.astype("datetime64[D]").astype("datetime64[Y]").astype(int) + 1970
    months = starts.astype("datetime64[D]").astype("datetime64[M]").astype(int) % 12
    quarter = years * 10 + months // 3 + 1
    rows = []
    asof = (as_of - _EPOCH).days
    for q in sorted(set(quarter.tolist())):
        sub = frame.subset(quarter == q)
        oc = outcomes(sub, as_of)
        n = int(oc.outcomes.size)
        year, qn = divmod(q, 10)
        q_end = date(year, 3 * qn, 1) + timedelta(days=31)
        q_start_day = (date(year, 3 * qn - 2, 1) - _EPOCH).days
        if asof - q_start_day < stats.horizon_days(12):
            value, complete = Value(_("nog te vroeg"), hidden=True), False
        else:
            cif = stats.aalen_johansen(oc.durations, oc.outcomes)
            value = shown_incidence(cif, 12, n, breakdowns=breakdowns_by(oc, 12))
            complete = (as_of - q_end).days >= stats.horizon_days(12)
        rows.append(
            {
                "label": f"{year} K{qn}",
                "_n": n,
                "n_text": disclosure.count(n),
                "value": value,
                "complete": complete,
                "share": None if value.hidden else cif.breakdown_at(stats.horizon_days(12)).estimate,
            }
        )
    return rows


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


def data_quality(frame: Frame, as_of: date) -> list[dict]:
    asof = (as_of - _EPOCH).days
    ended = (frame.end >= 0) & (frame.end <= asof)
    open_ = ~ended
    age = asof - frame.start
    crisis = frame.ptype == _TYPES.index(PlacementType.CRISIS)
    checks = [
        (
            _("Beëindigd zonder bekende reden (CBS-code)"),
            ended & (frame.code == 0) & ~frame.moved,
            _("Tellen in de cijfers als lopend tot de einddatum; vul de reden aan."),
        ),
        (
            _("Onwaarschijnlijk lang open"),
            open_ & ((age > OPEN_TOO_LONG_DAYS) | (crisis & (age > CRISIS_TOO_LONG_DAYS))),
            _(
                "Crisisplaatsing langer dan 6 maanden open, of een plaatsing langer dan 10 jaar: "
                "is de einddatum vergeten?"
            ),
        ),
        (
            _("Laat geregistreerd"),
            (frame.created - frame.start) > LATE_DAYS,
            _("Meer dan 90 dagen na de start ingevoerd; recente cijfers kunnen daardoor nog stijgen."),
        ),
    ]
    total = len(frame)
    return [
        {
            "label": label,
            "count": disclosure.count(int(mask.sum())),
            "explain": explain,
            "share": (disclosure.share(int(mask.sum()), total) or "–" if stats.may_show_rate(total) else "–"),
        }
        for label, mask, explain in checks
    ]


def scope_view(
    frame: Frame, as_of: date, *, providers: list[Organisation], own_ids: set[int], show_providers: bool
) -> dict:
    result = analyse(frame, as_of)
    cif = result["_cif"]
    n = result["placements"]
    oc = result["_oc"]
    counts, n_text = disclosure.series_dict(
        {
            "breakdowns": result["breakdowns"],
            "planned": result["planned_endings"],
            "censored": result["censored"],
        },
        keep=("breakdowns",),  # the figure the monitor is about: protect with the others first
    )
    hidden_b = counts["breakdowns"] in (disclosure.HIDDEN, disclosure.SECONDARY)
    view = {
        "counts": counts,
        "n": n_text,
        "excluded": disclosure.count(result["excluded"]),
        "incidence": [
            (
                m,
                shown_incidence(
                    cif,
                    m,
                    n,
                    breakdowns=breakdowns_by(oc, m),
                    hidden=hidden_b,
                    horizon_info=result["horizons"][str(m)],
                ),
            )
            for m in (6, 12, 24)
        ],
        # A curve shows every step: only when the breakdowns behind it are not hidden.
        "chart": curve_chart(cif) if stats.may_show_rate(n) and not hidden_b else None,
        "by_type": _split(
            frame,
            as_of,
            frame.ptype,
            [(i, str(PlacementType(t).label)) for i, t in enumerate(_TYPES) if t != PlacementType.RESPITE],
        ),
        "by_age": _split(frame, as_of, frame.age, [(i, str(AgeBand(a).label)) for i, a in enumerate(_AGES)]),
        "process_names": [],
        "trend": trend(frame, as_of),
        "quality": data_quality(frame, as_of),
        "rate": None,
        "exit": [],
    }
    if result["rate_per_1000_days"]["days"] and stats.may_show_rate(n) and not hidden_b:
        r = result["rate_per_1000_days"]
        view["rate"] = {
            "estimate": f"{r['estimate']:.2f}".replace(".", ","),
            "interval": f"{r['ci_low']:.2f} – {r['ci_high']:.2f}".replace(".", ","),
            "days": r["days"],
        }
    shares = result["exit_shares"]
    endings = sum(v["count"] for v in shares.values())
    exit_counts = disclosure.series([v["count"] for v in shares.values()])
    for i, (code, v) in enumerate(shares.items()):
        show = stats.may_show_rate(endings) and disclosure.may_show_share(
            v["count"], endings, hidden=exit_counts.hidden(i) or exit_counts.total_hidden
        )
        view["exit"].append(
            {
                "code": code,
                "count": exit_counts.cells[i],
                "share": pct(v["share"]) if show else "–",
                "interval": f"{pct(v['ci_low'])} – {pct(v['ci_high'])}" if show else "",
                "_v": v,
            }
        )
    view["endings"] = exit_counts.total if shares else disclosure.count(endings)
    view["trend_chart"] = trend_chart(view["trend"])
    if show_providers and providers:
        rows = _split(frame, as_of, frame.provider, [(p.pk, p.name) for p in providers])
        if own_ids:  # provider staff see their own provider by name, the others unnamed
            others = 0
            for r in rows:
                if r["key"] not in own_ids:
                    others += 1
                    r["label"] = _("Andere aanbieder %(n)s") % {"n": others}
        view["by_provider"] = rows
        region_share = cif.breakdown_at(stats.horizon_days(12)).estimate
        view["funnel"] = funnel_chart(rows, region_share, own_ids)
    if frame.process is not None:
        # Process factors: "ja" against "nee"; placements where it was not recorded are left
        # out of the rows (they stay in the total, which protects them as a hidden rest).
        for j, field in enumerate(PROCESS_FIELDS):
            name = f"by_{field}"
            view[name] = _split(frame, as_of, frame.process[:, j], [(1, _("ja")), (0, _("nee"))])
            view["process_names"].append(name)
    view["process"] = [
        {"label": PROCESS_LABELS[name[3:]], "rows": view[name]} for name in view["process_names"]
    ]
    view["_cif"] = cif
    view["_oc"] = oc
    view["_result"] = result
    view["_raw"] = {
        "n": n,
        "b": result["breakdowns"],
        "p": result["planned_endings"],
        "c": result["censored"],
    }
    return view


_HIDDEN_TEXTS = (disclosure.HIDDEN, disclosure.SECONDARY)


def _link(view: dict, own: dict | None = None, own_key: int | None = None) -> None:
    """Protect every count of a view as one system of linked tables.

    The outcome counts, the exit codes, the splits by type, age and provider and the quarters
    all add up to the same totals, so they are protected together
    (``thuisnet.core.disclosure.linked``). For provider staff, ``own`` holds their provider's
    figures: the staff know them, so the module treats them as known and makes sure the other
    providers' part of each region figure (region minus own) cannot be pinned when small.
    """
    raw = view["_raw"]
    values: dict[str, int] = {k: raw[k] for k in ("n", "b", "p", "c")}
    eqs: list[tuple[list[str], str]] = [(["b", "p", "c"], "n")]
    fixed: list[str] = []
    latent: list[str] = []
    exits = {f"e{row['code']}": row["_v"]["count"] for row in view["exit"]}
    values.update(exits)
    values["endings"] = sum(exits.values())
    eqs.append((list(exits), "endings"))
    if exits.get("e01") == raw["p"]:  # code 01 is the planned ending, 02-05 the breakdowns
        eqs.append((["e01"], "p"))
    if sum(v for k, v in exits.items() if k != "e01") == raw["b"]:
        eqs.append(([k for k in exits if k != "e01"], "b"))

    def add_line(prefix: str, cells: dict[str, int], total: str) -> None:
        if not cells:
            return
        values.update(cells)
        parts = list(cells)
        rest = values[total] - sum(cells.values())
        if rest:  # what the table leaves out is not shown, but it is part of the total
            values[f"{prefix}:rest"] = max(rest, 0)
            latent.append(f"{prefix}:rest")
            parts.append(f"{prefix}:rest")
        if rest >= 0:
            eqs.append((parts, total))

    for name in ("by_type", "by_age", "by_provider", *view.get("process_names", [])):
        rows = view.get(name) or []
        add_line(f"{name}:n", {f"{name}:n:{r['key']}": r["n"] for r in rows}, "n")
        add_line(f"{name}:b", {f"{name}:b:{r['key']}": r["breakdowns"] for r in rows}, "b")
    add_line("trend:n", {f"trend:n:{r['label']}": r["_n"] for r in view["trend"]}, "n")
    if own is not None:
        own_values = {k: own["_raw"][k] for k in ("n", "b", "p", "c")}
        own_values.update({f"e{row['code']}": row["_v"]["count"] for row in own["exit"]})
        own_values["endings"] = sum(v for k, v in own_values.items() if k.startswith("e") and k != "endings")
        for k, v in own_values.items():
            if k not in values or values[k] < v:
                continue
            values[f"own:{k}"], values[f"oth:{k}"] = v, values[k] - v
            fixed.append(f"own:{k}")
            latent.append(f"oth:{k}")
            eqs.append(([f"own:{k}", f"oth:{k}"], k))
        fixed += [f"by_provider:{m}:{own_key}" for m in ("n", "b") if f"by_provider:{m}:{own_key}" in values]
    texts = disclosure.linked(values, eqs, keep=("b",), fixed=fixed, latent=latent)
    _apply(view, texts)


def _apply(view: dict, texts: dict[str, str]) -> None:
    """Write the protected texts into the view and hide what depends on a hidden count."""
    raw, cif, oc = view["_raw"], view["_cif"], view["_oc"]
    n = raw["n"]
    view["n"] = texts["n"]
    view["counts"] = {"breakdowns": texts["b"], "planned": texts["p"], "censored": texts["c"]}
    hidden_b = texts["b"] in _HIDDEN_TEXTS
    hidden_n = texts["n"] in _HIDDEN_TEXTS
    horizons = view["_result"]["horizons"]
    view["incidence"] = [
        (
            m,
            shown_incidence(
                cif,
                m,
                n,
                breakdowns=breakdowns_by(oc, m),
                hidden=hidden_b or hidden_n,
                horizon_info=horizons[str(m)],
            ),
        )
        for m in (6, 12, 24)
    ]
    if hidden_b or hidden_n:
        view["chart"], view["rate"] = None, None
    endings_text = texts["endings"]
    endings = sum(row["_v"]["count"] for row in view["exit"])
    for row in view["exit"]:
        v = row["_v"]
        row["count"] = texts[f"e{row['code']}"]
        show = stats.may_show_rate(endings) and disclosure.may_show_share(
            v["count"], endings, hidden=row["count"] in _HIDDEN_TEXTS or endings_text in _HIDDEN_TEXTS
        )
        row["share"] = pct(v["share"]) if show else "–"
        row["interval"] = f"{pct(v['ci_low'])} – {pct(v['ci_high'])}" if show else ""
    view["endings"] = endings_text
    for name in ("by_type", "by_age", "by_provider", *view.get("process_names", [])):
        for r in view.get(name) or []:
            r["n_text"] = texts[f"{name}:n:{r['key']}"]
            r["breakdowns_text"] = texts[f"{name}:b:{r['key']}"]
            r["hidden"] = r["n_text"] in _HIDDEN_TEXTS or r["breakdowns_text"] in _HIDDEN_TEXTS
            r["cif12"] = shown_incidence(
                r["_cif"], 12, r["n"], breakdowns=r["_b12"], hidden=r["hidden"], horizon_info=r["_h12"]
            )
    for r in view["trend"]:
        r["n_text"] = texts[f"trend:n:{r['label']}"]
        if r["n_text"] in _HIDDEN_TEXTS and not r["value"].hidden:
            r["value"], r["share"] = Value(_("niet getoond (klein aantal)"), hidden=True), None
    view["trend_chart"] = trend_chart(view["trend"])


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
    frame = load_frame(region, cohort_start, cohort_end, as_of, placement_type=placement_type)
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
        cusum_view(region, as_of, [p for p in providers], own_provider) if not placement_type else []
    )
    return {"region": region_view, "own": own_view, "target": target_info, "cusum": cusum_charts}


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


def cusum_view(region: Region, as_of: date, providers: list[Organisation], own_provider=None) -> list[dict]:
    """The early-warning charts: the region's, and each provider's (staff: their own only).

    Observed counts go through ``thuisnet.core.disclosure`` (1 to 9 as "<10"); the expected
    counts and the CUSUM are shown rounded to one decimal.
    """
    from . import cusum

    shown = [own_provider] if own_provider is not None else providers
    result = cusum.charts(region, as_of, shown)
    out = []
    for key, months in result.items():
        if key == "region":
            label = _("Regio")
        else:
            p = next(p for p in shown if p.pk == key)
            label = _("jouw organisatie") if own_provider is not None else p.name
        # The CUSUM gives counts back: with S, the previous S and the expected count shown, a
        # month's breakdowns follow. So for any group but the viewer's own provider, the line
        # and its values are shown only when no month's count is hidden; otherwise only
        # whether (and since when) the chart signals.
        own = own_provider is not None and key == own_provider.pk
        hidden = not own and any(0 < m.observed < disclosure.THRESHOLD for m in months)
        top = max([m.s for m in months] + [cusum.THRESHOLD * 1.25])
        n = len(months)

        def fx(i, n=n):
            return PAD_L + (W - PAD_L - PAD_R) * i / max(n - 1, 1)

        def fy(v, top=top):
            return PAD_T + (H - PAD_T - PAD_B) * (1 - v / top)

        out.append(
            {
                "label": label,
                "hidden": hidden,
                "signal": bool(months and months[-1].signal),
                "since": cusum.episode_start(months),
                "path": "M" + " L".join(f"{fx(i):.1f},{fy(m.s):.1f}" for i, m in enumerate(months)),
                "threshold_y": round(fy(cusum.THRESHOLD), 1),
                "points": [
                    {"x": round(fx(i), 1), "y": round(fy(m.s), 1)} for i, m in enumerate(months) if m.signal
                ],
                "xticks": [
                    {"x": round(fx(i), 1), "label": m.label} for i, m in enumerate(months) if i % 6 == 0
                ],
                "yticks": [{"y": round(fy(v), 1), "label": f"{v:.0f}"} for v in np.linspace(0, top, 5)],
                "width": W,
                "height": H,
                "left": PAD_L,
                "right": W - PAD_R,
                "bottom": H - PAD_B,
                "top": PAD_T,
                "rows": [
                    {
                        "month": m.label,
                        "observed": disclosure.count(m.observed),
                        "expected": f"{m.expected:.1f}".replace(".", ","),
                        "s": "—" if hidden else f"{m.s:.1f}".replace(".", ","),
                        "signal": m.signal,
                    }
                    for m in months
                ],
            }
        )
    return out


# --- Kept between data changes -----------------------------------------------------------
# Building the dashboard reads every placement of the cohort; the result only changes when a
# placement or target of the region changes (or the day, which is part of the key). The
# region's data version is a fresh random token on every change (signals in apps.py and the
# bulk paths in services), so a cached page is never served after a change.

CACHE_SECONDS = 6 * 3600


def _version_key(region_id: int) -> str:
    return f"placements:data-version:{region_id}"


def data_version(region_id: int) -> str:
    import uuid

    from django.core.cache import cache

    version = cache.get(_version_key(region_id))
    if version is None:
        version = uuid.uuid4().hex
        cache.set(_version_key(region_id), version, None)
    return version


def data_changed(region_id: int) -> None:
    """Call after any change to the region's placements or targets."""
    import uuid

    from django.core.cache import cache

    cache.set(_version_key(region_id), uuid.uuid4().hex, None)


def _public(value):
    """The dashboard without its private working values (arrays, curves): what pages show."""
    if isinstance(value, dict):
        return {k: _public(v) for k, v in value.items() if not (isinstance(k, str) and k.startswith("_"))}
    if isinstance(value, list):
        return [_public(v) for v in value]
    if isinstance(value, tuple):
        return tuple(_public(v) for v in value)
    return value


def cached_build(
    region: Region,
    *,
    cohort_start: date,
    cohort_end: date,
    as_of: date,
    placement_type: str | None = None,
    own_provider: Organisation | None = None,
) -> dict:
    """:func:`build`, kept in the cache until the region's data change."""
    from django.core.cache import cache
    from django.utils.translation import get_language

    key = ":".join(
        str(x)
        for x in (
            "placements:dashboard",
            region.pk,
            data_version(region.pk),
            cohort_start,
            cohort_end,
            as_of,
            placement_type or "",
            own_provider.pk if own_provider else "",
            get_language(),
        )
    )
    data = cache.get(key)
    if data is None:
        data = _public(
            build(
                region,
                cohort_start=cohort_start,
                cohort_end=cohort_end,
                as_of=as_of,
                placement_type=placement_type,
                own_provider=own_provider,
            )
        )
        cache.set(key, data, CACHE_SECONDS)
    return data
