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
    Stub.requests, Stub.aliases = [], {}
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
