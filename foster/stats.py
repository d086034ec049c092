"""Pure statistics for the recruitment funnel report. No Django import."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from statistics import median as _median

SMALL_CELL = 3  # counts of 1..SMALL_CELL-1 are shown as "< SMALL_CELL"


def median_days(pairs: Iterable[tuple[date, date]]) -> float | None:
    days = [(b - a).days for a, b in pairs if a and b and b >= a]
    return float(_median(days)) if days else None


def conversion(reached_from: int, reached_to: int) -> float | None:
    """Share (0..1) of those who reached one stage that reached the next."""
    if reached_from <= 0:
        return None
    return reached_to / reached_from


def suppress(count: int, threshold: int = SMALL_CELL) -> str:
    """A count as shown to the region: small cells hidden so no one can be singled out."""
    if 0 < count < threshold:
        return f"< {threshold}"
    return str(count)


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
