"""The faster secondary suppression hides exactly the cells the straightforward one hides.

``_System.protect`` asks the attacker only about the quantities that can still be pinned;
``_System._protect_reference`` is the replaced algorithm (every hidden quantity, every round).
Both run on random linked tables shaped like the monitor's dashboard (a total split several
ways, with unpublished rests, known own figures and many small cells) and on two-way tables.
"""

from __future__ import annotations

import random

import pytest

from thuisnet.core import disclosure


def _count(rng: random.Random) -> int:
    r = rng.random()
    return 0 if r < 0.15 else rng.randint(1, 9) if r < 0.6 else rng.randint(10, 60)


def _dashboard_like(rng: random.Random) -> tuple[list[int], list[tuple[list[int], int]], dict]:
    """A total ``n`` and breakdowns ``b`` split into several lines, like the dashboard."""
    values: list[int] = []
    equations: list[tuple[list[int], int]] = []
    latent: set[int] = set()
    fixed: set[int] = set()

    def add(v: int) -> int:
        values.append(v)
        return len(values) - 1

    lines_n = [[_count(rng) for _ in range(rng.randint(2, 6))] for _ in range(rng.randint(2, 5))]
    n = max(sum(line) for line in lines_n) + rng.randint(0, 5)
    n_i = add(n)
    b_i = add(rng.randint(0, n))
    p_i = add(rng.randint(0, n - values[b_i]))
    c_i = add(n - values[b_i] - values[p_i])
    equations.append(([b_i, p_i, c_i], n_i))
    for line in lines_n:
        parts = [add(v) for v in line]
        rest = n - sum(line)
        if rest:
            parts.append(add(rest))
            latent.add(parts[-1])
        equations.append((parts, n_i))
        # breakdowns of the same groups, each at most the group's count
        bs = [rng.randint(0, v) for v in line]
        if sum(bs) <= values[b_i]:
            bparts = [add(v) for v in bs]
            brest = values[b_i] - sum(bs)
            if brest:
                bparts.append(add(brest))
                latent.add(bparts[-1])
            equations.append((bparts, b_i))
    if rng.random() < 0.5:  # staff: own figures known, the others' part latent
        for total in (n_i, b_i):
            own = rng.randint(0, values[total])
            o, rest = add(own), add(values[total] - own)
            fixed.add(o)
            latent.add(rest)
            equations.append(([o, rest], total))
    return (
        values,
        equations,
        {"keep": frozenset({b_i}), "fixed": frozenset(fixed), "latent": frozenset(latent)},
    )


def _both(values, equations, **kw) -> tuple[list[str], list[str]]:
    new = disclosure._System(list(values), list(equations), **kw)
    new.protect()
    old = disclosure._System(list(values), list(equations), **kw)
    old._protect_reference()
    return new.status, old.status


@pytest.mark.parametrize("seed", range(60))
def test_linked_hides_the_same_cells_as_the_reference_on_dashboard_like_tables(seed):
    rng = random.Random(seed)
    values, equations, kw = _dashboard_like(rng)
    new, old = _both(values, equations, **kw)
    assert new == old


@pytest.mark.parametrize("seed", range(30))
def test_tables_hide_the_same_cells_as_the_reference(seed):
    rng = random.Random(1000 + seed)
    rows, cols = rng.randint(2, 6), rng.randint(2, 6)
    grid = [[_count(rng) for _ in range(cols)] for _ in range(rows)]
    values = [v for row in grid for v in row]
    equations = []
    row_idx = []
    for i in range(rows):
        row_idx.append(len(values))
        values.append(sum(grid[i]))
        equations.append(([i * cols + j for j in range(cols)], row_idx[-1]))
    col_idx = []
    for j in range(cols):
        col_idx.append(len(values))
        values.append(sum(grid[i][j] for i in range(rows)))
        equations.append(([i * cols + j for i in range(rows)], col_idx[-1]))
    values.append(sum(values[k] for k in row_idx))
    equations += [(row_idx, len(values) - 1), (col_idx, len(values) - 1)]
    new, old = _both(values, equations)
    assert new == old


def test_linked_gives_the_same_texts_as_the_reference_front_end():
    rng = random.Random(7)
    values, equations, kw = _dashboard_like(rng)
    names = {i: f"q{i}" for i in range(len(values))}
    texts = disclosure.linked(
        {names[i]: v for i, v in enumerate(values)},
        [([names[p] for p in parts], names[t]) for parts, t in equations],
        keep=[names[i] for i in kw["keep"]],
        fixed=[names[i] for i in kw["fixed"]],
        latent=[names[i] for i in kw["latent"]],
    )
    old = disclosure._System(list(values), list(equations), **kw)
    old._protect_reference()
    assert texts == {names[i]: old.text(i) for i in range(len(values)) if i not in kw["latent"]}


