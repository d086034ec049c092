"""Benchmark: a matching round of 5,000 mentees over 2,000 mentors with capacities 1 to 3.

No database: the sides are generated in memory (``matching.scoring.Side``) and go through the
same ``rounds.plan`` the coordinator's round uses (hard constraints, weighted scores with Dutch
reasons, the optimal assignment), then the solver alone with the sparse and dense formulations.
Prints seconds and peak Python memory (tracemalloc, includes numpy buffers)::

    .venv/bin/python benchmarks/matching_round.py [mentees] [mentors]
"""

from __future__ import annotations

import os
import random
import sys
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "site")]
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "thuisnet.settings.test")

import django  # noqa: E402

django.setup()

import numpy as np  # noqa: E402

from matching import assignment  # noqa: E402
from matching.rounds import plan  # noqa: E402
from matching.scoring import Rules, Side  # noqa: E402

FORMS = ["foster", "support", "family_home"]
BANDS = ["0-3", "4-11", "12-17", "18+"]
NEEDS = ["lvb", "medical", "behaviour", "autism", "trauma", "physical"]
LANGS = ["nl", "en", "ar", "tr", "pl"]
WHEN = ["daytime", "evening", "weekend"]


def _side(rng: random.Random, key: int, mentor: bool) -> Side:
    form = rng.choice(FORMS)
    return Side(
        key=key,
        household_id=key + (10**6 if mentor else 0),
        family_form=form,
        municipality_id=rng.randrange(60),
        municipality_name="",
        provider_id=rng.randrange(12),
        # A region about 60 x 60 km around Deventer.
        point=(52.25 + rng.uniform(-0.27, 0.27), 6.16 + rng.uniform(-0.44, 0.44)),
        family_forms=rng.sample(FORMS, rng.randint(1, 2)) if mentor else [],
        age_bands=rng.sample(BANDS, rng.randint(1, 3)),
        needs=rng.sample(NEEDS, rng.randint(0, 3)),
        languages=["nl"] + rng.sample(LANGS[1:], rng.randint(0, 1)),
        availability=rng.sample(WHEN, rng.randint(1, 3)),
        max_travel_km=rng.choice([15, 25, 40]),
        same_village_ok=rng.random() < 0.3,
    )


def _measure(label: str, fn):
    tracemalloc.start()
    t = time.perf_counter()
    result = fn()
    seconds = time.perf_counter() - t
    peak = tracemalloc.get_traced_memory()[1] / 1e6
    tracemalloc.stop()
    print(f"{label:<52} {seconds:8.2f} s   peak {peak:8.1f} MB")
    return result


def main() -> None:
    n_mentees = int(sys.argv[1]) if len(sys.argv) > 1 else 5000
    n_mentors = int(sys.argv[2]) if len(sys.argv) > 2 else 2000
    rng = random.Random(2026)
    mentees = [_side(rng, i, False) for i in range(n_mentees)]
    mentors = [_side(rng, i, True) for i in range(n_mentors)]
    room = {m.key: rng.randint(1, 3) for m in mentors}
    waiting = {m.key: rng.uniform(0, 120) for m in mentees}
    rules = Rules(weights={}, forbid_own_provider=True)
    print(f"{n_mentees} mentees, {n_mentors} mentors, {sum(room.values())} slots")
    pairs, unmatched = _measure(
        "whole round (constraints, scores, reasons, solve)",
        lambda: plan(mentees, mentors, waiting, room, rules),
    )
    print(f"  matched {len(pairs)}, unmatched {len(unmatched)}")

    # The solver alone on random allowed edges (30% of pairs), both formulations.
    nrng = np.random.default_rng(2026)
    caps = nrng.integers(1, 4, n_mentors)
    em, en = np.nonzero(nrng.random((n_mentees, n_mentors)) < 0.3)
    problem = assignment.Problem(
        n_mentees, caps, em, en, nrng.integers(0, 12, len(em)).astype(float), nrng.uniform(0, 120, n_mentees)
    )
    print(f"solver alone: {len(em):,} allowed pairs")
    for method in ("sparse", "dense"):
        chosen = _measure(f"  {method}", lambda m=method: assignment.solve(problem, m))
        print(f"    matched {len(chosen)}")


if __name__ == "__main__":
    main()
