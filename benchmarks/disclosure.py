"""Benchmark: how long the disclosure module takes to protect tables of growing size.

No database; prints seconds per table and how many cells secondary suppression hid, and for
linked tables (the monitor dashboard's demo crisis view and random dashboard-like systems)
the replaced algorithm (``_protect_reference``) beside the current one::

    .venv/bin/python benchmarks/disclosure.py
"""

from __future__ import annotations

import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "site"), str(ROOT / "tests")]

from thuisnet.core import disclosure  # noqa: E402


def _count(rng: random.Random) -> int:
    r = rng.random()
    return 0 if r < 0.2 else rng.randint(1, 9) if r < 0.5 else rng.randint(10, 200)


def main() -> None:
    rng = random.Random(2026)
    print("one-way series (cells with their total)")
    for n in (10, 50, 150, 300):
        cells = [_count(rng) for _ in range(n)]
        t = time.perf_counter()
        result = disclosure.series(cells)
        print(f"  {n:4d} cells: {time.perf_counter() - t:7.3f} s, {result.cells.count('*')} secondary")
    print("two-way tables with row, column and grand totals (linear programmes)")
    for size in (3, 5, 8, 10):
        grid = [[_count(rng) for _ in range(size)] for _ in range(size)]
        t = time.perf_counter()
        shown = disclosure.Table(grid).protect()
        secondary = sum(row.count("*") for row in shown.cells)
        print(f"  {size:2d}x{size:<2d}: {time.perf_counter() - t:7.3f} s, {secondary} secondary")

    print("linked tables (before: every hidden cell asked every round; after: protect())")
    import test_disclosure_linked_speed as cases  # noqa: PLC0415

    demo = cases.DEMO_CRISIS
    names = list(demo["values"])
    index = {n: i for i, n in enumerate(names)}
    systems = [
        (
            "demo crisis view (staff)",
            [demo["values"][n] for n in names],
            [([index[p] for p in parts], index[t]) for parts, t in demo["equations"]],
            {k: frozenset(index[n] for n in demo[k]) for k in ("keep", "fixed", "latent")},
        )
    ]
    for seed in (5, 32, 43):
        values, equations, kw = cases._dashboard_like(random.Random(seed))
        systems.append((f"random dashboard-like #{seed}", values, equations, kw))
    for label, values, equations, kw in systems:
        times = {}
        for name in ("_protect_reference", "protect"):
            system = disclosure._System(list(values), list(equations), **kw)
            t = time.perf_counter()
            getattr(system, name)()
            times[name] = (time.perf_counter() - t, system.status)
        (before, old), (after, new) = times["_protect_reference"], times["protect"]
        print(
            f"  {label:28s} {len(values):3d} quantities: before {before:6.3f} s, after {after:6.3f} s"
            f" ({before / after:4.1f}x), {new.count('s')} secondary, same: {new == old}"
        )


if __name__ == "__main__":
    main()