# The demo dashboard's crisis view for a provider's staff (captured from ``_link``): 17 rounds.
DEMO_CRISIS = {
    "values": {
        "n": 188,
        "b": 9,
        "p": 165,
        "c": 14,
        "e01": 165,
        "e02": 3,
        "e03": 1,
        "e04": 3,
        "e05": 2,
        "endings": 174,
        "by_type:n:3": 188,
        "by_type:b:3": 9,
        "by_age:n:0": 43,
        "by_age:n:1": 38,
        "by_age:n:2": 38,
        "by_age:n:3": 46,
        "by_age:n:4": 23,
        "by_age:b:0": 1,
        "by_age:b:1": 3,
        "by_age:b:2": 0,
        "by_age:b:3": 3,
        "by_age:b:4": 2,
        "by_provider:n:1": 86,
        "by_provider:n:2": 102,
        "by_provider:b:1": 6,
        "by_provider:b:2": 3,
        "by_matching_conversation:n:1": 127,
        "by_matching_conversation:n:0": 36,
        "by_matching_conversation:n:rest": 25,
        "by_matching_conversation:b:1": 7,
        "by_matching_conversation:b:0": 2,
        "by_met_before_start:n:1": 112,
        "by_met_before_start:n:0": 51,
        "by_met_before_start:n:rest": 25,
        "by_met_before_start:b:1": 4,
        "by_met_before_start:b:0": 5,
        "by_emergency:n:1": 163,
        "by_emergency:n:rest": 25,
        "by_emergency:b:1": 9,
        "by_perspective_in_time:n:1": 125,
        "by_perspective_in_time:n:0": 38,
        "by_perspective_in_time:n:rest": 25,
        "by_perspective_in_time:b:1": 7,
        "by_perspective_in_time:b:0": 2,
        "by_carer_supported:n:1": 91,
        "by_carer_supported:n:0": 72,
        "by_carer_supported:n:rest": 25,
        "by_carer_supported:b:1": 6,
        "by_carer_supported:b:0": 3,
        "trend:n:2019 K1": 12,
        "trend:n:2019 K2": 8,
        "trend:n:2019 K3": 9,
        "trend:n:2019 K4": 12,
        "trend:n:2020 K1": 13,
        "trend:n:2020 K2": 5,
        "trend:n:2020 K3": 6,
        "trend:n:2020 K4": 9,
        "trend:n:2021 K1": 10,
        "trend:n:2021 K2": 11,
        "trend:n:2021 K3": 9,
        "trend:n:2021 K4": 7,
        "trend:n:2022 K1": 10,
        "trend:n:2022 K2": 8,
        "trend:n:2022 K3": 10,
        "trend:n:2022 K4": 8,
        "trend:n:2023 K1": 11,
        "trend:n:2023 K2": 10,
        "trend:n:2023 K3": 7,
        "trend:n:2023 K4": 13,
    },
    "equations": [
        [["b", "p", "c"], "n"],
        [["e01", "e02", "e03", "e04", "e05"], "endings"],
        [["e01"], "p"],
        [["e02", "e03", "e04", "e05"], "b"],
        [["by_type:n:3"], "n"],
        [["by_type:b:3"], "b"],
        [["by_age:n:0", "by_age:n:1", "by_age:n:2", "by_age:n:3", "by_age:n:4"], "n"],
        [["by_age:b:0", "by_age:b:1", "by_age:b:2", "by_age:b:3", "by_age:b:4"], "b"],
        [["by_provider:n:1", "by_provider:n:2"], "n"],
        [["by_provider:b:1", "by_provider:b:2"], "b"],
        [
            [
                "by_matching_conversation:n:1",
                "by_matching_conversation:n:0",
                "by_matching_conversation:n:rest",
            ],
            "n",
        ],
        [["by_matching_conversation:b:1", "by_matching_conversation:b:0"], "b"],
        [["by_met_before_start:n:1", "by_met_before_start:n:0", "by_met_before_start:n:rest"], "n"],
        [["by_met_before_start:b:1", "by_met_before_start:b:0"], "b"],
        [["by_emergency:n:1", "by_emergency:n:rest"], "n"],
        [["by_emergency:b:1"], "b"],
        [["by_perspective_in_time:n:1", "by_perspective_in_time:n:0", "by_perspective_in_time:n:rest"], "n"],
        [["by_perspective_in_time:b:1", "by_perspective_in_time:b:0"], "b"],
        [["by_carer_supported:n:1", "by_carer_supported:n:0", "by_carer_supported:n:rest"], "n"],
        [["by_carer_supported:b:1", "by_carer_supported:b:0"], "b"],
        [
            [
                "trend:n:2019 K1",
                "trend:n:2019 K2",
                "trend:n:2019 K3",
                "trend:n:2019 K4",
                "trend:n:2020 K1",
                "trend:n:2020 K2",
                "trend:n:2020 K3",
                "trend:n:2020 K4",
                "trend:n:2021 K1",
                "trend:n:2021 K2",
                "trend:n:2021 K3",
                "trend:n:2021 K4",
                "trend:n:2022 K1",
                "trend:n:2022 K2",
                "trend:n:2022 K3",
                "trend:n:2022 K4",
                "trend:n:2023 K1",
                "trend:n:2023 K2",
                "trend:n:2023 K3",
                "trend:n:2023 K4",
            ],
            "n",
        ],
    ],
    "keep": ["b"],
    "fixed": [],
    "latent": [
        "by_matching_conversation:n:rest",
        "by_met_before_start:n:rest",
        "by_emergency:n:rest",
        "by_perspective_in_time:n:rest",
        "by_carer_supported:n:rest",
    ],
}


def test_the_demo_crisis_view_hides_the_same_cells_as_the_reference():
    names = list(DEMO_CRISIS["values"])
    index = {n: i for i, n in enumerate(names)}
    values = [DEMO_CRISIS["values"][n] for n in names]
    equations = [([index[p] for p in parts], index[t]) for parts, t in DEMO_CRISIS["equations"]]
    kw = {k: frozenset(index[n] for n in DEMO_CRISIS[k]) for k in ("keep", "fixed", "latent")}
    new, old = _both(values, equations, **kw)
    assert new == old
    assert new.count("s") >= 10
