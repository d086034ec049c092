"""Relevance figures over the judged set (``tests/search_judgements.json``): MRR and nDCG@10.

MRR: 1 / rank of the first relevant result (0 when none in the first 10), averaged.
nDCG@10: graded gains (the first listed result counts most: grade = n - position), divided
by the ideal ordering's gain.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from pathlib import Path

from django.contrib.auth import get_user_model

from . import services

DEFAULT_FILE = Path(__file__).resolve().parent.parent / "tests" / "search_judgements.json"
USERS = {"parent": "pleegouder@thuisnet.example", "coordinator": "coordinator@thuisnet.example"}


@dataclass
class QueryResult:
    query: str
    rr: float
    ndcg: float
    top: list[str]


def load(path: Path | str = DEFAULT_FILE) -> list[dict]:
    return json.loads(Path(path).read_text(encoding="utf-8"))["queries"]


def _user(name: str):
    email = USERS.get(name)
    if not email:
        return None
    from django.contrib.auth.models import AnonymousUser

    return get_user_model().objects.filter(email=email).first() or AnonymousUser()


def judge(ranked: list[str], relevant: list[str], k: int = 10) -> tuple[float, float]:
    grades = {key: len(relevant) - i for i, key in enumerate(relevant)}
    rr = next((1 / (i + 1) for i, key in enumerate(ranked[:k]) if key in grades), 0.0)
    dcg = sum((2 ** grades.get(key, 0) - 1) / math.log2(i + 2) for i, key in enumerate(ranked[:k]))
    ideal = sorted(grades.values(), reverse=True)[:k]
    idcg = sum((2**g - 1) / math.log2(i + 2) for i, g in enumerate(ideal))
    return rr, (dcg / idcg if idcg else 0.0)


def evaluate(queries: list[dict]) -> tuple[float, float, list[QueryResult]]:
    from django.contrib.auth.models import AnonymousUser

    users: dict[str, object] = {}
    rows = []
    for item in queries:
        who = item.get("as", "visitor")
        if who not in users:
            users[who] = _user(who) or AnonymousUser()
        hits = services.search(item["q"], user=users[who], limit=10).hits
        ranked = [f"{h.kind}:{h.title}" for h in hits]
        rr, ndcg = judge(ranked, item["relevant"])
        rows.append(QueryResult(item["q"], rr, ndcg, ranked[:3]))
    n = len(rows) or 1
    return sum(r.rr for r in rows) / n, sum(r.ndcg for r in rows) / n, rows
