"""Issue 16 item 2: an expert or moderator marks an answer as applying to one municipality."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from knowledge.models import Answer

pytestmark = pytest.mark.django_db


@pytest.fixture
def question(parent, make_question):
    return make_question(parent, title="Hoeveel krijg ik voor kleding in Zutphen?")


def test_an_expert_sees_the_municipality_choice_with_all_municipalities_as_default(login, staff, question):
    html = login(staff).get(question.get_absolute_url()).content.decode()
    select = re.search(r'<select name="municipality"[^>]*>(.*?)</select>', html, re.S)
    assert select, "the answer form has a municipality field for an expert"
    assert "Geldt voor gemeente" in html
    assert "Kies een gemeente als je antwoord alleen daar geldt" in html
    first_option = re.search(r"<option[^>]*>([^<]*)</option>", select.group(1))
    assert first_option.group(1) == "alle gemeenten" and "selected" in first_option.group(0)
    assert "Zutphen" in select.group(1)
    tag = re.search(r'<select name="municipality"[^>]*>', html).group(0)
    described = re.search(r'aria-describedby="([^"]+)"', tag).group(1).split()
    for id_ in described:
        assert f'id="{id_}"' in html


def test_an_answer_marked_for_zutphen_shows_the_badge(login, staff, question, municipalities):
    client = login(staff)
    response = client.post(
        reverse("knowledge:answer", args=[question.pk]),
        {
            "text": "In Zutphen vraag je dit aan bij het sociaal team.",
            "form_token": "m1",
            "municipality": municipalities["zutphen"].pk,
        },
    )
    assert response.status_code == 302
    answer = Answer.objects.get()
    assert answer.municipality == municipalities["zutphen"]
    html = client.get(question.get_absolute_url()).content.decode()
    assert "Geldt in Zutphen" in html


def test_an_answer_for_all_municipalities_has_no_badge(login, staff, question):
    client = login(staff)
    client.post(
        reverse("knowledge:answer", args=[question.pk]),
        {"text": "Dat geldt overal in de regio.", "form_token": "m2", "municipality": ""},
    )
    assert Answer.objects.get().municipality is None
    assert "Geldt in " not in client.get(question.get_absolute_url()).content.decode()


def test_a_parent_has_no_municipality_choice_and_cannot_forge_one(
    login, support_parent, question, municipalities
):
    client = login(support_parent)
    assert 'name="municipality"' not in client.get(question.get_absolute_url()).content.decode()
    client.post(
        reverse("knowledge:answer", args=[question.pk]),
        {"text": "Bij ons was het zo.", "form_token": "m3", "municipality": municipalities["zutphen"].pk},
    )
    assert Answer.objects.get().municipality is None


def test_the_service_refuses_a_municipality_from_a_parent(support_parent, question, municipalities):
    from knowledge import services

    with pytest.raises(services.KnowledgeError) as exc:
        services.answer_question(
            support_parent, question, text="Bij ons was het zo.", municipality=municipalities["zutphen"]
        )
    assert exc.value.field == "municipality"
    assert not Answer.objects.exists()


def test_a_municipality_of_another_region_is_refused_at_the_field_and_the_text_kept(
    login, staff, question, other_region
):
    from thuisnet.accounts.models import Municipality

    elsewhere = Municipality.objects.create(region=other_region, name="Winterswijk", slug="winterswijk")
    response = login(staff).post(
        reverse("knowledge:answer", args=[question.pk]),
        {"text": "Mijn tekst blijft staan.", "form_token": "m4", "municipality": elsewhere.pk},
    )
    assert response.status_code == 422
    html = response.content.decode()
    assert "Kies een gemeente uit de lijst" in html
    assert "Mijn tekst blijft staan." in html
    assert not Answer.objects.exists()


def test_the_municipal_answer_is_suggested_for_a_question_naming_the_municipality(
    login, staff, parent, question, municipalities
):
    from knowledge import selectors, services

    services.answer_question(
        staff, question, text="In Zutphen via het sociaal team.", municipality=municipalities["zutphen"]
    )
    found = selectors.municipal_suggestions("Kledinggeld in Zutphen?", parent)
    assert any(item["municipality"] == "Zutphen" and "#antwoord-" in item["url"] for item in found)
