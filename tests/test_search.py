"""One search over everything: stemming, OR-matching, one scale, visibility, facets, typos."""

import pytest
from django.urls import reverse

from search import indexing, services
from search.models import PendingChange, SearchDocument
from search.text import expand, stem, stems

pytestmark = pytest.mark.django_db


def titles(results):
    return [h.title for h in results.hits]


def test_plural_and_singular_meet_in_the_same_stem():
    assert stem("vergoedingen") == stem("vergoeding")
    assert stems("Weekendgezinnen") == stems("weekendgezin")


def test_a_compound_also_yields_its_head():
    assert stem("vergoeding") in stems("pleegvergoeding")


def test_synonyms_come_from_the_repository_list():
    assert stem("toeslag") in expand(stem("vergoeding"))
    assert stem("logeeropvang") in expand(stem("respijt"))


def test_the_database_index_is_the_default_engine():
    assert services.engine_name() == "database"


def test_a_plural_finds_the_singular(make_article):
    make_article(
        title="Vergoeding voor steungezinnen", body="<p>Ook een steungezin krijgt een vergoeding.</p>"
    )
    assert titles(services.search("vergoedingen")) == ["Vergoeding voor steungezinnen"]


def test_a_question_as_parents_type_it_finds_the_article(make_article):
    make_article(
        title="Pleegvergoeding en bijzondere kosten", body="<p>Een bril valt onder bijzondere kosten.</p>"
    )
    make_article(title="School en onderwijs", body="<p>Inschrijven op een nieuwe school.</p>", slug="school")
    results = services.search("Krijg ik vergoeding voor een bril")
    assert titles(results)[0] == "Pleegvergoeding en bijzondere kosten"
    assert "School en onderwijs" not in titles(results)


def test_scores_are_on_one_scale_with_the_kind_boost(make_article, parent, make_question):
    make_article(title="Vakantie in het buitenland", body="<p>Toestemming voor vakantie.</p>")
    make_question(parent, title="Vakantie naar Frankrijk", text="Mag dat?", status="visible")
    hits = services.search("vakantie", user=parent).hits
    assert {h.kind for h in hits} == {"article", "question"}
    assert all(0 < h.score <= 1 + services.RECENCY_BONUS for h in hits), [(h.title, h.score) for h in hits]
    assert max(h.score for h in hits) == pytest.approx(services.KIND_BOOST[hits[0].kind], abs=0.2)


def test_a_typo_gets_a_did_you_mean_and_still_finds(make_article):
    make_article(title="Omgangsregeling met ouders", body="<p>Contact met de ouders.</p>")
    results = services.search("omgangsregling")
    assert results.did_you_mean == "omgangsregeling"
    assert titles(results)[0] == "Omgangsregeling met ouders"


def test_questions_of_another_region_are_never_shown(parent, make_question, region_b_world):
    other_parent = region_b_world.get("parent")
    if other_parent is None:
        pytest.skip("region B world has no parent")
    make_question(other_parent, title="Zwemles in de Achterhoek", status="visible")
    assert SearchDocument.objects.filter(kind="question", title="Zwemles in de Achterhoek").exists()
    assert titles(services.search("zwemles", user=parent)) == []
    assert titles(services.search("zwemles", user=other_parent)) == ["Zwemles in de Achterhoek"]


def test_a_visitor_sees_no_questions(parent, make_question):
    make_question(parent, title="Zwemles voor een pleegkind", status="visible")
    assert titles(services.search("zwemles")) == []
    assert titles(services.search("zwemles", user=parent)) == ["Zwemles voor een pleegkind"]


def test_a_held_question_is_not_indexed(parent, make_question):
    make_question(parent, title="Zwemles vastgehouden", status="held")
    assert not SearchDocument.objects.filter(title="Zwemles vastgehouden").exists()


def test_mentors_are_found_by_a_coordinator_of_their_region_only(coordinator, parent, support_parent):
    from matching.models import MentorProfile

    MentorProfile.objects.create(
        user=support_parent, about="Ik help graag met pubers en school.", themes=["school"]
    )
    assert [h.kind for h in services.search("pubers", user=coordinator).hits] == ["mentor"]
    assert services.search("pubers", user=parent).hits == []
    assert services.search("pubers").hits == []


