"""One search over everything: evenings, vacancies, articles, questions, respite offers,
CMS pages and (for coordinators) mentors.

Each app describes its content and who may open it in ``<app>/search_provider.py``
(``documents`` and ``visible``, the latter with the policies' ``scope()``); ``search.indexing``
keeps one index of documents; an engine (``search.engines``) finds candidates; this module
puts them on one scale, keeps what the reader may open, counts facets and answers.

Ranking on one scale: every engine's raw scores are divided by the best raw score of the
query (so the best match is 1.0, whatever the engine's scale; every match at least
``MATCH_FLOOR``), then multiplied by the kind's
boost (``KIND_BOOST``), and an evening gets up to ``RECENCY_BONUS`` more the sooner it is
(linearly down to nothing at ``RECENCY_DAYS`` days away).
"""

from __future__ import annotations

import difflib
import logging
from dataclasses import dataclass, field
from functools import lru_cache

from django.conf import settings
from django.utils import timezone
from django.utils.text import Truncator

from . import highlight, registry
from .engines import database
from .models import SearchDocument
from .text import stem, synonym_groups, words
from .types import SearchHit

log = logging.getLogger(__name__)

MAX_QUERY_LENGTH = 200
# Articles answer most questions parents type; questions with an accepted answer come next.
KIND_BOOST = {
    "article": 1.0,
    "question": 0.9,
    "respite_offer": 0.9,
    "evening": 0.85,
    "vacancy": 0.8,
    "page": 0.5,  # the home page mentions everything; rarely the answer
    "mentor": 0.8,
}
PUBLIC_KINDS = ("article", "evening", "vacancy", "page", "respite_offer")
RECENCY_BONUS = 0.15
# Every match is worth something: BM25 gives a word found in most documents almost nothing
# (in a small index a real match could otherwise score 0).
MATCH_FLOOR = 0.1
RECENCY_DAYS = 60
# An article that applies to one municipality (its allowance, its contacts) is the answer for
# readers there; elsewhere the general article comes first. Only for articles: an evening's
# municipality is where it is held, not whom it applies to.
ELSEWHERE_FACTOR = 0.8


@dataclass
class SearchResults:
    query: str
    hits: list[SearchHit]
    engine: str
    failed_sources: list[str] = field(default_factory=list)
    facets: dict = field(default_factory=dict)
    did_you_mean: str = ""
    total: int = 0


def engine_name() -> str:
    return "elasticsearch" if getattr(settings, "ELASTICSEARCH_URL", "") else "database"


def clean(query: str) -> str:
    return " ".join((query or "").split())[:MAX_QUERY_LENGTH]


# --- "bedoelde je ...?" -----------------------------------------------------------------------


def _vocabulary_key() -> tuple:
    last = SearchDocument.objects.order_by("-indexed_at").values_list("indexed_at", flat=True).first()
    return (SearchDocument.objects.count(), last)


@lru_cache(maxsize=2)
def _vocabulary(_key: tuple) -> tuple[frozenset[str], frozenset[str]]:
    vocab: set[str] = set()
    # Only kinds everyone may read: a suggestion must never reveal a word of a question of
    # another region or of a mentor's profile.
    public = SearchDocument.objects.filter(kind__in=PUBLIC_KINDS)
    for title, body in public.values_list("title", "body").iterator():
        vocab.update(w for w in words(f"{title} {body}") if len(w) > 2 and not w.isdigit())
    # Words of the synonym list are known words too ("toeslag" is no typo of "toeslagen").
    vocab.update(w for group in synonym_groups() for phrase in group for w in words(phrase))
    return frozenset(vocab), frozenset(stem(w) for w in vocab)


def correct(raw_words: list[str]) -> tuple[list[str], bool]:
    """Replace words the index has never seen by the closest word it has (typos)."""
    vocab, vocab_stems = _vocabulary(_vocabulary_key())
    out, changed = [], False
    for w in raw_words:
        if w in vocab or stem(w) in vocab_stems or len(w) < 4 or w.isdigit():
            out.append(w)
            continue
        close = difflib.get_close_matches(w, vocab, n=1, cutoff=0.75)
        if close:
            out.append(close[0])
            changed = True
        else:
            out.append(w)
    return out, changed


# --- ranking ----------------------------------------------------------------------------------


def _final_score(norm: float, doc: SearchDocument, now, reader_municipality: str | None = None) -> float:
    score = norm * KIND_BOOST.get(doc.kind, 0.7)
    if doc.kind == "article" and doc.municipality and doc.municipality != reader_municipality:
        score *= ELSEWHERE_FACTOR
    if doc.kind == "evening" and doc.starts_at:
        days = (doc.starts_at - now).total_seconds() / 86400
        if 0 <= days <= RECENCY_DAYS:
            score += RECENCY_BONUS * (1 - days / RECENCY_DAYS)
    return round(score, 4)


