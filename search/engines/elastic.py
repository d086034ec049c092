"""The Elasticsearch engine (``ELASTICSEARCH_URL``), built with ``elasticsearch.dsl``.

One index per kind (``<prefix>-<kind>-<timestamp>``) behind an alias (``<prefix>-<kind>``).
``reindex_all`` builds fresh indices, fills them, then moves every alias in one
``_aliases`` call and deletes the old indices: searches never see a half-built index.

Analysis (``dutch`` at index time, ``dutch_search`` at query time): standard tokenizer,
lowercase, ASCII folding, Dutch stop words, the repository's synonym list
(``search/data/synonyms.txt``, as a ``synonym_graph`` filter at query time), Dutch Snowball
stemming. Titles also feed a completion suggester; the search asks for highlights, a
``bedoelde je`` phrase suggestion and facets as terms aggregations.

The service (``search.services``) still decides visibility with the providers and puts the
scores on its one scale; this module answers ``[(kind, object_id, score)]`` like the
database engine.
"""

from __future__ import annotations

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

from .. import registry
from ..text import synonym_groups

CANDIDATES = 200

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


def build_search(text: str, *, kinds=None) -> Search:
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
    s = s.highlight(
        "title", "body", fragment_size=160, number_of_fragments=1, pre_tags=["<mark>"], post_tags=["</mark>"]
    )
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


def build_completion(text: str, *, kinds=None) -> Search:
    indices = [alias(k) for k in (kinds or registry.kinds())]
    return Search(index=indices).suggest(
        "complete", text, completion={"field": "suggest", "size": 5, "skip_duplicates": True}
    )


def query(text: str, *, kinds=None) -> list[tuple[str, int, float]]:
    response = build_search(text, kinds=kinds).using(client()).execute()
    return [(hit.kind, int(hit.object_id), float(hit.meta.score or 0.0)) for hit in response]
