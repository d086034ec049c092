"""One search entry point over evenings, vacancies, knowledge articles and questions.

Each app answers for its own content in ``<app>/search_provider.py`` and decides what the
user may see with the policies' ``scope()`` (the same answer as its lists and detail pages,
so nothing of another region or household leaks through search); this module fans the
query out and merges the hits. The engine is
Wagtail's search backend: the database (PostgreSQL full-text search with Dutch stemming,
SQLite FTS5) by default, Elasticsearch 8 when ``ELASTICSEARCH_URL`` is set.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from importlib import import_module

from django.conf import settings

from .types import SearchHit

log = logging.getLogger(__name__)

PROVIDERS = ("foster.search_provider", "knowledge.search_provider", "respite.search_provider")
MAX_QUERY_LENGTH = 200


@dataclass
class SearchResults:
    query: str
    hits: list[SearchHit]
    engine: str
    failed_sources: list[str]


def engine_name() -> str:
    backend = settings.WAGTAILSEARCH_BACKENDS["default"]["BACKEND"]
    return "elasticsearch" if "elasticsearch" in backend else "database"


def search(query: str, *, user=None, limit: int = 30) -> SearchResults:
    query = " ".join((query or "").split())[:MAX_QUERY_LENGTH]
    hits: list[SearchHit] = []
    failed: list[str] = []
    if query:
        for dotted in PROVIDERS:
            try:
                provider = import_module(dotted)
            except ModuleNotFoundError:
                continue
            try:
                hits.extend(provider.search(query, user=user, limit=limit))
            except Exception:  # noqa: BLE001 - one failing source must not hide the others
                log.exception("search provider failed", extra={"provider": dotted})
                failed.append(dotted.split(".")[0])
    # Providers score on different scales; keep each source's order, interleave by rank.
    hits.sort(key=lambda h: -h.score)
    return SearchResults(query=query, hits=hits[:limit], engine=engine_name(), failed_sources=failed)
