"""Shown values: percentages, estimates with their interval, and the rules that hide them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np
from django.utils.translation import gettext as _

from thuisnet.core import disclosure

from .. import stats

CURVE_MONTHS = list(range(0, 25))
TABLE_MONTHS = (3, 6, 9, 12, 18, 24)
OPEN_TOO_LONG_DAYS = 365 * 10
CRISIS_TOO_LONG_DAYS = 183
LATE_DAYS = 90
W, H, PAD_L, PAD_B, PAD_T, PAD_R = 640, 300, 56, 40, 16, 16


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


_HIDDEN_TEXTS = (disclosure.HIDDEN, disclosure.SECONDARY)
