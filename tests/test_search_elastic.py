"""The Elasticsearch engine against Elasticsearch 8's documented request/response shapes.

No server can run here: a small local HTTP stub (sending ``X-Elastic-Product``, which the
client insists on) records each request and answers in the documented shapes. What runs:
the mapping and analysis settings, bulk indexing, the alias switch and the query body.
"""

import contextlib
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from search.engines import elastic

pytestmark = pytest.mark.django_db


class Stub(BaseHTTPRequestHandler):
    requests: list = []
    aliases: dict = {}
    # A test may set the answer to the next searches (hits, aggregations, suggest).
    search_answer: dict | None = None

    def log_message(self, *args):
        pass

    def _answer(self, status: int, body: dict) -> None:
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("X-Elastic-Product", "Elasticsearch")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def _handle(self):
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length).decode() if length else ""
        path = self.path.split("?")[0]
        Stub.requests.append((self.command, path, raw))
        if path == "/_bulk":
            n = len([line for line in raw.splitlines() if line.strip()]) // 2
            return self._answer(200, {"took": 1, "errors": False, "items": [{"index": {"status": 201}}] * n})
        if path.startswith("/_alias/"):
            name = path.rsplit("/", 1)[1]
            if name in Stub.aliases:
                return self._answer(200, {Stub.aliases[name]: {"aliases": {name: {}}}})
            return self._answer(404, {"error": f"alias [{name}] missing", "status": 404})
        if path == "/_aliases":
            for action in json.loads(raw)["actions"]:
                if "add" in action:
                    Stub.aliases[action["add"]["alias"]] = action["add"]["index"]
            return self._answer(200, {"acknowledged": True})
        if path.endswith("/_search") and Stub.search_answer is not None:
            return self._answer(200, Stub.search_answer)
        if path.endswith("/_search"):
            return self._answer(
                200,
                {
                    "took": 2,
                    "timed_out": False,
                    "_shards": {"total": 1, "successful": 1, "skipped": 0, "failed": 0},
                    "hits": {
                        "total": {"value": 1, "relation": "eq"},
                        "max_score": 3.2,
                        "hits": [
                            {
                                "_index": "thuisnet-article-1",
                                "_id": "7",
                                "_score": 3.2,
                                "_source": {"kind": "article", "object_id": 7, "title": "Pleegvergoeding"},
                                "highlight": {"title": ["<mark>Pleegvergoeding</mark>"]},
                            }
                        ],
                    },
                    "aggregations": {
                        "kind": {
                            "doc_count_error_upper_bound": 0,
                            "sum_other_doc_count": 0,
                            "buckets": [{"key": "article", "doc_count": 1}],
                        }
                    },
                },
            )
        if "/_doc/" in path:
            index, _, doc_id = path.strip("/").split("/")
            return self._answer(
                201,
                {
                    "_index": index,
                    "_id": doc_id,
                    "_version": 1,
                    "result": "created",
                    "_shards": {"total": 1, "successful": 1, "failed": 0},
                    "_seq_no": 0,
                    "_primary_term": 1,
                },
            )
        if self.command == "PUT":
            return self._answer(
                200, {"acknowledged": True, "shards_acknowledged": True, "index": path.strip("/")}
            )
        if self.command == "DELETE":
            return self._answer(200, {"acknowledged": True})
        return self._answer(404, {"error": "unknown", "status": 404})

    do_GET = do_PUT = do_POST = do_DELETE = do_HEAD = _handle


@pytest.fixture
def es(settings):
    Stub.requests, Stub.aliases, Stub.search_answer = [], {}, None
    server = ThreadingHTTPServer(("127.0.0.1", 0), Stub)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    settings.ELASTICSEARCH_URL = f"http://127.0.0.1:{server.server_port}"
    from elasticsearch.dsl import connections

    with contextlib.suppress(KeyError):
        connections.remove_connection("thuisnet")
    yield Stub
    server.shutdown()
    with contextlib.suppress(KeyError):
        connections.remove_connection("thuisnet")


