"""Issue 16 item 2: knowledge per municipality."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


def _zutphen_article(make_article, municipalities):
    page = make_article(title="Vergoedingen in Zutphen", all_municipalities=False)
    page.municipalities = [municipalities["zutphen"]]
    page.save_revision().publish()
    return page


def test_a_reader_who_chose_zutphen_sees_zutphens_rules_first(
    client, knowledge_index, make_article, municipalities
):
    make_article(title="Algemene pleegvergoeding")
    _zutphen_article(make_article, municipalities)
    html = client.get(knowledge_index.url + "?gemeente=zutphen").content.decode()
    assert html.index("Vergoedingen in Zutphen") < html.index("Algemene pleegvergoeding")
    assert "geldt in Zutphen" in html
    assert "Je ziet eerst wat in Zutphen geldt" in html
    plain = client.get(knowledge_index.url).content.decode()
    assert plain.index("Algemene pleegvergoeding") < plain.index("Vergoedingen in Zutphen")


def test_the_choice_is_part_of_the_url_not_a_cookie(client, knowledge_index):
    response = client.get(knowledge_index.url + "?gemeente=zutphen")
    assert not [name for name in response.cookies if name != "csrftoken"]
    assert "knowledge/municipality.js" in response.content.decode()


def test_the_money_theme_shows_a_comparison_table(client, knowledge_index, municipalities):
    from knowledge.models import MunicipalRule

    for slug, rule in (("zutphen", "Tot € 600 per jaar"), ("deventer", "Op aanvraag")):
        MunicipalRule.objects.create(
            topic="Bijzondere bijstand", municipality=municipalities[slug], rule=rule
        )
    html = client.get(knowledge_index.url + "?gemeente=zutphen").content.decode()
    assert "Regels per gemeente" in html
    assert html.index(">Zutphen</th>") < html.index(">Deventer</th>")  # chosen column first
    assert "Tot € 600 per jaar" in html


def test_an_article_says_when_it_does_not_apply_to_the_chosen_municipality(
    client, make_article, municipalities
):
    page = _zutphen_article(make_article, municipalities)
    assert "geldt niet voor Deventer" in client.get(page.url + "?gemeente=deventer").content.decode()


def test_the_qa_suggests_the_municipal_answer_when_a_question_names_one(
    login, parent, staff, make_question, municipalities, make_article
):
    from knowledge.models import Answer

    _zutphen_article(make_article, municipalities)
    q = make_question(staff, title="Fiets voor pleegkind")
    Answer.objects.create(
        question=q,
        author=staff,
        text="In Zutphen via bijzondere bijstand.",
        municipality=municipalities["zutphen"],
    )
    response = login(parent).post(
        "/kennis/vragen/stellen/",
        {
            "title": "Vergoedt Zutphen een fiets?",
            "text": "Wij wonen in Zutphen.",
            "theme": "money",
            "check": "1",
        },
    )
    html = response.content.decode()
    assert "Wat in je gemeente geldt" in html
    assert "Vergoedingen in Zutphen" in html and "Fiets voor pleegkind" in html
