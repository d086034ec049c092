"""The search provider: articles and questions, never what the user may not see."""

from __future__ import annotations

import pytest
from django.urls import reverse

from knowledge.search_provider import search

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def dutch():
    """Labels are translated at call time; a request in English earlier in the same thread
    leaves English active (LocaleMiddleware does not reset it)."""
    from django.utils import translation

    with translation.override("nl"):
        yield


def test_it_uses_wagtails_database_backend(settings):
    from wagtail.search.backends import get_search_backend

    module = get_search_backend().__class__.__module__
    assert ".backends.database." in module
    if settings.DATABASE_IS_POSTGRES:
        assert module.endswith("postgres")
        assert settings.WAGTAILSEARCH_BACKENDS["default"]["SEARCH_CONFIG"] == "dutch"
    else:
        # FTS5, not the silent plain fallback when the FTS table is missing
        assert module.endswith("sqlite")


def test_it_finds_articles_and_questions(parent, support_parent, make_article, make_question):
    make_article(title="Pleegvergoeding en bijzondere kosten")
    make_question(
        support_parent,
        title="Wie betaalt de bril van ons pleegkind?",
        text="De verzekering vergoedt een deel van de bril.",
    )
    hits = search("bril", user=parent)
    assert [h.kind for h in hits] == ["question"]
    hits = search("pleegvergoeding", user=parent)
    assert {h.kind for h in hits} == {"article"}
    assert hits[0].url.endswith("/pleegvergoeding-en-bijzondere-kosten/")
    assert hits[0].kind_label == "Kennisartikel"


def test_visitors_without_an_account_only_get_articles(make_article, parent, make_question):
    make_article(title="Zakgeld voor pleegkinderen", body="<p>Zakgeld hoort erbij.</p>")
    make_question(parent, title="Hoeveel zakgeld geven jullie?", text="Zakgeld vraag")
    assert {h.kind for h in search("zakgeld", user=None)} == {"article"}


def test_hidden_and_held_questions_never_reach_others(parent, support_parent, staff, make_question):
    make_question(parent, title="Verborgen vraag over logeerpartijtjes", status="hidden")
    make_question(parent, title="Vastgehouden vraag over logeerpartijtjes", status="held")
    assert search("logeerpartijtjes", user=support_parent) == []
    assert search("logeerpartijtjes", user=staff) == []  # even moderators: only visible


def test_questions_of_other_regions_are_not_found(parent, support_parent, make_question, other_region):
    make_question(support_parent, title="Vraag over voogdij in de Achterhoek", region=other_region)
    assert search("voogdij", user=parent) == []


def test_empty_and_huge_queries_are_safe(parent):
    assert search("", user=parent) == []
    assert search("   ", user=parent) == []
    assert isinstance(search("vergoeding " * 500, user=parent), list)


def test_the_suggest_endpoint_returns_json(login, parent, support_parent, make_question):
    make_question(support_parent, title="Schoolkamp en toestemming", theme="school")
    client = login(parent)
    data = client.get(reverse("knowledge:suggest"), {"q": "schoolkamp"}).json()
    assert data["results"][0]["title"] == "Schoolkamp en toestemming"
    assert data["results"][0]["kind"] == "question"
    too_long = client.get(reverse("knowledge:suggest"), {"q": "x" * 201})
    assert too_long.status_code == 422 and too_long.json()["code"] == "too_long"


def test_the_suggest_endpoint_needs_a_participant(login, outsider):
    response = login(outsider).get(reverse("knowledge:suggest"), {"q": "school"})
    assert response.status_code == 403
    assert response.json()["code"] == "permission_denied"


def test_the_search_page_offers_to_ask_when_nothing_is_found(login, parent):
    html = login(parent).get(reverse("knowledge:questions"), {"q": "paardrijden"}).content.decode()
    assert "Geen vragen gevonden." in html
    assert "Stel je vraag" in html
    assert "vraag=paardrijden" in html


@pytest.mark.postgres
def test_dutch_stemming_matches_word_forms(parent, make_article, make_question):
    make_article(title="Vergoedingen voor pleeggezinnen", body="<p>Over de vergoedingen die je krijgt.</p>")
    make_question(parent, title="Welke kosten worden vergoed bij logeren?", text="Logeerpartijen kosten geld")
    kinds = {h.kind for h in search("vergoeding", user=parent)}
    assert "article" in kinds
