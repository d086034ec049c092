"""Benchmark: how long the disclosure module takes to protect tables of growing size.

No database; prints seconds per table and how many cells secondary suppression hid::

    .venv/bin/python benchmarks/disclosure.py
"""

from __future__ import annotations

import random
import sys
import time
from pathlib import Path

sys.path[:0] = [str(Path(__file__).resolve().parents[1] / "site")]

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


if __name__ == "__main__":
    main()
