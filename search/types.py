"""What the search app and the apps' providers exchange.

Each app offers ``<app>/search_provider.py`` with, besides its legacy ``search()``:

    KINDS: dict[str, str]                         # kind -> Dutch label
    WATCHED: list[tuple[model, kind, to_id]]      # saves/deletes that change a document
    def documents(kind: str, ids=None) -> Iterable[Document]: ...   # what the index holds
    def visible(user, kind: str, ids: set[int]) -> set[int]: ...    # what ``user`` may open

``visible`` answers with the policies' ``scope()``: the index may hold more than a reader
may see, the result list never does.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime


@dataclass(frozen=True)
class SearchHit:
    title: str
    url: str
    kind: str  # "evening" | "vacancy" | "article" | "question" | "page" | ...
    kind_label: str  # Dutch label shown to the reader, e.g. "Kennisartikel"
    snippet: str = ""
    score: float = 0.0
    extra: dict = field(default_factory=dict)
    # The snippet as safe HTML: text escaped, matched words in <mark> (search.highlight).
    highlight: str = ""


@dataclass
class Document:
    """One searchable thing, the same shape for every kind and every engine."""

    kind: str
    object_id: int
    title: str
    body: str
    url: str
    municipality: str = ""
    region_id: int | None = None
    themes: list[str] = field(default_factory=list)
    family_forms: list[str] = field(default_factory=list)
    starts_at: datetime | None = None
    changed_at: datetime | None = None
    extra: dict = field(default_factory=dict)
