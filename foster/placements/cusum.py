"""Early warning in aggregate: a risk-adjusted Poisson CUSUM of monthly breakdowns.

One public entry for the charts, :func:`charts`, and one for the job, :func:`check`.
No score is ever computed for a single child or family: every figure is a monthly sum over
a provider's (or the region's) placements.

Method (docs/readme-parts/monitor.md)
------------------------------------
- Baseline: breakdowns per placement-day in each stratum of placement type x age band, over
  the ``BASELINE_YEARS`` before the monitoring window, for the whole region.
- Each month t of the last ``WINDOW_MONTHS``: O_t the breakdowns that month, E_t the expected
  breakdowns, the sum over the placements at risk of their days at risk that month times
  their stratum's baseline rate (this is the adjustment for type and age band).
- The CUSUM for a doubling of the rate (R = 2): S_t = max(0, S_{t-1} + O_t ln R - (R - 1) E_t),
  S_0 = 0. The chart signals when S_t exceeds ``THRESHOLD`` = 4.0. With a baseline of
  2 to 5 expected breakdowns a month, simulation (tests/test_placements_cusum.py) gives a
  false-alarm probability in 24 in-control months below 10%, and a doubling is found within
  about 3 to 5 months.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np

from thuisnet.accounts.models import Organisation, Region

from .report import _AGES, _RESPITE, _TYPES, MIN_DAYS, Frame, _day, load_frame

RATIO = 2.0
THRESHOLD = 4.0
WINDOW_MONTHS = 24
BASELINE_YEARS = 3
_EPOCH_DATE = date(1970, 1, 1)


@dataclass
class Month:
    label: str  # YYYY-MM
    observed: int
    expected: float
    s: float
    signal: bool


def _month_starts(as_of: date, months: int) -> list[date]:
    first = date(as_of.year, as_of.month, 1)
    out = []
    y, m = first.year, first.month
    for _ in range(months + 1):
        out.append(date(y, m, 1))
        y, m = (y, m - 1) if m > 1 else (y - 1, 12)
    return out[::-1]  # months + 1 boundaries, the last the current month's first day


def _counted(frame: Frame) -> np.ndarray:
    return frame.ptype != _RESPITE


def _breakdown_days(frame: Frame, asof: int) -> tuple[np.ndarray, np.ndarray]:
    """Each placement's end of follow-up (day) and whether it ended in a breakdown."""
    ended = (frame.end >= 0) & (frame.end <= asof)
    stop = np.where(ended, frame.end, asof)
    brk = ended & ~frame.moved & (frame.code >= 2)
    # Stays under MIN_DAYS are left out, as everywhere in the monitor.
    short = ended & ((frame.end - frame.start) < MIN_DAYS)
    return stop, brk & ~short


def baseline_rates(frame: Frame, start: int, end: int, rows: np.ndarray | None = None) -> np.ndarray:
    """Breakdowns per placement-day by (type, age band) between days ``start`` and ``end``
    (``rows``: a mask of the frame's placements to use, all if None)."""
    stop, brk = _breakdown_days(frame, end)
    lo = np.maximum(frame.start, start)
    hi = np.minimum(stop, end)
    days = np.clip(hi - lo, 0, None).astype(np.float64)
    events = brk & (stop >= start) & (stop < end)
    stratum = frame.ptype.astype(np.int64) * len(_AGES) + frame.age.astype(np.int64)
    size = len(_TYPES) * len(_AGES)
    counted = _counted(frame) if rows is None else _counted(frame) & rows
    d = np.bincount(stratum, weights=days * counted, minlength=size)
    e = np.bincount(stratum, weights=events * counted, minlength=size)
    overall = e.sum() / d.sum() if d.sum() else 0.0
    with np.errstate(divide="ignore", invalid="ignore"):
        # A stratum with few days borrows the overall rate (shrinks towards it).
        return np.where(d > 0, (e + overall * 365) / (d + 365), overall)


def chart(frame: Frame, rates: np.ndarray, as_of: date) -> list[Month]:
    """The CUSUM months of the placements in ``frame`` (one provider's, or the region's)."""
    return _charts(frame, rates, as_of, np.zeros(len(frame), dtype=np.int64), 1)[0]


