"""Statistical disclosure control: the one way every aggregate hides small counts.

Every count, share or rate that Thuisnet shows to a region, a provider or the public goes
through this module, so that no child, parent or prospect can be singled out.

The rules
---------
1. **Primary suppression.** A count of 1 to 9 is shown as ``"<10"`` (:data:`HIDDEN`).
   Zero is shown as ``"0"``: an empty cell singles out no one.
2. **Shares and rates.** A percentage or rate is not shown (``None``) when its numerator or
   its denominator is a count of 1 to 9, or is itself hidden: ``12,5%`` of a shown 972 gives
   the hidden numerator back.
3. **Secondary suppression.** Published totals must not give a hidden cell back, neither by
   subtraction nor through bounds: everybody knows a ``"<10"`` cell lies in 1..9, so a total
   of 2 over two hidden cells pins both at 1. After primary suppression an attacker runs
   *inside this module*: for every hidden cell it solves two linear programmes
   (``scipy.optimize.linprog``: minimise and maximise the cell subject to every published
   cell, every published total and the bounds of the hidden ones). When the minimum equals
   the maximum the cell is pinned, and one more entry of a line through it is hidden: the
   smallest visible non-zero cell, else the line's total. This repeats until no hidden cell
   is pinned. A cell hidden to protect another one (a count of 10 or more) is shown as
   ``"*"`` (:data:`SECONDARY`), so the attacker knows it is at least 10, and the module
   accounts for that. Zeros are never hidden.

   Hiding one more entry can only widen what the attacker knows, so each round asks only
   about the cells pinned in the round before and the one just hidden, and skips the
   programmes when two feasible tables already seen differ in a cell by a whole unit; the
   cells hidden are exactly those of asking about every cell every round
   (``_System._protect_reference``, checked on random systems in
   ``tests/test_disclosure_linked_speed.py``).

   Tables with margins are network matrices (totally unimodular), so the bounds the linear
   programme finds are the integer bounds: the check is exact, not an approximation.

The API
-------
- :func:`count` for a lone count that no published total relates to other counts.
- :func:`series` for cells with their total (one-dimensional).
- :class:`Table` (rows x columns with row, column and grand totals) and :meth:`Table.protect`.
- :func:`share` and :func:`may_show_share` for percentages and rates.
- :func:`linked` for several tables that share totals (and figures the reader already knows,
  such as their own provider's), protected as one system.

Tables that publish the same total must be protected together with :func:`linked`;
protecting them one by one can hide a total in one table that another still shows.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
from scipy.optimize import linprog

THRESHOLD = 10  # counts 1 .. THRESHOLD-1 are hidden
HIDDEN = "<10"  # primary suppression: the true count lies in 1..9
SECONDARY = "*"  # hidden to protect another cell: the true count is 10 or more

PRIMARY_BOUNDS = (1, THRESHOLD - 1)
SECONDARY_BOUNDS = (THRESHOLD, None)


def is_small(n: int) -> bool:
    """True for the counts that are hidden on their own: 1 to 9."""
    return 1 <= int(n) < THRESHOLD


def count(n: int) -> str:
    """A lone count as shown: ``"<10"`` for 1 to 9, else the number (``"0"`` for zero).

    Use it only for a count that no other published figure relates to (no total, no share);
    otherwise use :func:`series` or :class:`Table`.
    """
    return HIDDEN if is_small(n) else str(int(n))


def may_show_share(numerator: int, denominator: int, *, hidden: bool = False) -> bool:
    """Whether a share or rate of ``numerator`` over ``denominator`` may be shown.

    Not when the denominator is 0, when either count is 1 to 9, or when the caller says one
    of them is hidden (``hidden=True``, e.g. a secondarily suppressed cell).
    """
    if hidden or denominator <= 0:
        return False
    return not (is_small(numerator) or is_small(denominator))


def share(numerator: int, denominator: int, *, hidden: bool = False, digits: int = 1) -> str | None:
    """The share as a Dutch percentage (``"12,5%"``), or ``None`` when it would reveal a hidden
    count (see :func:`may_show_share`)."""
    if not may_show_share(numerator, denominator, hidden=hidden):
        return None
    return f"{100 * numerator / denominator:.{digits}f}%".replace(".", ",")


# --- the engine: published quantities linked by "parts add up to a total" ------------------


@dataclass
class _System:
    """Quantities (cells and totals) and the equations ``sum(parts) == total`` linking them."""

    values: list[int]
    equations: list[tuple[list[int], int]] = field(default_factory=list)
    keep: frozenset[int] = frozenset()  # hide these only when nothing else protects
    fixed: frozenset[int] = frozenset()  # known to the reader exactly (e.g. their own figures)
    latent: frozenset[int] = frozenset()  # never shown, but must not be pinned when 1..9
    # "" shown, "p" primary, "s" secondary, "l" latent (unpublished)
    status: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        if any(v < 0 for v in self.values):
            raise ValueError("counts cannot be negative")
        self.status = [
            "l" if i in self.latent else "" if i in self.fixed else "p" if is_small(v) else ""
            for i, v in enumerate(self.values)
        ]
        for parts, total in self.equations:
            if sum(self.values[i] for i in parts) != self.values[total]:
                raise ValueError("a total does not equal the sum of its cells")

    def ranges(self) -> dict[int, tuple[float, float]]:
        """What an attacker learns: min and max of every hidden quantity."""
        return attack(self.values, self.status, self.equations)

    def protect(self) -> None:
        """Hide more until no hidden quantity is pinned (rule 3).

        Each round hides one more entry, which only adds an unknown: every range the attacker
        had can only widen. So a quantity that was not pinned stays unpinned, and a round asks
        only about the quantities pinned in the round before and the one just hidden. Every
        solution the linear programmes find (and the true values) stays feasible in later
        rounds; when two of them already differ in a quantity by a whole unit, it cannot be
        pinned and needs no programme. The result is the same as asking the attacker about
        every hidden quantity in every round (:meth:`_protect_reference`).
        """
        points = [np.array(self.values, dtype=float)]
        ask: set[int] | None = None  # None: every hidden quantity
        pick: int | None = None
        for _round in range(len(self.values) + 1):
            pinned = self._pinned(ask, points, pick)
            if not pinned:
                return
            pick = self._next_to_hide(pinned)
            if pick is None:
                return  # nothing visible is linked to the pinned cells: cannot happen with margins
            self.status[pick] = "s"
            ask = {*pinned, pick}

    def _protect_reference(self) -> None:
        """The straightforward rule 3 (every hidden quantity asked every round), kept to check
        :meth:`protect` against."""
        for _round in range(len(self.values) + 1):
            pinned = [
                i for i, (lo, hi) in sorted(self.ranges().items()) if _same(lo, hi) and self._matters(i)
            ]
            if not pinned:
                return
            pick = self._next_to_hide(pinned)
            if pick is None:
                return
            self.status[pick] = "s"

    def _matters(self, i: int) -> bool:
        """Whether a pinned quantity must be protected (a latent one only when 1..9)."""
        return self.status[i] != "l" or is_small(self.values[i])

    def _pinned(self, ask: set[int] | None, points: list[np.ndarray], pick: int | None = None) -> list[int]:
        """The hidden quantities in ``ask`` (all when None) that the attacker pins, sorted.

        ``ask`` holds the quantities pinned before ``pick`` was hidden, and ``pick``. One that
        no equation connects to ``pick`` (through hidden quantities) faces the same equations
        as before, so it is still pinned without asking.
        """
        lp = _Programme(self.values, self.status, self.equations)
        if ask is not None and pick is not None and lp.single is None:
            group = lp.component(pick)
            still = {i for i in ask if i != pick and i not in group}
            ask = ask - still
        else:
            still = set()
        if lp.single is not None:  # one line: interval arithmetic, as in :func:`attack`
            return [
                i
                for i, (lo, hi) in sorted(lp.single.items())
                if _same(lo, hi) and self._matters(i) and (ask is None or i in ask)
            ]
        targets = [i for i in lp.involved if self._matters(i) and (ask is None or i in ask)]
        if not targets:
            return sorted(still)
        spread = lambda i: not _same(min(p[i] for p in points), max(p[i] for p in points))  # noqa: E731
        todo = [i for i in targets if not spread(i)]
        if len(todo) > 2:  # two cheap programmes over all of them show most ranges at once
            for sign in (1.0, -1.0):
                x = lp.solve({i: sign for i in todo})
                if x is not None:
                    points.append(x)
            todo = [i for i in todo if not spread(i)]
        pinned = []
        for i in todo:
            if spread(i):
                continue
            low = lp.solve({i: 1.0})
            lo = _display_bounds(self.status[i])[0] if low is None else float(low[i])
            if low is not None:
                points.append(low)
                if spread(i):
                    continue
            high = lp.solve({i: -1.0})
            hi = math.inf if high is None else float(high[i])
            if high is not None:
                points.append(high)
            if _same(lo, hi):
                pinned.append(i)
        return sorted({*pinned, *still})

    def _next_to_hide(self, pinned: list[int]) -> int | None:
        """Choose the visible non-zero entry, in a line through a pinned cell, that leaves the
        fewest lines with a single hidden entry (a line with one hidden entry gives it away by
        subtraction); then prefer cells to totals, then the smallest count. Entries the caller
        asked to ``keep`` come last.

        Greedy, but it finds the usual rectangles of four hidden cells in a two-way table.
        """
        totals = {total for _parts, total in self.equations}
        candidates = set()
        for parts, total in self.equations:
            members = [*parts, total]
            if any(p in members for p in pinned):
                candidates |= {i for i in members if self._visible_nonzero(i)}
        if not candidates:
            candidates = {i for p in pinned for i in self._linked(p) if self._visible_nonzero(i)}
        if not candidates:
            return None

        def singles_after(c: int) -> int:
            hidden = {i for i, s in enumerate(self.status) if s} | {c}
            return sum(1 for parts, total in self.equations if len(hidden & {*parts, total}) == 1)

        return min(
            candidates, key=lambda c: (c in self.keep, singles_after(c), c in totals, self.values[c], c)
        )

    def _linked(self, cell: int) -> set[int]:
        linked = {cell}
        changed = True
        while changed:
            changed = False
            for parts, total in self.equations:
                members = {*parts, total}
                if members & linked and not members <= linked:
                    linked |= members
                    changed = True
        return linked

    def _visible_nonzero(self, i: int) -> bool:
        return self.status[i] == "" and self.values[i] > 0 and i not in self.fixed

    def text(self, i: int) -> str:
        return {"": str(self.values[i]), "p": HIDDEN, "s": SECONDARY, "l": ""}[self.status[i]]


def _same(lo: float, hi: float) -> bool:
    return math.isfinite(lo) and math.isfinite(hi) and math.ceil(lo - 1e-6) >= math.floor(hi + 1e-6)


def attack(
    values: Sequence[int], status: Sequence[str], equations: Sequence[tuple[Sequence[int], int]]
) -> dict[int, tuple[float, float]]:
    """Min and max of every hidden quantity given what is shown.

    ``status[i]`` is ``""`` (shown: its value is known), ``"p"`` (shown as ``"<10"``: 1..9),
    ``"s"`` (shown as ``"*"``: 10 or more) or ``"l"`` (never shown: 0 or more). Only
    quantities that appear in an equation can be narrowed down; the others keep their bounds.
    """
    hidden = [i for i, s in enumerate(status) if s]
    out: dict[int, tuple[float, float]] = {i: _display_bounds(status[i]) for i in hidden}
    index = {q: k for k, q in enumerate(hidden)}
    rows, rhs = [], []
    for parts, total in equations:
        row = np.zeros(len(hidden))
        known = 0
        for q, coef in [*((p, 1.0) for p in parts), (total, -1.0)]:
            if status[q]:
                row[index[q]] += coef
            else:
                known += coef * values[q]
        if np.any(row):
            rows.append(row)
            rhs.append(-known)
    if not rows:
        return out
    a_eq, b_eq = np.array(rows), np.array(rhs)
    involved = sorted({k for row in rows for k in np.nonzero(row)[0]})
    bounds = [
        PRIMARY_BOUNDS if status[i] == "p" else SECONDARY_BOUNDS if status[i] == "s" else (0, None)
        for i in hidden
    ]
    if len(rows) == 1:  # one line (a series): interval arithmetic is exact and much faster
        for k, lo_hi in _one_equation(a_eq[0], float(b_eq[0]), bounds).items():
            out[hidden[k]] = lo_hi
        return out
    for k in involved:
        c = np.zeros(len(hidden))
        c[k] = 1.0
        low = linprog(c, A_eq=a_eq, b_eq=b_eq, bounds=bounds, method="highs")
        high = linprog(-c, A_eq=a_eq, b_eq=b_eq, bounds=bounds, method="highs")
        lo = low.fun if low.status == 0 else out[hidden[k]][0]
        hi = -high.fun if high.status == 0 else math.inf
        out[hidden[k]] = (lo, hi)
    return out


class _Programme:
    """The attacker's linear programme over the hidden quantities, built once per round.

    :meth:`solve` minimises a weighted sum of hidden quantities and returns the full vector
    of all quantities at the optimum (shown ones at their values), or ``None``.
    """

    def __init__(
        self, values: Sequence[int], status: Sequence[str], equations: Sequence[tuple[Sequence[int], int]]
    ) -> None:
        self.values = np.array(values, dtype=float)
        self.hidden = [i for i, s in enumerate(status) if s]
        self.index = {q: k for k, q in enumerate(self.hidden)}
        self.single: dict[int, tuple[float, float]] | None = None
        rows, rhs = [], []
        for parts, total in equations:
            row = np.zeros(len(self.hidden))
            known = 0
            for q, coef in [*((p, 1.0) for p in parts), (total, -1.0)]:
                if status[q]:
                    row[self.index[q]] += coef
                else:
                    known += coef * values[q]
            if np.any(row):
                rows.append(row)
                rhs.append(-known)
        self.involved = sorted({self.hidden[k] for row in rows for k in np.nonzero(row)[0]})
        self.bounds = [
            PRIMARY_BOUNDS if status[i] == "p" else SECONDARY_BOUNDS if status[i] == "s" else (0, None)
            for i in self.hidden
        ]
        if len(rows) == 1:
            one = _one_equation(rows[0], float(rhs[0]), self.bounds)
            self.single = {self.hidden[k]: lo_hi for k, lo_hi in one.items()}
        self.rows = rows
        self.a_eq = np.array(rows) if rows else None
        self.b_eq = np.array(rhs) if rows else None

    def component(self, q: int) -> set[int]:
        """The hidden quantities that equations connect to ``q`` (through hidden ones)."""
        members = [set(np.nonzero(row)[0]) for row in self.rows]
        found = {self.index[q]}
        changed = True
        while changed:
            changed = False
            for m in members:
                if m & found and not m <= found:
                    found |= m
                    changed = True
        return {self.hidden[k] for k in found}

    def solve(self, weights: dict[int, float]) -> np.ndarray | None:
        c = np.zeros(len(self.hidden))
        for q, w in weights.items():
            c[self.index[q]] = w
        result = linprog(c, A_eq=self.a_eq, b_eq=self.b_eq, bounds=self.bounds, method="highs")
        if result.status != 0:
            return None
        point = self.values.copy()
        point[self.hidden] = result.x
        return point


def _display_bounds(status: str) -> tuple[float, float]:
    return {"p": PRIMARY_BOUNDS, "s": (THRESHOLD, math.inf), "l": (0, math.inf)}[status]


def _one_equation(row: np.ndarray, rhs: float, bounds: list) -> dict[int, tuple[float, float]]:
    """Exact bounds of each variable of ``row @ x == rhs`` (coefficients +1/-1) in a box."""
    lows = [b[0] for b in bounds]
    highs = [math.inf if b[1] is None else b[1] for b in bounds]
    terms = {int(k): (lows[k], highs[k]) if row[k] > 0 else (-highs[k], -lows[k]) for k in np.nonzero(row)[0]}
    finite_lo = sum(t[0] for t in terms.values() if math.isfinite(t[0]))
    finite_hi = sum(t[1] for t in terms.values() if math.isfinite(t[1]))
    inf_lo = sum(1 for t in terms.values() if not math.isfinite(t[0]))
    inf_hi = sum(1 for t in terms.values() if not math.isfinite(t[1]))
    out = {}
    for k, (t_lo, t_hi) in terms.items():
        # The other terms together lie in [others_lo, others_hi] (infinite if any of them is).
        if math.isfinite(t_lo):
            others_lo = -math.inf if inf_lo else finite_lo - t_lo
        else:
            others_lo = -math.inf if inf_lo > 1 else finite_lo
        if math.isfinite(t_hi):
            others_hi = math.inf if inf_hi else finite_hi - t_hi
        else:
            others_hi = math.inf if inf_hi > 1 else finite_hi
        term_lo, term_hi = rhs - others_hi, rhs - others_lo
        if row[k] > 0:
            lo, hi = max(lows[k], term_lo), min(highs[k], term_hi)
        else:
            lo, hi = max(lows[k], -term_hi), min(highs[k], -term_lo)
        out[k] = (lo, hi)
    return out


# --- front ends ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Protected:
    """A one-dimensional series as shown: ``cells`` and ``total`` are display strings."""

    cells: list[str]
    total: str | None
    cell_hidden: list[bool]
    total_hidden: bool

    def hidden(self, i: int) -> bool:
        return self.cell_hidden[i]


def series(cells: Sequence[int], *, total: bool = True, keep: Sequence[int] = ()) -> Protected:
    """Cells that add up to a published total (``total=False``: the total is not shown).

    Returns the display strings after primary and secondary suppression. ``keep`` lists the
    indices of cells the reader needs most: secondary suppression picks them last.
    """
    values = [int(v) for v in cells]
    if not total:
        return Protected([count(v) for v in values], None, [is_small(v) for v in values], False)
    system = _System([*values, sum(values)], [(list(range(len(values))), len(values))], frozenset(keep))
    system.protect()
    n = len(values)
    return Protected(
        [system.text(i) for i in range(n)],
        system.text(n),
        [bool(system.status[i]) for i in range(n)],
        bool(system.status[n]),
    )


def series_dict(cells: dict, *, total: bool = True, keep: Sequence = ()) -> tuple[dict, str | None]:
    """:func:`series` for a mapping of label to count: ``({label: text}, total_text)``."""
    keys = list(cells)
    result = series([cells[k] for k in keys], total=total, keep=[keys.index(k) for k in keep])
    return dict(zip(keys, result.cells, strict=True)), result.total


def linked(
    values: dict[str, int],
    equations: Sequence[tuple[Sequence[str], str]],
    *,
    keep: Sequence[str] = (),
    fixed: Sequence[str] = (),
    latent: Sequence[str] = (),
) -> dict[str, str]:
    """Linked tables: named counts and the equations ``sum(parts) == total`` between them,
    protected together (rules 1 and 3), so a total shared by several tables cannot be used
    against any of them.

    ``fixed`` names counts the reader knows exactly (their own provider's figures): they are
    never hidden, and the attacker uses them. ``latent`` names counts that are not shown but
    follow from others (the other providers' part of a region figure): when 1 to 9, they must
    not be pinned either. Returns the display text of every name that is not latent.
    """
    names = list(values)
    index = {name: i for i, name in enumerate(names)}
    system = _System(
        [int(values[n]) for n in names],
        [([index[p] for p in parts], index[total]) for parts, total in equations],
        frozenset(index[n] for n in keep),
        frozenset(index[n] for n in fixed),
        frozenset(index[n] for n in latent),
    )
    system.protect()
    return {n: system.text(index[n]) for n in names if n not in latent}


@dataclass(frozen=True)
class ProtectedTable:
    """A table as shown; every entry is a display string (``None`` for an unpublished margin)."""

    cells: list[list[str]]
    row_totals: list[str] | None
    col_totals: list[str] | None
    grand_total: str | None
    hidden_cells: list[list[bool]]


@dataclass
class Table:
    """Counts in rows x columns with the margins that are published beside them.

    ``Table(cells).protect()`` applies rules 1 and 3 to the cells and the margins together.
    """

    cells: Sequence[Sequence[int]]
    row_totals: bool = True
    col_totals: bool = True
    grand_total: bool = True

    def protect(self) -> ProtectedTable:
        grid = [[int(v) for v in row] for row in self.cells]
        n_rows, n_cols = len(grid), len(grid[0]) if grid else 0
        if any(len(row) != n_cols for row in grid):
            raise ValueError("rows differ in length")
        values = [v for row in grid for v in row]
        cell = lambda i, j: i * n_cols + j  # noqa: E731
        equations: list[tuple[list[int], int]] = []
        row_idx = col_idx = None
        grand_idx = None
        if self.row_totals:
            row_idx = []
            for i in range(n_rows):
                row_idx.append(len(values))
                values.append(sum(grid[i]))
                equations.append(([cell(i, j) for j in range(n_cols)], row_idx[-1]))
        if self.col_totals:
            col_idx = []
            for j in range(n_cols):
                col_idx.append(len(values))
                values.append(sum(grid[i][j] for i in range(n_rows)))
                equations.append(([cell(i, j) for i in range(n_rows)], col_idx[-1]))
        if self.grand_total:
            grand_idx = len(values)
            values.append(sum(sum(r) for r in grid))
            if row_idx is not None:
                equations.append((list(row_idx), grand_idx))
            if col_idx is not None:
                equations.append((list(col_idx), grand_idx))
            if row_idx is None and col_idx is None:
                equations.append((list(range(n_rows * n_cols)), grand_idx))
        system = _System(values, equations)
        system.protect()
        return ProtectedTable(
            cells=[[system.text(cell(i, j)) for j in range(n_cols)] for i in range(n_rows)],
            row_totals=[system.text(k) for k in row_idx] if row_idx is not None else None,
            col_totals=[system.text(k) for k in col_idx] if col_idx is not None else None,
            grand_total=system.text(grand_idx) if grand_idx is not None else None,
            hidden_cells=[[bool(system.status[cell(i, j)]) for j in range(n_cols)] for i in range(n_rows)],
        )
