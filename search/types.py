"""What a search provider returns. Each app offers ``<app>/search_provider.py``::

    def search(query: str, *, user=None, limit: int = 20) -> list[SearchHit]: ...

The ``search`` app fans a query out to the providers (database now, Elasticsearch when
``ELASTICSEARCH_URL`` is set) and merges the hits.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class SearchHit:
    title: str
    url: str
    kind: str  # "evening" | "vacancy" | "article" | "question" | "page" | ...
    kind_label: str  # Dutch label shown to the reader, e.g. "Kennisartikel"
    snippet: str = ""
    score: float = 0.0
    extra: dict = field(default_factory=dict)