def test_the_mapping_has_a_dutch_analyser_with_the_synonym_list():
    body = elastic.index_for("thuisnet-article-1").to_dict()
    analysis = body["settings"]["analysis"]
    assert analysis["analyzer"]["dutch"]["filter"] == [
        "lowercase",
        "asciifolding",
        "dutch_stop",
        "dutch_stemmer",
    ]
    assert "dutch_synonyms" in analysis["analyzer"]["dutch_search"]["filter"]
    assert analysis["filter"]["dutch_stemmer"] == {"type": "stemmer", "language": "dutch"}
    assert analysis["filter"]["dutch_stop"] == {"type": "stop", "stopwords": "_dutch_"}
    synonyms = analysis["filter"]["dutch_synonyms"]
    assert synonyms["type"] == "synonym_graph"
    assert any("respijt" in line and "logeeropvang" in line for line in synonyms["synonyms"])
    props = body["mappings"]["properties"]
    assert props["title"]["search_analyzer"] == "dutch_search" and props["title"]["analyzer"] == "dutch"
    assert props["suggest"]["type"] == "completion"
    assert props["kind"]["type"] == props["municipality"]["type"] == "keyword"
    assert props["starts_at"]["type"] == "date"


def test_the_query_body_has_or_matching_highlights_facets_and_did_you_mean():
    body = elastic.build_search("bril vergoeding", kinds=["article"]).to_dict()
    assert body["query"]["multi_match"]["operator"] == "or"
    assert body["query"]["multi_match"]["fields"] == ["title^4", "body"]
    assert set(body["highlight"]["fields"]) == {"title", "body"}
    assert body["aggs"]["kind"] == {"terms": {"field": "kind", "size": 20}}
    assert body["aggs"]["municipality"]["terms"]["field"] == "municipality"
    assert body["suggest"]["did_you_mean"]["phrase"]["field"] == "title"
    completion = elastic.build_completion("pleegv").to_dict()
    assert completion["suggest"]["complete"]["completion"]["field"] == "suggest"


def test_reindex_builds_new_indices_and_switches_the_aliases(es, make_article):
    make_article(title="Pleegvergoeding", body="<p>Over geld.</p>")
    counts = elastic.reindex_all(["article"])
    assert counts == {"article": 1}
    # Saving the article wrote it through the alias too (after-commit indexing, inline in tests).
    assert any("/thuisnet-article/_doc/" in p for _m, p, _b in es.requests)
    es.requests[:] = [r for r in es.requests if "/_doc/" not in r[1]]
    methods = [(m, p) for m, p, _b in es.requests]
    created = next(p for m, p in methods if m == "PUT")
    assert created.startswith("/thuisnet-article-")
    put_body = json.loads(next(b for m, p, b in es.requests if m == "PUT"))
    assert "dutch" in put_body["settings"]["analysis"]["analyzer"]
    bulk = next(b for m, p, b in es.requests if p == "/_bulk").splitlines()
    assert json.loads(bulk[0])["index"]["_index"] == created.strip("/")
    assert json.loads(bulk[1])["title"] == "Pleegvergoeding"
    switch = json.loads(next(b for m, p, b in es.requests if p == "/_aliases"))
    assert switch["actions"][-1] == {"add": {"index": created.strip("/"), "alias": "thuisnet-article"}}
    # A second rebuild removes the alias from the old index and deletes it.
    es.requests.clear()
    elastic.reindex_all(["article"])
    switch = json.loads(next(b for m, p, b in es.requests if p == "/_aliases"))
    assert switch["actions"][0] == {"remove": {"index": created.strip("/"), "alias": "thuisnet-article"}}
    assert ("DELETE", created) in [(m, p) for m, p, _b in es.requests]


def test_a_query_answers_kind_id_and_score(es):
    assert elastic.query("pleegvergoeding", kinds=["article"]) == [("article", 7, 3.2)]
    method, path, body = es.requests[-1]
    assert (
        path == "/thuisnet-article/_search"
        and json.loads(body)["query"]["multi_match"]["query"] == "pleegvergoeding"
    )


# --- facets from aggregations, highlights, completion (through the service) ----------------

SHARDS = {"total": 1, "successful": 1, "skipped": 0, "failed": 0}


