"""Pure statistics for the recruitment funnel report. No Django import.

Small counts are hidden by :mod:`thuisnet.core.disclosure` (the one disclosure module):
counts 1 to 9 as "<10", no conversion share over a hidden count, and secondary suppression
so that the per-municipality and per-source tables do not give a hidden cell back through
their total.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from statistics import median as _median

from thuisnet.core import disclosure


def median_days(pairs: Iterable[tuple[date, date]]) -> float | None:
    days = [(b - a).days for a, b in pairs if a and b and b >= a]
    return float(_median(days)) if days else None


def conversion(reached_from: int, reached_to: int) -> float | None:
    """Share (0..1) of those who reached one stage that reached the next."""
    if reached_from <= 0:
        return None
    return reached_to / reached_from


def protect_funnel(rows: list[dict]) -> None:
    """Add display fields to the funnel rows: ``shown`` (the count), ``conversion_text`` (a
    share, or None when either count is hidden) and ``bar`` (the count for the chart, or None:
    a bar's length would give a hidden count back)."""
    for i, row in enumerate(rows):
        row["shown"] = disclosure.count(row["reached"])
        row["bar"] = None if disclosure.is_small(row["reached"]) else row["reached"]
        row["conversion_text"] = (
            disclosure.share(row["reached"], rows[i - 1]["reached"], digits=0) if i else None
        )


def protect_tables(tables: Sequence[Sequence[int]]) -> tuple[list[list[str]], str]:
    """Tables that each add up to the report's one total (per source, per municipality),
    protected together (:func:`thuisnet.core.disclosure.linked`): their display strings and
    the total's."""
    values = {"total": sum(tables[0]) if tables else 0}
    equations = []
    for t, table in enumerate(tables):
        names = [f"{t}:{i}" for i in range(len(table))]
        values.update(zip(names, (int(c) for c in table), strict=True))
        equations.append((names, "total"))
    texts = disclosure.linked(values, equations)
    return [[texts[f"{t}:{i}"] for i in range(len(table))] for t, table in enumerate(tables)], texts["total"]


def funnel(steps_per_prospect: Sequence[dict[str, date]], stages: Sequence[str]) -> list[dict]:
    """For each stage: how many reached it, conversion from the previous stage, and the
    median days from that stage to the next (for those who reached both)."""
    rows = []
    reached = [sum(1 for s in steps_per_prospect if stage in s) for stage in stages]
    for i, stage in enumerate(stages):
        nxt = stages[i + 1] if i + 1 < len(stages) else None
        rows.append(
            {
                "stage": stage,
                "reached": reached[i],
                "conversion": conversion(reached[i - 1], reached[i]) if i else None,
                "median_days": (
                    median_days((s[stage], s[nxt]) for s in steps_per_prospect if stage in s and nxt in s)
                    if nxt
                    else None
                ),
            }
        )
    return rows
