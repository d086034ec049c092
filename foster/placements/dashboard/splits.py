"""Splits of the cohort: by a key (type, age, provider, process factor), by start quarter,
and the data-quality checks."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

import numpy as np
from django.utils.translation import gettext as _

from thuisnet.core import disclosure

from .. import stats
from ..models import PlacementType
from ..report import (
    _EPOCH,
    _TYPES,
    Frame,
    Outcomes,
    horizon,
    outcomes,
)
from .formatting import (
    CRISIS_TOO_LONG_DAYS,
    LATE_DAYS,
    OPEN_TOO_LONG_DAYS,
    Value,
    breakdowns_by,
    shown_incidence,
)


class Cohort:
    """The included placements of one scope, sorted by duration once.

    Every split (type, age, provider, process factor, start quarter) groups these: a stable
    sort by the split's key keeps each group in duration order, so each group's event table
    is read off in one pass (``stats.event_table_sorted``) instead of copying the frame and
    sorting the group again. The figures are the same as from ``outcomes`` on each group's
    own frame (tests/test_placements_dashboard_speed.py).
    """

    def __init__(self, oc: Outcomes):
        self.oc = oc
        self.order = _stable_order(oc.durations)
        self.durations = oc.durations[self.order]
        self.outcomes = oc.outcomes[self.order]
        self.running = oc.running[self.order]
        self.codes = oc.codes[self.order]

    def groups(self, keys: np.ndarray) -> Callable[[int], Outcomes]:
        """``keys`` over the frame; returns the outcomes (in duration order) of one value."""
        ks = np.asarray(keys)[self.oc.included][self.order]
        offset = 0
        if ks.size and ks.dtype.itemsize > 2:
            lo, hi = int(ks.min()), int(ks.max())
            if hi - lo < 32767:  # a 16-bit key sorts in linear time (radix sort)
                ks, offset = (ks - lo).astype(np.int16), lo
        perm = np.argsort(ks, kind="stable")
        sorted_keys = ks[perm]
        durations, outcomes_, running, codes = (
            self.durations[perm],
            self.outcomes[perm],
            self.running[perm],
            self.codes[perm],
        )

        def group(value: int) -> Outcomes:
            v = value - offset
            if not sorted_keys.size or v < sorted_keys[0] or v > sorted_keys[-1]:
                a = b = 0
            else:
                a = int(np.searchsorted(sorted_keys, v, side="left"))
                b = int(np.searchsorted(sorted_keys, v, side="right"))
            return Outcomes(durations[a:b], outcomes_[a:b], None, codes[a:b], running[a:b])

        return group


def _stable_order(values: np.ndarray) -> np.ndarray:
    """``np.argsort(values, kind="stable")``; durations are whole days, and whole numbers
    below 32768 sort as 16-bit integers in linear time (radix sort), in the same order."""
    if values.size and values.min() >= 0 and values.max() < 32768:
        as_int = values.astype(np.int16)
        if np.array_equal(as_int, values):
            return np.argsort(as_int, kind="stable")
    return np.argsort(values, kind="stable")


def _cif(oc: Outcomes) -> stats.CumulativeIncidence:
    """The cumulative incidence of a group whose durations are in increasing order."""
    return stats.aalen_johansen(None, oc.outcomes, sorted_durations=oc.durations)


def _split(
    frame: Frame,
    as_of: date,
    keys: np.ndarray,
    labels: list[tuple[int, str]],
    *,
    cohort: Cohort | None = None,
) -> list[dict]:
    """One row per label: counts, the 12-month incidence and its horizon, for the placements
    whose ``keys`` (over the frame) equal the label's value. ``cohort``: the frame's outcomes
    sorted once (made here if not given)."""
    if cohort is None:
        cohort = Cohort(outcomes(frame, as_of))
    group = cohort.groups(keys)
    rows = []
    for value, label in labels:
        oc = group(value)
        n = int(oc.outcomes.size)
        cif = _cif(oc)
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


def trend(frame: Frame, as_of: date, *, cohort: Cohort | None = None) -> list[dict]:
    """12-month breakdown by start quarter; quarters without 12 months of follow-up are marked."""
    if not len(frame):
        return []
    if cohort is None:
        cohort = Cohort(outcomes(frame, as_of))
    starts = frame.start
    years = starts.astype("datetime64[D]").astype("datetime64[Y]").astype(int) + 1970
    months = starts.astype("datetime64[D]").astype("datetime64[M]").astype(int) % 12
    quarter = years * 10 + months // 3 + 1
    rows = []
    asof = (as_of - _EPOCH).days
    group = cohort.groups(quarter)
    for q in np.unique(quarter).tolist():
        oc = group(q)
        n = int(oc.outcomes.size)
        year, qn = divmod(q, 10)
        q_end = date(year, 3 * qn, 1) + timedelta(days=31)
        q_start_day = (date(year, 3 * qn - 2, 1) - _EPOCH).days
        if asof - q_start_day < stats.horizon_days(12):
            value, complete = Value(_("nog te vroeg"), hidden=True), False
        else:
            cif = _cif(oc)
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
