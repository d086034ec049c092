"""The optimal assignment of mentees to mentor slots. Pure numpy/scipy: no Django here.

A mentor with room for ``r`` more mentees has ``r`` slots. Every allowed (mentee, mentor) pair
has a score (higher is better); forbidden pairs have no edge at all. We maximise the total of
``MATCH_VALUE + score + tie`` over a matching of mentees to slots, where ``MATCH_VALUE`` is
larger than any score so a round never leaves someone unmatched to give another a slightly
better mentor, and ``tie`` is a small bonus that grows with waiting time, so among otherwise
equal solutions the parent who waited longest gets the slot.

Two solvers give the same optimum:

- ``sparse`` (default): ``scipy.sparse.csgraph.min_weight_full_bipartite_matching`` over the
  allowed edges only, with one private "unmatched" column per mentee (so a full matching always
  exists). Memory grows with the number of allowed edges, not mentees x slots.
- ``dense``: ``scipy.optimize.linear_sum_assignment`` on the full mentees x slots matrix
  (forbidden cells priced as "unmatched"). Simple, fine for a region's few hundred.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.optimize import linear_sum_assignment
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import min_weight_full_bipartite_matching

MATCH_VALUE = 1000.0
TIE_SPAN = 0.01  # the whole waiting-time bonus stays below any difference in reasons' scores


@dataclass(frozen=True)
class Problem:
    """``edges``: arrays (mentee index, mentor index, score) of the allowed pairs."""

    n_mentees: int
    capacities: np.ndarray  # free slots per mentor
    edge_mentee: np.ndarray
    edge_mentor: np.ndarray
    edge_score: np.ndarray
    waiting_days: np.ndarray  # per mentee


def _tie_bonus(waiting_days: np.ndarray) -> np.ndarray:
    if len(waiting_days) == 0:
        return waiting_days.astype(float)
    top = max(float(waiting_days.max()), 1.0)
    return TIE_SPAN * waiting_days.astype(float) / top


def _slot_edges(p: Problem) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Expand each mentor edge to one edge per free slot of that mentor."""
    caps = np.asarray(p.capacities, dtype=np.int64)
    first_slot = np.concatenate([[0], np.cumsum(caps)[:-1]]) if len(caps) else caps
    reps = caps[p.edge_mentor]
    keep = reps > 0
    mentee = np.repeat(p.edge_mentee[keep], reps[keep])
    mentor = np.repeat(p.edge_mentor[keep], reps[keep])
    value = np.repeat(p.edge_score[keep], reps[keep])
    # Offset of each copy within its mentor's slots: 0..r-1.
    starts = np.repeat(np.cumsum(reps[keep]) - reps[keep], reps[keep])
    offset = np.arange(len(mentee)) - starts
    slot = first_slot[mentor] + offset
    return mentee, slot, value


def solve(p: Problem, method: str = "sparse") -> dict[int, int]:
    """Return {mentee index: mentor index} of an optimal assignment."""
    n_slots = int(np.sum(p.capacities))
    if p.n_mentees == 0 or n_slots == 0 or len(p.edge_mentee) == 0:
        return {}
    bonus = _tie_bonus(p.waiting_days)
    mentee, slot, score = _slot_edges(p)
    value = MATCH_VALUE + score + bonus[mentee]
    slot_owner = np.repeat(np.arange(len(p.capacities)), np.asarray(p.capacities, dtype=np.int64))
    if method == "dense":
        cost = np.zeros((p.n_mentees, n_slots))
        cost[mentee, slot] = -value  # forbidden cells stay 0: worth the same as "unmatched"
        rows, cols = linear_sum_assignment(cost)
        return {int(r): int(slot_owner[c]) for r, c in zip(rows, cols, strict=True) if cost[r, c] < 0}
    # Sparse: costs must be positive (a stored zero counts as "no edge"). Allowed edge cost:
    # top - value; the private "unmatched" column costs top, i.e. value 0.
    top = float(value.max()) + 1.0
    rows = np.concatenate([mentee, np.arange(p.n_mentees)])
    cols = np.concatenate([slot, n_slots + np.arange(p.n_mentees)])
    data = np.concatenate([top - value, np.full(p.n_mentees, top)])
    graph = csr_matrix((data, (rows, cols)), shape=(p.n_mentees, n_slots + p.n_mentees))
    rows, cols = min_weight_full_bipartite_matching(graph)
    return {int(r): int(slot_owner[c]) for r, c in zip(rows, cols, strict=True) if c < n_slots}
