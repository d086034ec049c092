"""One scope of the dashboard (the region, or a provider's own figures), before linking."""

from __future__ import annotations

from datetime import date

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from thuisnet.accounts.models import Organisation
from thuisnet.core import disclosure

from .. import report, stats
from ..models import AgeBand, PlacementType
from ..report import (
    _AGES,
    _TYPES,
    PROCESS_FIELDS,
    Frame,
)
from .charts import curve_chart, funnel_chart, trend_chart
from .formatting import breakdowns_by, pct, shown_incidence
from .splits import Cohort, _split, data_quality, trend

PROCESS_LABELS = {
    "matching_conversation": _lazy("Matchingsgesprek gevoerd"),
    "met_before_start": _lazy("Kind en gezin ontmoetten elkaar voor de start"),
    "emergency": _lazy("Spoedplaatsing"),
    "perspective_in_time": _lazy("Perspectiefbesluit binnen de wettelijke termijn"),
    "carer_supported": _lazy("Gezin ondersteund door mentor of respijt in het eerste jaar"),
}


def scope_view(
    frame: Frame, as_of: date, *, providers: list[Organisation], own_ids: set[int], show_providers: bool
) -> dict:
    result = report.analyse(frame, as_of)
    cohort = Cohort(result["_oc"])  # sorted once; every split below groups it
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
            cohort=cohort,
        ),
        "by_age": _split(
            frame, as_of, frame.age, [(i, str(AgeBand(a).label)) for i, a in enumerate(_AGES)], cohort=cohort
        ),
        "process_names": [],
        "trend": trend(frame, as_of, cohort=cohort),
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
        rows = _split(frame, as_of, frame.provider, [(p.pk, p.name) for p in providers], cohort=cohort)
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
            view[name] = _split(
                frame, as_of, frame.process[:, j], [(1, _("ja")), (0, _("nee"))], cohort=cohort
            )
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