def es_hit(kind, object_id, score, title, highlight=None):
    hit = {
        "_index": f"thuisnet-{kind}-1",
        "_id": str(object_id),
        "_score": score,
        "_source": {"kind": kind, "object_id": object_id, "title": title},
    }
    if highlight:
        hit["highlight"] = highlight
    return hit


def es_answer(hits, *, total=None, aggs=None, suggest=None):
    body = {
        "took": 1,
        "timed_out": False,
        "_shards": SHARDS,
        "hits": {
            "total": {"value": len(hits) if total is None else total, "relation": "eq"},
            "max_score": max((h["_score"] for h in hits), default=None),
            "hits": hits,
        },
    }
    if aggs is not None:
        body["aggregations"] = aggs
    if suggest is not None:
        body["suggest"] = suggest
    return body


def buckets(*pairs):
    return {
        "doc_count_error_upper_bound": 0,
        "sum_other_doc_count": 0,
        "buckets": [{"key": k, "doc_count": n} for k, n in pairs],
    }


def last_search(es):
    method, path, body = [r for r in es.requests if r[1].endswith("/_search")][-1]
    return path, json.loads(body)


def visibility_clauses(body) -> dict:
    """kind -> object ids of the query's visibility filter."""
    (outer,) = body["query"]["bool"]["filter"]
    out = {}
    for clause in outer["bool"]["should"]:
        kind_term, ids_terms = clause["bool"]["filter"]
        out[kind_term["term"]["kind"]] = ids_terms["terms"]["object_id"]
    assert outer["bool"]["minimum_should_match"] == 1
    return out


@pytest.fixture
def zwem_world(make_article, parent, make_question, region_b_world):
    other_parent = region_b_world["parent"]
    return {
        "article": make_article(title="Zwemles en zwemdiploma", body="<p>Zwemles voor je pleegkind.</p>"),
        "own": make_question(parent, title="Zwemles betalen?", status="visible"),
        "held": make_question(parent, title="Zwemles vergoed krijgen", status="held"),
        "other": make_question(other_parent, title="Zwemles in de Achterhoek", status="visible"),
    }


def test_aggregations_run_over_the_readers_visibility_filter_and_become_the_facets(es, zwem_world, parent):
    from search import registry, services

    w = zwem_world
    es.search_answer = es_answer(
        [
            es_hit("article", w["article"].pk, 5.0, "Zwemles en zwemdiploma"),
            es_hit("question", w["own"].pk, 2.5, "Zwemles betalen?"),
        ],
        total=6,
        aggs={"kind": buckets(("article", 4), ("question", 2)), "municipality": buckets(("Deventer", 3))},
    )
    results = services.search("zwemles", user=parent)
    path, body = last_search(es)
    scope = visibility_clauses(body)
    # The parent's own region's visible question only: never the held one or region B's.
    assert scope["question"] == [w["own"].pk]
    assert scope["article"] == [w["article"].pk]
    assert "mentor" not in scope and "thuisnet-mentor" not in path
    # The aggregations belong to the same (filtered) request; no municipality post filter.
    assert body["aggs"] == {
        "kind": {"terms": {"field": "kind", "size": 20}},
        "municipality": {"terms": {"field": "municipality", "size": 50}},
    }
    assert "post_filter" not in body
    # Facets and total come from the index's aggregations, not from counting the hits.
    assert results.facets["kind"] == [
        {"value": "article", "label": registry.label("article"), "count": 4},
        {"value": "question", "label": registry.label("question"), "count": 2},
    ]
    assert results.facets["municipality"] == [{"value": "Deventer", "label": "Deventer", "count": 3}]
    assert results.total == 6
    assert [h.title for h in results.hits] == ["Zwemles en zwemdiploma", "Zwemles betalen?"]


def test_a_visitor_gets_no_question_in_the_filter_and_a_stray_hit_is_still_dropped(es, zwem_world):
    from search import services

    w = zwem_world
    # A misbehaving index answering a question anyway: the service's own check drops it.
    es.search_answer = es_answer(
        [es_hit("question", w["other"].pk, 9.0, "Zwemles in de Achterhoek")],
        aggs={"kind": buckets(("question", 1))},
    )
    results = services.search("zwemles")
    _path, body = last_search(es)
    scope = visibility_clauses(body)
    assert "article" in scope and "question" not in scope
    assert results.hits == []


