"""Play the attacker against the disclosure module: from what a table shows, try to recover
every hidden cell exactly. The attacker here is written independently of the module: it
reads only the rendered strings ("<10" means 1..9, "*" means 10 or more) and solves its own
linear programmes over all entries, or enumerates every consistent table for small series."""

from __future__ import annotations

import itertools
import math

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scipy.optimize import linprog

from thuisnet.core import disclosure

counts = st.one_of(st.just(0), st.integers(1, 9), st.integers(10, 40), st.integers(41, 500))
SETTINGS = settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _bounds(text: str) -> tuple[float, float | None]:
    if text == "<10":
        return (1, 9)
    if text == "*":
        return (10, None)
    return (int(text), int(text))


def _lp_ranges(texts: list[str], equations: list[tuple[list[int], int]]) -> dict[int, tuple[float, float]]:
    """Min and max of every hidden entry; entries and equations over all of them."""
    n = len(texts)
    a_eq = np.zeros((len(equations), n))
    for r, (parts, total) in enumerate(equations):
        a_eq[r, parts] = 1
        a_eq[r, total] = -1
    b_eq = np.zeros(len(equations))
    bounds = [_bounds(t) for t in texts]
    out = {}
    for i, t in enumerate(texts):
        if t not in ("<10", "*"):
            continue
        c = np.zeros(n)
        c[i] = 1
        lo = linprog(c, A_eq=a_eq, b_eq=b_eq, bounds=bounds, method="highs")
        hi = linprog(-c, A_eq=a_eq, b_eq=b_eq, bounds=bounds, method="highs")
        assert lo.status == 0, "the published table must be consistent"
        out[i] = (lo.fun, -hi.fun if hi.status == 0 else math.inf)
    return out


def _assert_nothing_pinned(texts, equations):
    for i, (lo, hi) in _lp_ranges(texts, equations).items():
        if math.isinf(hi):
            continue  # unbounded above: certainly not pinned
        assert math.ceil(lo - 1e-6) < math.floor(hi + 1e-6), f"entry {i} ({texts[i]}) pinned at {lo}"


def _assert_honest(values: list[int], texts: list[str]):
    """Nothing shown was changed; only 1..9 and protecting cells (>= 10) are hidden."""
    for v, t in zip(values, texts, strict=True):
        if t == "<10":
            assert 1 <= v <= 9
        elif t == "*":
            assert v >= 10
        else:
            assert t == str(v)
            assert not 1 <= v <= 9, "a small count was shown"


@SETTINGS
@given(st.lists(counts, min_size=1, max_size=8))
def test_the_attacker_cannot_pin_a_hidden_cell_of_a_series(cells):
    result = disclosure.series(cells)
    texts = [*result.cells, result.total]
    values = [*cells, sum(cells)]
    _assert_honest(values, texts)
    _assert_nothing_pinned(texts, [(list(range(len(cells))), len(cells))])


@SETTINGS
@given(st.lists(st.one_of(st.just(0), st.integers(1, 9), st.integers(10, 25)), min_size=1, max_size=3))
def test_exhaustive_enumeration_cannot_pin_a_hidden_cell_of_a_small_series(cells):
    result = disclosure.series(cells)
    total_text = result.total
    choices = []
    for t in result.cells:
        lo, hi = _bounds(t)
        choices.append(range(lo, (hi if hi is not None else 3 * 25) + 1))
    seen: list[set[int]] = [set() for _ in cells]
    for combo in itertools.product(*choices):
        s = sum(combo)
        lo, hi = _bounds(total_text)
        if s < lo or (hi is not None and s > hi):
            continue
        for k, v in enumerate(combo):
            seen[k].add(v)
    for k, t in enumerate(result.cells):
        if t in ("<10", "*"):
            assert len(seen[k]) > 1, f"cell {k} pinned at {seen[k]}"


@st.composite
def grids(draw):
    rows = draw(st.integers(1, 4))
    cols = draw(st.integers(1, 4))
    return [[draw(counts) for _ in range(cols)] for _ in range(rows)]


def _table_layout(grid):
    """Entry order: cells row by row, row totals, column totals, grand total."""
    r, c = len(grid), len(grid[0])
    cell = lambda i, j: i * c + j  # noqa: E731
    rt = [r * c + i for i in range(r)]
    ct = [r * c + r + j for j in range(c)]
    g = r * c + r + c
    eqs = [([cell(i, j) for j in range(c)], rt[i]) for i in range(r)]
    eqs += [([cell(i, j) for i in range(r)], ct[j]) for j in range(c)]
    eqs += [(rt, g), (ct, g)]
    values = [v for row in grid for v in row]
    values += (
        [sum(row) for row in grid] + [sum(row[j] for row in grid) for j in range(c)] + [sum(map(sum, grid))]
    )
    return values, eqs


@SETTINGS
@given(grids())
def test_the_attacker_cannot_pin_a_hidden_cell_of_a_two_way_table(grid):
    shown = disclosure.Table(grid).protect()
    texts = (
        [t for row in shown.cells for t in row] + shown.row_totals + shown.col_totals + [shown.grand_total]
    )
    values, eqs = _table_layout(grid)
    _assert_honest(values, texts)
    _assert_nothing_pinned(texts, eqs)


def test_a_total_of_two_over_two_hidden_cells_is_not_published():
    # Bounds attack: "<10" + "<10" = 2 pins both at 1.
    shown = disclosure.Table([[1, 1], [30, 40]]).protect()
    texts = (
        [t for row in shown.cells for t in row] + shown.row_totals + shown.col_totals + [shown.grand_total]
    )
    values, eqs = _table_layout([[1, 1], [30, 40]])
    _assert_nothing_pinned(texts, eqs)
    assert shown.row_totals[0] != "2"


def test_one_and_ten_hide_the_total_too():
    # "<10" + "*" = 11 pins both (1 and 10): the total must go as well.
    result = disclosure.series([1, 10])
    assert result.cells == ["<10", "*"] and result.total == "*"


def test_nine_and_nine_do_not_give_themselves_away_through_eighteen():
    result = disclosure.series([9, 9])
    assert result.cells == ["<10", "<10"] and result.total != "18"


@SETTINGS
@given(st.lists(counts, min_size=2, max_size=6), st.integers(1, 3))
def test_the_attacker_cannot_pin_a_hidden_cell_of_two_tables_sharing_a_total(cells, chunk):
    # Table A: the cells; table B: the same people grouped differently; one shared total.
    grouped = [sum(cells[i : i + chunk]) for i in range(0, len(cells), chunk)]
    values = {"n": sum(cells)}
    values.update({f"a{i}": v for i, v in enumerate(cells)})
    values.update({f"b{i}": v for i, v in enumerate(grouped)})
    eqs = [([f"a{i}" for i in range(len(cells))], "n"), ([f"b{i}" for i in range(len(grouped))], "n")]
    texts = disclosure.linked(values, eqs)
    names = list(values)
    ordered = [texts[k] for k in names]
    _assert_honest([values[k] for k in names], ordered)
    index = {k: i for i, k in enumerate(names)}
    _assert_nothing_pinned(ordered, [([index[p] for p in parts], index[t]) for parts, t in eqs])