def _charts(
    frame: Frame, rates: np.ndarray, as_of: date, group: np.ndarray, groups: int
) -> list[list[Month]]:
    """The CUSUM months of each group of placements (``group``: 0 .. ``groups`` - 1 per
    placement, -1 in none), all months and groups at once.

    A placement's days at risk in month [a, b) are the days d with a <= d < b and start <= d
    < end of follow-up. Per group and stratum, a running count of the placements at risk on
    each day of the window (a difference array, summed) gives every month's days at risk as
    integers; the expected count is their sum weighted by the stratum's rate.
    """
    bounds = np.array([_day(b) for b in _month_starts(as_of, WINDOW_MONTHS)], dtype=np.int64)
    labels = [(_EPOCH_DATE + timedelta(days=int(a))).strftime("%Y-%m") for a in bounds[:-1]]
    months = bounds.size - 1
    asof = _day(as_of)
    stop, brk = _breakdown_days(frame, asof)
    strata = len(_TYPES) * len(_AGES)
    keep = _counted(frame) & (group >= 0)
    g = group[keep].astype(np.int64)
    cell = g * strata + frame.ptype[keep].astype(np.int64) * len(_AGES) + frame.age[keep].astype(np.int64)
    span = int(bounds[-1] - bounds[0])
    lo = np.clip(frame.start[keep].astype(np.int64) - bounds[0], 0, span)
    hi = np.clip(stop[keep].astype(np.int64) - bounds[0], 0, span)
    at_risk = hi > lo
    size = groups * strata * (span + 1)
    diff = np.bincount((cell * (span + 1) + lo)[at_risk], minlength=size) - np.bincount(
        (cell * (span + 1) + hi)[at_risk], minlength=size
    )
    daily = np.cumsum(diff.reshape(groups, strata, span + 1), axis=2)[:, :, :span]
    days = np.add.reduceat(
        daily, (bounds[:-1] - bounds[0]).astype(np.intp), axis=2
    )  # (groups, strata, months)
    expected = (days * rates[None, :, None]).sum(axis=1)
    month = np.searchsorted(bounds, stop[keep], side="right") - 1
    event = brk[keep] & (month >= 0) & (month < months)
    observed = np.bincount(g[event] * months + month[event], minlength=groups * months).reshape(
        groups, months
    )
    out = []
    for k in range(groups):
        s, series = 0.0, []
        for t in range(months):
            e, o = float(expected[k, t]), int(observed[k, t])
            s = max(0.0, s + o * math.log(RATIO) - (RATIO - 1) * e)
            series.append(Month(labels[t], o, e, s, s > THRESHOLD))
        out.append(series)
    return out


def window(as_of: date) -> tuple[date, date]:
    """(first day of the baseline, first day of the monitoring window) before ``as_of``."""
    window_start = _month_starts(as_of, WINDOW_MONTHS)[0]
    return date(window_start.year - BASELINE_YEARS, window_start.month, 1), window_start


def charts(region: Region, as_of: date, providers: list[Organisation], *, frame: Frame | None = None) -> dict:
    """{"region": [Month...], provider pk: [Month...]} for the window before ``as_of``.

    ``frame``: the region's placements (all types), if the caller has loaded them already;
    those starting from the baseline's first day up to ``as_of`` are used."""
    base_start, window_start = window(as_of)
    if frame is None:
        frame = load_frame(region, base_start, as_of, as_of)
    rows = (frame.start >= _day(base_start)) & (frame.start <= _day(as_of))
    rates = baseline_rates(frame, _day(base_start), _day(window_start), rows)
    region_chart = _charts(frame, rates, as_of, np.where(rows, 0, -1), 1)[0]
    out: dict = {"region": region_chart}
    if providers:
        pks = np.array([p.pk for p in providers], dtype=np.int64)
        order = np.argsort(pks, kind="stable")
        pos = np.searchsorted(pks[order], frame.provider)
        pos = np.minimum(pos, pks.size - 1)
        group = np.where((pks[order][pos] == frame.provider) & rows, order[pos], -1)
        for p, months in zip(providers, _charts(frame, rates, as_of, group, len(providers)), strict=True):
            out[p.pk] = months
    return out


def episode_start(months: list[Month]) -> str | None:
    """The month the current signal began (S rose from 0 to the alarm), or None."""
    if not months or not months[-1].signal:
        return None
    i = len(months) - 1
    while i > 0 and months[i - 1].s > 0:
        i -= 1
    return months[i].label


def check(as_of: date | None = None) -> int:
    """Email coordinators (and, for a provider's chart, that provider's staff) once per
    signal: the dedupe key is the chart and the month its rise began."""
    from django.utils import timezone

    from thuisnet.accounts.models import Membership
    from thuisnet.core.mail import queue_templated

    as_of = as_of or timezone.localdate()
    sent = 0
    for region in Region.objects.order_by("pk"):
        providers = list(Organisation.objects.filter(region=region, kind="provider").order_by("pk"))
        if not providers:
            continue
        result = charts(region, as_of, providers)
        coordinators = set(
            Membership.objects.filter(
                role="coordinator",
                organisation__kind="region",
                organisation__region=region,
                user__is_active=True,
            ).values_list("user__email", flat=True)
        )
        for key, months in result.items():
            began = episode_start(months)
            if began is None:
                continue
            provider = None if key == "region" else next(p for p in providers if p.pk == key)
            to = set(coordinators)
            if provider is not None:
                to |= set(
                    Membership.objects.filter(organisation=provider, user__is_active=True).values_list(
                        "user__email", flat=True
                    )
                )
            if not to:
                continue
            email = queue_templated(
                sorted(to),
                "placements/email/cusum_signal",
                {"region": region, "provider": provider, "since": began, "as_of": as_of, "s": months[-1].s},
                dedupe_key=f"placements.cusum:{region.pk}:{key}:{began}",
            )
            sent += email is not None
    return sent