def test_a_municipality_narrows_the_hits_as_a_post_filter(es, zwem_world, parent):
    from search import services

    es.search_answer = es_answer([], aggs={"kind": buckets(), "municipality": buckets()})
    services.search("zwemles", user=parent, municipality="Deventer")
    _path, body = last_search(es)
    assert body["post_filter"] == {"term": {"municipality": "Deventer"}}
    assert "aggs" in body and visibility_clauses(body)["question"] == [zwem_world["own"].pk]


def test_highlights_are_escaped_except_the_engines_marks(es, zwem_world, parent):
    from search import highlight, services

    w = zwem_world
    fragment = f"Betaal de {highlight.OPEN}zwemles{highlight.CLOSE} <script>alert(1)</script> & één <mark>x"
    es.search_answer = es_answer(
        [es_hit("article", w["article"].pk, 5.0, "Zwemles en zwemdiploma", {"body": [fragment]})],
        aggs={"kind": buckets(("article", 1))},
    )
    hit = services.search("zwemles", user=parent).hits[0]
    assert hit.highlight == (
        "Betaal de <mark>zwemles</mark> &lt;script&gt;alert(1)&lt;/script&gt; &amp; één &lt;mark&gt;x"
    )
    _path, body = last_search(es)
    assert body["highlight"]["pre_tags"] == [highlight.OPEN]
    assert body["highlight"]["post_tags"] == [highlight.CLOSE]


def test_the_api_gives_the_same_shape_on_elasticsearch(es, zwem_world, client):
    w = zwem_world
    es.search_answer = es_answer(
        [
            es_hit(
                "article",
                w["article"].pk,
                5.0,
                "Zwemles en zwemdiploma",
                {"title": ["\ue000Zwemles\ue001 en"]},
            )
        ],
        aggs={"kind": buckets(("article", 1)), "municipality": buckets()},
    )
    data = client.get("/api/v1/search/", {"q": "zwemles"}).json()
    assert data["engine"] == "elasticsearch"
    assert set(data["hits"][0]) == {
        "title",
        "url",
        "kind",
        "kind_label",
        "snippet",
        "highlight",
        "score",
        "municipality",
        "starts_at",
    }
    assert data["hits"][0]["highlight"] == "<mark>Zwemles</mark> en"
    assert data["facets"] == {
        "kind": [{"value": "article", "label": "Kennisartikel", "count": 1}],
        "municipality": [],
    }


def completion_option(kind, object_id, title):
    return {
        "text": title,
        "_index": f"thuisnet-{kind}-1",
        "_id": str(object_id),
        "_score": 1.0,
        "_source": {"kind": kind, "object_id": object_id, "title": title},
    }


def test_suggestions_use_the_completion_suggester_and_keep_what_the_reader_may_open(
    es, zwem_world, parent, login
):
    w = zwem_world
    es.search_answer = es_answer(
        [],
        suggest={
            "complete": [
                {
                    "text": "zwem",
                    "offset": 0,
                    "length": 4,
                    "options": [
                        completion_option("question", w["other"].pk, "Zwemles in de Achterhoek"),
                        completion_option("question", w["held"].pk, "Zwemles vergoed krijgen"),
                        completion_option("question", w["own"].pk, "Zwemles betalen?"),
                        completion_option("article", w["article"].pk, "Zwemles en zwemdiploma"),
                    ],
                }
            ]
        },
    )
    c = login(parent)
    data = c.get("/zoeken/suggesties/", {"q": "zwem"}).json()
    assert data["engine"] == "elasticsearch"
    assert [s["title"] for s in data["suggestions"]] == ["Zwemles betalen?", "Zwemles en zwemdiploma"]
    assert data["suggestions"][0]["url"] and data["suggestions"][1]["kind_label"] == "Kennisartikel"
    _path, body = last_search(es)
    assert body["suggest"]["complete"]["prefix"] == "zwem"
    assert body["suggest"]["complete"]["completion"] == {
        "field": "suggest",
        "size": elastic.COMPLETION_CANDIDATES,
        "skip_duplicates": True,
    }
    assert body["size"] == 0
    assert body["_source"] == ["kind", "object_id", "title"]
