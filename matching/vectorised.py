"""The same hard constraints and score as ``scoring.py``, for all pairs at once with numpy.

A round of 5,000 mentees over 2,000 mentors has 10 million pairs: calling ``scoring.forbidden``
and ``scoring.score`` for each would take many minutes. Here every criterion is a small bitmask
and the whole matrix is computed in blocks of mentees (memory stays bounded). Reasons in Dutch
are then written by ``scoring.score`` only for the pairs the solver chose. A test checks that
both give the same verdict and score on random pairs.
"""

from __future__ import annotations

import numpy as np

from .models import AgeBand, Availability, Language, Need
from .scoring import Rules, Side

BLOCK = 400  # mentees per block: 400 x 2,000 cells, a few tens of MB of temporaries

# Reason codes, in the order ``scoring.forbidden`` tests them.
OK, SAME_HOUSEHOLD, FORM, WANTED_FORM, VILLAGE, PROVIDER, ENDED, DISTANCE = range(8)

_SETS = {
    "age_bands": list(AgeBand.values),
    "needs": list(Need.values),
    "languages": list(Language.values),
    "availability": list(Availability.values),
}
_POPCOUNT = np.array([bin(i).count("1") for i in range(1 << 8)], dtype=np.int64)


def _mask(values, universe) -> int:
    return sum(1 << universe.index(v) for v in values if v in universe)


class _Columns:
    def __init__(self, sides: list[Side], forms: list[str]) -> None:
        def arr(f, dtype=np.int64):
            return np.array([f(s) for s in sides], dtype=dtype)

        self.key = arr(lambda s: s.key)
        self.household = arr(lambda s: s.household_id)
        self.form = arr(lambda s: forms.index(s.family_form) if s.family_form in forms else -1)
        self.forms = arr(lambda s: _mask(s.family_forms, forms))
        self.municipality = arr(lambda s: s.municipality_id)
        self.provider = arr(lambda s: s.provider_id or -1)
        self.village_ok = arr(lambda s: s.same_village_ok, bool)
        self.travel = arr(lambda s: s.max_travel_km, float)
        self.has_point = arr(lambda s: s.point is not None, bool)
        self.lat = np.radians(arr(lambda s: s.point[0] if s.point else 0.0, float))
        self.lon = np.radians(arr(lambda s: s.point[1] if s.point else 0.0, float))
        self.sets = {k: arr(lambda s, k=k, u=u: _mask(getattr(s, k), u)) for k, u in _SETS.items()}


def edges(mentees: list[Side], mentors: list[Side], rules: Rules):
    """(mentee index, mentor index, score) of every allowed pair, and per mentee with no allowed
    pair the most frequent reason code against it."""
    forms = sorted(
        {s.family_form for s in mentees + mentors} | {f for s in mentors + mentees for f in s.family_forms}
    )
    a, b = _Columns(mentees, forms), _Columns(mentors, forms)
    # A mentor without a list accepts their own form only.
    b_accepts = np.where(b.forms > 0, b.forms, np.where(b.form >= 0, 1 << np.maximum(b.form, 0), 0))
    ended = {(h, k) for h, k in rules.ended_pairs}
    mentor_pos = {int(k): j for j, k in enumerate(b.key)}
    out_i, out_j, out_s, why_not = [], [], [], {}
    for start in range(0, len(mentees), BLOCK):
        rows = slice(start, min(start + BLOCK, len(mentees)))
        A = lambda x, rows=rows: x[rows][:, None]  # noqa: E731
        code = np.full((rows.stop - rows.start, len(mentors)), OK, dtype=np.int8)

        def mark(cond, reason, code=code):
            code[(code == OK) & cond] = reason

        mark(A(a.household) == b.household[None, :], SAME_HOUSEHOLD)
        mark((b_accepts[None, :] >> np.maximum(A(a.form), 0)) & 1 == 0, FORM)
        mark((A(a.forms) > 0) & (((A(a.forms) >> np.maximum(b.form, 0)[None, :]) & 1) == 0), WANTED_FORM)
        mark(
            (A(a.municipality) == b.municipality[None, :]) & ~(A(a.village_ok) & b.village_ok[None, :]),
            VILLAGE,
        )
        if rules.forbid_own_provider:
            mark((A(a.provider) >= 0) & (A(a.provider) == b.provider[None, :]), PROVIDER)
        for h, k in ended:
            j = mentor_pos.get(k)
            if j is not None:
                hit = np.nonzero(a.household[rows] == h)[0]
                sub = code[hit, j]
                code[hit, j] = np.where(sub == OK, ENDED, sub)
        both = A(a.has_point) & b.has_point[None, :]
        dlat, dlon = b.lat[None, :] - A(a.lat), b.lon[None, :] - A(a.lon)
        h = np.sin(dlat / 2) ** 2 + np.cos(A(a.lat)) * np.cos(b.lat[None, :]) * np.sin(dlon / 2) ** 2
        km = 6371.0 * 2 * np.arcsin(np.sqrt(np.clip(h, 0, 1)))
        reach = np.minimum(A(a.travel), b.travel[None, :])
        mark(both & (km > reach), DISTANCE)

        score = rules.w("same_form") * (A(a.form) == b.form[None, :])
        for key in _SETS:
            wanted = _POPCOUNT[a.sets[key][rows] & 0xFF][:, None]
            shared = _POPCOUNT[(A(a.sets[key]) & b.sets[key][None, :]) & 0xFF]
            score = score + np.where(wanted > 0, rules.w(key) * shared / np.maximum(wanted, 1), 0.0)
        closeness = np.maximum(0.0, 1 - km / np.maximum(1, reach))
        score = score + np.where(both, rules.w("distance") * closeness, 0.0)

        ii, jj = np.nonzero(code == OK)
        out_i.append(ii + start)
        out_j.append(jj)
        out_s.append(np.round(score[ii, jj], 3))
        none_allowed = ~(code == OK).any(axis=1)
        for r in np.nonzero(none_allowed)[0]:
            if len(mentors):
                why_not[mentees[start + r].key] = int(np.bincount(code[r], minlength=8)[1:].argmax() + 1)
    if not out_i:
        return np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros(0), why_not
    return np.concatenate(out_i), np.concatenate(out_j), np.concatenate(out_s), why_not
