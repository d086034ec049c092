"""Protecting every count of the dashboard as one system of linked tables."""

from __future__ import annotations

from django.utils.translation import gettext as _

from thuisnet.core import disclosure

from .. import stats
from .charts import trend_chart
from .formatting import _HIDDEN_TEXTS, Value, breakdowns_by, pct, shown_incidence


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
