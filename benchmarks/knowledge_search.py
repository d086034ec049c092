"""Benchmark: knowledge search latency (search provider and the suggest endpoint) with a
few thousand questions, on the database backend.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/thuisnet_knowledge_bench \\
        .venv/bin/python benchmarks/knowledge_search.py [--questions 5000] [--rounds 30]

Works on SQLite too (leave DATABASE_URL unset), which uses FTS5 without stemming. It
creates (or reuses) the database ``test_<name>``, loads the demo region and its knowledge
base, adds generated questions, and prints p50/p95 in milliseconds.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "site")]
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "thuisnet.settings.test")

WORDS = [
    "pleegvergoeding",
    "vakantie",
    "school",
    "toestemming",
    "gezinsvoogd",
    "bezoek",
    "omgang",
    "kinderbijslag",
    "bril",
    "zwemles",
    "reiskosten",
    "paspoort",
    "slapen",
    "boosheid",
    "mentor",
    "brugklas",
    "logeren",
    "verjaardag",
    "studie",
    "huiswerk",
    "sport",
]
QUERIES = [
    "pleegvergoeding",
    "toestemming vakantie",
    "school",
    "omgang bezoek",
    "bril",
    "kinderbijslag",
    "zwemles",
]


def _setup():
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    connection.creation.create_test_db(verbosity=0, keepdb=True, serialize=False)
    call_command("createcachetable", verbosity=0)


def _world(n_questions: int):
    from knowledge import demo
    from knowledge.models import Question
    from thuisnet.accounts.models import User
    from thuisnet.core.demo import load_foundation

    region = load_foundation()
    demo.load(region)
    parent = User.objects.get(email="pleegouder@thuisnet.example")
    have = Question.objects.filter(title__startswith="Bench:").count()
    rnd = random.Random(42)
    for i in range(have, n_questions):
        words = rnd.sample(WORDS, 4)
        Question.objects.create(
            region=region,
            author=parent,
            theme=rnd.choice(["money", "school", "procedures"]),
            title=f"Bench: hoe zit het met {words[0]} en {words[1]}? ({i})",
            text=f"Wij vragen ons af hoe het gaat met {words[2]} en {words[3]}.",
        )
    return parent


def _time(fn, rounds: int) -> tuple[float, float]:
    samples = []
    for _ in range(rounds):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
    samples.sort()
    return statistics.median(samples), samples[int(len(samples) * 0.95) - 1]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--questions", type=int, default=5000)
    parser.add_argument("--rounds", type=int, default=30)
    args = parser.parse_args()
    _setup()
    from django.conf import settings
    from django.test import Client

    from knowledge.models import Question
    from knowledge.search_provider import search

    started = time.perf_counter()
    parent = _world(args.questions)
    print(
        f"database: {'PostgreSQL' if settings.DATABASE_IS_POSTGRES else 'SQLite'}, "
        f"questions: {Question.objects.count()} (setup {time.perf_counter() - started:.1f} s)"
    )
    for q in QUERIES:
        p50, p95 = _time(lambda q=q: search(q, user=parent, limit=20), args.rounds)
        print(f"search({q!r:26}) p50 {p50:7.1f} ms  p95 {p95:7.1f} ms  hits {len(search(q, user=parent))}")
    client = Client()
    client.force_login(parent)
    p50, p95 = _time(lambda: client.get("/kennis/vragen/suggesties/", {"q": "pleegverg"}), args.rounds)
    print(f"GET /kennis/vragen/suggesties/?q=pleegverg p50 {p50:7.1f} ms  p95 {p95:7.1f} ms")
    p50, p95 = _time(lambda: client.get("/kennis/vragen/", {"q": "vakantie"}), args.rounds)
    print(f"GET /kennis/vragen/?q=vakantie           p50 {p50:7.1f} ms  p95 {p95:7.1f} ms")


if __name__ == "__main__":
    main()
