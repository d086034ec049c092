"""The Elasticsearch engine (``ELASTICSEARCH_URL``), built with ``elasticsearch.dsl``.

One index per kind (``<prefix>-<kind>-<timestamp>``) behind an alias (``<prefix>-<kind>``).
``reindex_all`` builds fresh indices, fills them, then moves every alias in one
``_aliases`` call and deletes the old indices: searches never see a half-built index.

Analysis (``dutch`` at index time, ``dutch_search`` at query time): standard tokenizer,
lowercase, ASCII folding, Dutch stop words, the repository's synonym list
(``search/data/synonyms.txt``, as a ``synonym_graph`` filter at query time), Dutch Snowball
stemming. Titles also feed a completion suggester; the search asks for highlights, a
``bedoelde je`` phrase suggestion and facets as terms aggregations.

The service (``search.services``) gives ``search`` what the reader may open (kind -> ids,
from the providers' ``visible``) and this module makes it a filter of the query: hits,
total and the ``kind``/``municipality`` aggregations (the facets) then only count what the
reader may open. Highlights come back between private-use markers and are escaped by
``search.highlight``. ``complete`` asks the completion suggester (which knows no bool
filter: the service keeps only what the reader may open). The service puts the scores on
its one scale, as for the database engine.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.conf import settings
from django.utils import timezone
from elasticsearch.dsl import (
    Completion,
    Date,
    Document,
    Index,
    Keyword,
    Long,
    Search,
    Text,
    analyzer,
    connections,
    token_filter,
)

from .. import highlight, registry
from ..text import synonym_groups

CANDIDATES = 200
# The completion suggester cannot filter by visibility: ask for more, the service keeps
# what the reader may open.
COMPLETION_CANDIDATES = 20

dutch_stop = token_filter("dutch_stop", type="stop", stopwords="_dutch_")
dutch_stemmer = token_filter("dutch_stemmer", type="stemmer", language="dutch")


def synonym_lines() -> list[str]:
    return [", ".join(group) for group in synonym_groups()]


dutch_synonyms = token_filter("dutch_synonyms", type="synonym_graph", synonyms=synonym_lines(), lenient=True)
# Index: no synonyms (they would inflate term statistics); query: synonyms, then the same stemming.
dutch = analyzer(
    "dutch", tokenizer="standard", filter=["lowercase", "asciifolding", dutch_stop, dutch_stemmer]
)
dutch_search = analyzer(
    "dutch_search",
    tokenizer="standard",
    filter=["lowercase", "asciifolding", dutch_synonyms, dutch_stop, dutch_stemmer],
)


def prefix() -> str:
    return getattr(settings, "ELASTICSEARCH_INDEX", "") or "thuisnet"


def alias(kind: str) -> str:
    return f"{prefix()}-{kind}"


class SearchDoc(Document):
    """The one document shape; each kind gets a subclass bound to its own alias."""

    kind = Keyword()
    object_id = Long()
    title = Text(analyzer=dutch, search_analyzer=dutch_search, fields={"raw": Keyword()})
    body = Text(analyzer=dutch, search_analyzer=dutch_search)
    url = Keyword(index=False)
    municipality = Keyword()
    region_id = Long()
    themes = Keyword(multi=True)
    family_forms = Keyword(multi=True)
    starts_at = Date()
    suggest = Completion(analyzer="simple")


def document_class(kind: str) -> type[SearchDoc]:
    return type(f"SearchDoc_{kind}", (SearchDoc,), {"Index": type("Index", (), {"name": alias(kind)})})


def index_for(name: str) -> Index:
    index = Index(name)
    index.settings(number_of_shards=1, number_of_replicas=0)
    index.analyzer(dutch)
    index.analyzer(dutch_search)
    index.document(SearchDoc)
    return index


def client():
    try:
        return connections.get_connection("thuisnet")
    except KeyError:
        return connections.create_connection(
            "thuisnet", hosts=[settings.ELASTICSEARCH_URL], request_timeout=5, max_retries=0
        )


def to_es(doc, kind: str) -> SearchDoc:
    cls = document_class(kind)
    return cls(
        meta={"id": doc.object_id},
        kind=doc.kind,
        object_id=doc.object_id,
        title=doc.title,
        body=doc.body,
        url=doc.url,
        municipality=doc.municipality or None,
        region_id=doc.region_id,
        themes=doc.themes,
        family_forms=doc.family_forms,
        starts_at=doc.starts_at,
        suggest={"input": [doc.title]},
    )


def write(docs) -> None:
    es = client()
    for doc in docs:
        to_es(doc, doc.kind).save(using=es, index=alias(doc.kind))


def remove(kind: str, object_ids) -> None:
    es = client()
    for object_id in object_ids:
        es.options(ignore_status=404).delete(index=alias(kind), id=str(object_id))


def reindex_all(kinds=None) -> dict:
    """Zero-downtime rebuild: new index per kind, fill it, switch the alias, drop the old."""
    from elasticsearch.helpers import bulk

    es = client()
    stamp = timezone.now().strftime("%Y%m%d%H%M%S")
    counts, actions, old = {}, [], []
    for kind in kinds or registry.kinds():
        name = f"{alias(kind)}-{stamp}"
        index_for(name).create(using=es)
        docs = list(registry.providers()[kind].documents(kind))
        bulk(es, (to_es(d, kind).to_dict(include_meta=True) | {"_index": name} for d in docs), refresh=True)
        existing = es.options(ignore_status=404).indices.get_alias(name=alias(kind))
        if getattr(existing, "meta", None) is not None and existing.meta.status == 404:
            # A write before the first rebuild may have auto-created an index under the
            # alias name; it must go, or the alias cannot be added.
            es.options(ignore_status=404).indices.delete(index=alias(kind))
        current = [
            i
            for i in (existing.body if hasattr(existing, "body") else existing or {})
            if i != "error" and i != "status"
        ]
        actions += [{"remove": {"index": i, "alias": alias(kind)}} for i in current]
        actions.append({"add": {"index": name, "alias": alias(kind)}})
        old += current
        counts[kind] = len(docs)
    es.indices.update_aliases(actions=actions)
    for name in old:
        es.options(ignore_status=404).indices.delete(index=name)
    return counts


def build_search(text: str, *, kinds=None, visible: dict | None = None, municipality=None) -> Search:
    """The query body. ``visible`` (kind -> ids the reader may open) becomes a filter of the
    query itself, so the hits, the total and the aggregations (the facets) all count only
    what the reader may open. ``municipality`` is a post filter: it narrows the hits, while
    the municipality facet still lists every municipality (as the database engine does)."""
    if visible is not None:
        kinds = [k for k in (kinds or registry.kinds()) if visible.get(k)]
    indices = [alias(k) for k in (kinds or registry.kinds())]
    s = Search(index=indices).extra(size=CANDIDATES, track_total_hits=True)
    s = s.query(
        "multi_match",
        query=text,
        fields=["title^4", "body"],
        operator="or",
        fuzziness="AUTO",
        prefix_length=1,
    )
    if visible is not None:
        s = s.filter(
            "bool",
            should=[
                {"bool": {"filter": [{"term": {"kind": k}}, {"terms": {"object_id": sorted(visible[k])}}]}}
                for k in kinds
            ],
            minimum_should_match=1,
        )
    if municipality:
        s = s.post_filter("term", municipality=municipality)
    # Private-use markers, not <mark>: the fragment is source text, escaped by
    # ``search.highlight`` before only these markers become <mark>.
    s = s.highlight_options(
        fragment_size=160,
        number_of_fragments=1,
        no_match_size=0,
        pre_tags=[highlight.OPEN],
        post_tags=[highlight.CLOSE],
    ).highlight("title", "body")
    s.aggs.bucket("kind", "terms", field="kind", size=20)
    s.aggs.bucket("municipality", "terms", field="municipality", size=50)
    s = s.suggest(
        "did_you_mean",
        text,
        phrase={
            "field": "title",
            "size": 1,
            "gram_size": 1,
            "direct_generator": [{"field": "title", "suggest_mode": "missing"}],
        },
    )
    return s


def build_completion(text: str, *, kinds=None, size: int = COMPLETION_CANDIDATES) -> Search:
    indices = [alias(k) for k in (kinds or registry.kinds())]
    return (
        Search(index=indices)
        .extra(size=0)
        .source(["kind", "object_id", "title"])
        .suggest("complete", text, completion={"field": "suggest", "size": size, "skip_duplicates": True})
    )


@dataclass
class Answer:
    """What one Elasticsearch search gives the service."""

    candidates: list[tuple[str, int, float]] = field(default_factory=list)
    total: int = 0
    # facet name -> [(value, count)], from the aggregations of the visibility-filtered query
    facets: dict[str, list[tuple[str, int]]] = field(default_factory=dict)
    # (kind, object_id) -> safe HTML fragment (body preferred, else title)
    highlights: dict[tuple[str, int], str] = field(default_factory=dict)


def search(text: str, *, kinds=None, visible: dict | None = None, municipality=None) -> Answer:
    if visible is not None and not any(visible.get(k) for k in (kinds or registry.kinds())):
        return Answer()  # the reader may open nothing of these kinds: nothing to ask
    s = build_search(text, kinds=kinds, visible=visible, municipality=municipality)
    response = s.using(client()).execute()
    answer = Answer(total=int(response.hits.total.value))
    for hit in response:
        key = (str(hit.kind), int(hit.object_id))
        answer.candidates.append((*key, float(hit.meta.score or 0.0)))
        fragments = hit.meta.to_dict().get("highlight") or {}
        best = (fragments.get("body") or fragments.get("title") or [""])[0]
        if best:
            answer.highlights[key] = highlight.from_engine(best)
    aggs = response.to_dict().get("aggregations", {})
    for name in ("kind", "municipality"):
        answer.facets[name] = [(b["key"], int(b["doc_count"])) for b in aggs.get(name, {}).get("buckets", [])]
    return answer


def complete(text: str, *, kinds=None) -> list[tuple[str, int, str]]:
    """Completion suggester: ``[(kind, object_id, title)]``, best first (not yet filtered
    by visibility: the suggester knows no bool filter, the service filters)."""
    response = build_completion(text, kinds=kinds).using(client()).execute()
    out = []
    for entry in response.to_dict().get("suggest", {}).get("complete", []):
        for option in entry.get("options", []):
            source = option.get("_source") or {}
            if "kind" in source and "object_id" in source:
                out.append((source["kind"], int(source["object_id"]), source.get("title") or option["text"]))
    return out


def query(text: str, *, kinds=None) -> list[tuple[str, int, float]]:
    return search(text, kinds=kinds).candidates