def test_facets_count_kinds_and_filters_narrow(make_article, parent, make_question):
    make_article(title="Zakgeld voor pleegkinderen", body="<p>Zakgeld en kleedgeld.</p>")
    make_question(parent, title="Hoeveel zakgeld geven jullie?", status="visible")
    results = services.search("zakgeld", user=parent)
    assert {f["value"]: f["count"] for f in results.facets["kind"]} == {"article": 1, "question": 1}
    only = services.search("zakgeld", user=parent, kind="question")
    assert titles(only) == ["Hoeveel zakgeld geven jullie?"]


def test_respite_offers_are_searchable_with_municipality_facet(respite_world, parent):
    results = services.search("logeren", user=parent)
    assert results.hits and all(h.kind == "respite_offer" for h in results.hits)
    munis = [f["value"] for f in results.facets["municipality"]]
    assert munis
    narrowed = services.search("logeren", user=parent, municipality=munis[0])
    assert narrowed.total == results.facets["municipality"][0]["count"]


def test_deleting_removes_the_document(parent, make_question):
    q = make_question(parent, title="Zwemles weg", status="visible")
    q.delete()
    assert not SearchDocument.objects.filter(title="Zwemles weg").exists()


def test_a_change_is_indexed_after_commit_through_the_worker(
    settings, parent, make_question, django_capture_on_commit_callbacks
):
    settings.SEARCH_INDEX_INLINE = False
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        q = make_question(parent, title="Pleegzorg en zwemles", status="visible")
    # Before commit: only the pending change exists; the index does not yet.
    assert PendingChange.objects.filter(kind="question", object_id=q.pk).exists()
    assert not SearchDocument.objects.filter(object_id=q.pk, kind="question").exists()
    assert indexing.index_lag()["pending"] >= 1
    for callback in callbacks:
        callback()  # the Immediate tasks backend runs the task as the worker would
    assert SearchDocument.objects.filter(object_id=q.pk, kind="question").exists()
    assert not PendingChange.objects.filter(kind="question", object_id=q.pk).exists()


def test_pending_changes_left_by_a_crash_are_caught_up(settings, parent, make_question):
    settings.SEARCH_INDEX_INLINE = False
    q = make_question(parent, title="Zwemles na crash", status="visible")  # on_commit never runs here
    assert indexing.catch_up() >= 1
    assert SearchDocument.objects.filter(kind="question", object_id=q.pk).exists()
    assert indexing.index_lag() == {"pending": 0, "lag_seconds": 0.0}


def test_the_page_shows_facets_and_did_you_mean(client, make_article):
    make_article(title="Omgangsregeling met ouders", body="<p>Contact.</p>")
    html = client.get("/zoeken/", {"q": "omgangsregling"}).content.decode()
    assert "Bedoelde je" in html and "Omgangsregeling met ouders" in html
    assert "Kennisartikel (1)" in html


def test_a_failing_engine_shows_a_notice_instead_of_an_error(client, monkeypatch):
    def boom(*a, **k):
        raise ConnectionError("index down")

    monkeypatch.setattr(services, "_engine_query", boom)
    html = client.get("/zoeken/", {"q": "vergoeding"}).content.decode()
    assert "Een deel van de resultaten is nu niet beschikbaar" in html


def test_the_ask_form_check_shows_a_duplicate_without_javascript(login, parent, make_question):
    make_question(parent, title="Krijg ik pleegvergoeding tijdens de vakantie?", status="visible")
    client = login(parent)
    r = client.post(
        reverse("knowledge:ask"), {"title": "Loopt de vergoeding door in de vakantie", "check": "1"}
    )
    assert "Krijg ik pleegvergoeding tijdens de vakantie?" in r.content.decode()


def test_similar_questions_match_a_partly_typed_word(parent, make_question):
    make_question(parent, title="Krijg ik pleegvergoeding tijdens de vakantie?", status="visible")
    hits = services.similar_questions("pleegvergoeding vakan", user=parent)
    assert [h.title for h in hits] == ["Krijg ik pleegvergoeding tijdens de vakantie?"]


def test_did_you_mean_never_reveals_words_of_content_the_reader_may_not_see(
    parent, make_question, region_b_world
):
    make_question(region_b_world["parent"], title="Paardrijkamp in de Achterhoek", status="visible")
    results = services.search("paardrijkam", user=parent)
    assert results.did_you_mean == "" and results.hits == []
