"""Suggestions while typing in the site search box, database engine: title prefixes over
what the reader may open, one JSON endpoint, a fixed query budget; and highlights."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from search import highlight, services
from search.text import stem

pytestmark = pytest.mark.django_db

URL = "/zoeken/suggesties/"


@pytest.fixture
def zwem(make_article, parent, make_question, region_b_world):
    return {
        "article": make_article(title="Zwemles en zwemdiploma", body="<p>Zwemles voor je pleegkind.</p>"),
        "own": make_question(parent, title="Zwemles betalen?", status="visible"),
        "held": make_question(parent, title="Zwemles vergoed krijgen", status="held"),
        "other": make_question(region_b_world["parent"], title="Zwemles in de Achterhoek", status="visible"),
    }


def suggested(c, q):
    r = c.get(URL, {"q": q})
    assert r.status_code == 200
    return [s["title"] for s in r.json()["suggestions"]]


def test_a_parent_gets_only_what_they_may_open(zwem, parent, login):
    c = login(parent)
    assert sorted(suggested(c, "zwem")) == ["Zwemles betalen?", "Zwemles en zwemdiploma"]
    # Another region's question and a held one never show, however exactly they are typed.
    assert suggested(c, "Zwemles in de") == []
    assert suggested(c, "Zwemles vergoed") == []


def test_a_visitor_gets_only_public_content(zwem, client):
    assert suggested(client, "zwem") == ["Zwemles en zwemdiploma"]


def test_a_word_inside_the_title_matches_as_a_prefix_after_title_starts(zwem, make_article, client):
    make_article(title="Diploma halen", body="<p>x</p>", slug="diploma-halen")
    make_article(title="Het zwemdiploma B", body="<p>x</p>", slug="zwemdiploma-b")
    # Titles starting with the text come first, then titles with a word starting with it.
    assert suggested(client, "zwem") == ["Zwemles en zwemdiploma", "Het zwemdiploma B"]


def test_the_answer_has_one_shape_and_no_cache(zwem, client):
    r = client.get(URL, {"q": "zwem"})
    data = r.json()
    assert set(data) == {"query", "engine", "suggestions"} and data["engine"] == "database"
    assert set(data["suggestions"][0]) == {"title", "url", "kind", "kind_label"}
    assert "no-cache" in r["Cache-Control"] or "no-store" in r["Cache-Control"]


def test_too_short_is_empty_and_too_long_is_refused(zwem, client):
    assert suggested(client, "z") == []
    r = client.get(URL, {"q": "z" * 201})
    assert r.status_code == 422 and r.json()["code"] == "too_long"


def test_the_query_budget_does_not_grow_with_the_index(zwem, parent, make_question, make_article, login):
    c = login(parent)
    suggested(c, "zwem")  # warm caches (roles, session)

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            suggested(c, "zwem")
        return len(ctx.captured_queries)

    before = count()
    for i in range(6):
        make_question(parent, title=f"Zwemmen met pleegkind {i}", status="visible")
        make_article(title=f"Zwemles deel {i}", body="<p>x</p>", slug=f"zwemles-deel-{i}")
    assert len(suggested(c, "zwem")) == services.SUGGEST_LIMIT
    assert count() == before


def test_the_search_page_has_the_suggest_hook_without_inline_script(client):
    html = client.get("/zoeken/").content.decode()
    assert 'data-suggest-url="/zoeken/suggesties/"' in html
    assert "search/suggest.js" in html
    # The plain form works without JavaScript: a normal field named q in a GET form.
    assert 'name="q"' in html and 'method="get"' in html
    assert "<script>" not in html


def test_database_highlights_mark_matched_stems_and_escape_the_rest():
    html = highlight.mark_stems("Vergoedingen voor een <b>bril</b> & één", {stem("vergoeding")})
    assert html == "<mark>Vergoedingen</mark> voor een &lt;b&gt;bril&lt;/b&gt; &amp; één"


def test_engine_fragments_keep_only_their_own_marks():
    o, c = highlight.OPEN, highlight.CLOSE
    assert highlight.from_engine(f"{o}Pleeg{c}gezin <mark>&") == "<mark>Pleeg</mark>gezin &lt;mark&gt;&amp;"
    assert highlight.from_engine(f"a {o}b") == "a b"  # an unbalanced marker is dropped


def test_the_search_page_shows_the_highlight(make_article, client):
    make_article(title="Vergoeding voor steungezinnen", body="<p>Een steungezin krijgt een vergoeding.</p>")
    hit = services.search("vergoedingen").hits[0]
    assert "<mark>vergoeding</mark>" in hit.highlight
    html = client.get("/zoeken/", {"q": "vergoedingen"}).content.decode()
    assert "<mark>vergoeding</mark>" in html