def _reader_municipality(user) -> str | None:
    """The municipality of the reader's household (their own rules first), if they have one."""
    household = getattr(user, "household", None) if getattr(user, "is_authenticated", False) else None
    municipality = getattr(household, "municipality", None) if household is not None else None
    return municipality.name if municipality is not None else None


def _visible(user, candidates: list[tuple[str, int, float]]) -> set[tuple[str, int]]:
    by_kind: dict[str, set[int]] = {}
    for kind, object_id, _s in candidates:
        by_kind.setdefault(kind, set()).add(object_id)
    allowed = set()
    for kind, ids in by_kind.items():
        provider = registry.providers().get(kind)
        if provider is None:
            continue
        allowed |= {(kind, i) for i in provider.visible(user, kind, ids)}
    return allowed


def _scope(user, kinds: list[str]) -> dict[str, set[int]]:
    """kind -> every indexed id of that kind the reader may open (the providers' ``visible``,
    i.e. the policies' ``scope()``). Elasticsearch gets this as a filter of the query, so
    its aggregations never count what the reader may not open. One query for the ids plus
    one per kind, whatever the size of the index."""
    ids: dict[str, set[int]] = {k: set() for k in kinds}
    for kind, object_id in SearchDocument.objects.filter(kind__in=kinds).values_list("kind", "object_id"):
        ids[kind].add(object_id)
    providers = registry.providers()
    return {
        k: set(providers[k].visible(user, k, v)) if v and k in providers else set() for k, v in ids.items()
    }


def _engine_query(stems_, raw, kinds, prefix, *, user=None, municipality=None):
    """Candidates ``[(kind, id, raw score)]`` and, from Elasticsearch, its ``Answer``
    (total, facets from aggregations, highlights); ``None`` from the database engine."""
    if engine_name() == "elasticsearch":
        from .engines import elastic

        answer = elastic.search(
            " ".join(raw),
            kinds=kinds,
            visible=_scope(user, kinds or registry.kinds()),
            municipality=municipality,
        )
        return answer.candidates, answer
    return database.query(stems_, raw, kinds=kinds, prefix_last=prefix), None


def search(
    query: str,
    *,
    user=None,
    kind: str | list[str] | None = None,
    municipality: str | None = None,
    limit: int = 30,
    prefix: bool = False,
) -> SearchResults:
    """The one entry point: page, API and the ask form's similar questions call this."""
    query = clean(query)
    results = SearchResults(query=query, hits=[], engine=engine_name())
    raw = words(query)
    if not raw:
        return results
    kinds = [kind] if isinstance(kind, str) and kind else (list(kind) if kind else None)
    corrected, changed = correct(raw)
    try:
        candidates, answer = _engine_query(
            [stem(w) for w in corrected],
            raw if engine_name() == "elasticsearch" else corrected,
            kinds,
            prefix,
            user=user,
            municipality=municipality,
        )
    except Exception:  # noqa: BLE001 - a broken engine must answer "not available", not 500
        log.exception("search engine failed")
        results.failed_sources = [results.engine]
        return results
    if changed:
        results.did_you_mean = " ".join(corrected)
    allowed = _visible(user, candidates)
    candidates = [c for c in candidates if (c[0], c[1]) in allowed]
    if not candidates:
        return results
    best = max(s for _k, _i, s in candidates) or 1.0
    docs = _load(candidates)
    now = timezone.now()
    reader_place = municipality or _reader_municipality(user)
    scored = []
    for kind_, object_id, raw_score in candidates:
        doc = docs.get((kind_, object_id))
        if doc is None:
            continue
        norm = max(raw_score, 0.0) / best if best > 0 else 0.0
        scored.append((_final_score(MATCH_FLOOR + (1 - MATCH_FLOOR) * norm, doc, now, reader_place), doc))
    if answer is not None:
        results.facets = _facets_from_counts(answer.facets)
    else:
        results.facets = _facets_from_counts(_count([d for _s, d in scored]))
    if municipality:
        scored = [(s, d) for s, d in scored if d.municipality.lower() == municipality.lower()]
    scored.sort(key=lambda sd: (-sd[0], sd[1].title))
    # Elasticsearch counts every visible match (beyond the candidates it sent back).
    results.total = max(answer.total, len(scored)) if answer is not None else len(scored)
    marked = {stem(w) for w in corrected}
    highlights = answer.highlights if answer is not None else {}
    results.hits = [
        _hit(doc, score, highlights.get((doc.kind, doc.object_id)), marked) for score, doc in scored[:limit]
    ]
    return results


def _load(candidates) -> dict:
    from django.db.models import Q

    q = Q()
    by_kind: dict[str, list[int]] = {}
    for kind, object_id, _s in candidates:
        by_kind.setdefault(kind, []).append(object_id)
    for kind, ids in by_kind.items():
        q |= Q(kind=kind, object_id__in=ids)
    return {(d.kind, d.object_id): d for d in SearchDocument.objects.filter(q)}


def _count(docs: list[SearchDocument]) -> dict[str, list[tuple[str, int]]]:
    """The database engine's facets: counted over the visible hits."""
    kinds: dict[str, int] = {}
    munis: dict[str, int] = {}
    for d in docs:
        kinds[d.kind] = kinds.get(d.kind, 0) + 1
        if d.municipality:
            munis[d.municipality] = munis.get(d.municipality, 0) + 1
    return {"kind": list(kinds.items()), "municipality": list(munis.items())}


def _facets_from_counts(counts: dict[str, list[tuple[str, int]]]) -> dict:
    """One facet shape for both engines: ``{name: [{value, label, count}]}``, most first."""
    known = set(registry.kinds())

    def order(pairs):
        return sorted(((v, n) for v, n in pairs if v and n), key=lambda vn: (-vn[1], vn[0]))

    return {
        "kind": [
            {"value": k, "label": registry.label(k), "count": n}
            for k, n in order(counts.get("kind", []))
            if k in known
        ],
        "municipality": [
            {"value": m, "label": m, "count": n} for m, n in order(counts.get("municipality", []))
        ],
    }


def _hit(doc: SearchDocument, score: float, fragment: str | None = None, marked=frozenset()) -> SearchHit:
    snippet = Truncator(" ".join((doc.extra.get("summary") or doc.body).split())).chars(200)
    extra = dict(doc.extra)
    if doc.municipality:
        extra.setdefault("municipality", doc.municipality)
    return SearchHit(
        title=doc.title,
        url=doc.url,
        kind=doc.kind,
        kind_label=registry.label(doc.kind),
        snippet=snippet,
        score=score,
        extra=extra,
        # Elasticsearch's fragment when it sent one, else the snippet with the query's
        # stems marked: the same shape from both engines.
        highlight=fragment or highlight.mark_stems(snippet, set(marked)),
    )


def similar_questions(title: str, *, user=None, limit: int = 5) -> list[SearchHit]:
    """For the ask form: questions and articles like the title typed so far, best first."""
    if len(clean(title)) < 3:
        return []
    return search(title, user=user, kind=["question", "article"], limit=limit, prefix=True).hits


# --- suggest as you type ----------------------------------------------------------------------

SUGGEST_LIMIT = 6
SUGGEST_MIN_LENGTH = 2
SUGGEST_CANDIDATES = 20


def _title_prefix(text: str) -> list[tuple[str, int, str]]:
    """The database engine's completion: titles starting with the text, then titles with a
    word starting with it. One query, at most ``SUGGEST_CANDIDATES`` rows."""
    from django.db.models import Case, IntegerField, Q, Value, When

    rows = (
        SearchDocument.objects.filter(Q(title__istartswith=text) | Q(title__icontains=f" {text}"))
        .annotate(
            first=Case(
                When(title__istartswith=text, then=Value(0)), default=Value(1), output_field=IntegerField()
            )
        )
        .order_by("first", "title")
        .values_list("kind", "object_id", "title")[:SUGGEST_CANDIDATES]
    )
    return list(rows)


def suggest(query: str, *, user=None, limit: int = SUGGEST_LIMIT) -> list[SearchHit]:
    """Titles completing what the reader types in the search box, only what they may open:
    the completion suggester on Elasticsearch, a title prefix on the database engine."""
    text = clean(query)
    if len(text) < SUGGEST_MIN_LENGTH:
        return []
    try:
        if engine_name() == "elasticsearch":
            from .engines import elastic

            found = elastic.complete(text)
        else:
            found = _title_prefix(text)
    except Exception:  # noqa: BLE001 - suggestions are a nicety; the search form still works
        log.exception("search suggestions failed")
        return []
    allowed = _visible(user, [(k, i, 0.0) for k, i, _t in found])
    keep = list(dict.fromkeys((k, i) for k, i, _t in found if (k, i) in allowed))[:limit]
    if not keep:
        return []
    docs = _load([(k, i, 0.0) for k, i in keep])
    return [
        SearchHit(title=d.title, url=d.url, kind=d.kind, kind_label=registry.label(d.kind))
        for d in (docs.get(key) for key in keep)
        if d is not None
    ]
