"""Asking a question: the form, its bad-input messages, anonymity, PII holds, flood limit."""

from __future__ import annotations

import pytest
from django.urls import reverse

from knowledge.models import ModerationAction, Question

pytestmark = pytest.mark.django_db

ASK = reverse("knowledge:ask")


def _post(client, **data):
    payload = {
        "title": "Mag ons pleegkind mee op schoolkamp naar Texel?",
        "text": "Het kamp is drie dagen en de school vraagt een handtekening.",
        "theme": "school",
        "tags": "kamp, Toestemming , kamp",
        "form_token": "tok-1",
    }
    payload.update(data)
    return client.post(ASK, payload)


def test_a_parent_asks_a_question_and_sees_it(login, parent):
    client = login(parent)
    response = _post(client)
    question = Question.objects.get()
    assert response.status_code == 302 and response.url == question.get_absolute_url()
    assert question.status == "visible"
    assert question.tags == "kamp, toestemming"
    page = client.get(question.get_absolute_url())
    assert "Mag ons pleegkind mee op schoolkamp naar Texel?" in page.content.decode()


def test_it_rejects_an_empty_question_and_keeps_the_text(login, parent):
    response = _post(login(parent), title="   ")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Vul je vraag in." in html
    assert "Het kamp is drie dagen" in html  # nothing lost
    assert not Question.objects.exists()


def test_it_rejects_a_too_long_question_with_the_length_and_keeps_it(login, parent):
    long_title = "Waarom " + "heel " * 40 + "lang?"
    response = _post(login(parent), title=long_title)
    html = response.content.decode()
    assert "het maximum is 160" in html
    assert long_title.strip() in html
    assert not Question.objects.exists()


def test_it_rejects_a_too_long_explanation(login, parent):
    response = _post(login(parent), text="x" * 4001)
    assert "De toelichting is 4001 tekens; het maximum is 4000." in response.content.decode()
    assert not Question.objects.exists()


def test_a_duplicate_submit_creates_one_question(login, parent):
    client = login(parent)
    first = _post(client, form_token="same-token")
    second = _post(client, form_token="same-token")
    assert Question.objects.count() == 1
    assert first.url == second.url


def test_the_form_carries_a_fresh_one_time_token(login, parent):
    html = login(parent).get(ASK).content.decode()
    assert 'name="form_token"' in html
    assert 'value=""' not in html.split('name="form_token"')[1][:60]


def test_anonymous_posting_only_in_themes_the_region_allows(login, parent, anonymous_rule):
    client = login(parent)
    refused = _post(client, anonymous="on", theme="school")
    assert "niet anoniem plaatsen" in refused.content.decode()
    assert not Question.objects.exists()
    _post(client, anonymous="on", theme="birth_parents", form_token="tok-2")
    assert Question.objects.get().anonymous is True


def test_the_anonymous_box_is_absent_when_the_region_allows_none(login, parent):
    assert 'name="anonymous"' not in login(parent).get(ASK).content.decode()


def test_an_anonymous_question_hides_the_author_from_other_parents(
    login, parent, support_parent, staff, anonymous_rule, client
):
    _post(login(parent), anonymous="on", theme="birth_parents")
    question = Question.objects.get()
    client.logout()
    other = login(support_parent).get(question.get_absolute_url()).content.decode()
    assert "Anoniem geplaatst" in other and "Jeroen" not in other
    client.logout()
    moderator = login(staff).get(question.get_absolute_url()).content.decode()
    assert "Jeroen" in moderator


@pytest.mark.parametrize(
    "text,what",
    [
        ("Haar BSN is 111222333, mag ik dat aan school geven?", "burgerservicenummer"),
        ("Bel me gerust op 06-12345678 als je tips hebt.", "telefoonnummer"),
        ("Mail naar moeder@example.nl voor de afspraak.", "e-mailadres"),
    ],
)
def test_identifying_data_holds_the_question_with_an_explanation(login, parent, staff, text, what, client):
    response = _post(login(parent), text=text)
    question = Question.objects.get()
    assert question.status == "held"
    assert what in question.held_reason
    assert ModerationAction.objects.filter(question=question, kind="hold").exists()
    follow = client.get(response.url)
    assert "Wacht op een moderator" in follow.content.decode()
    assert what in follow.content.decode()


def test_held_questions_are_invisible_to_other_parents(login, parent, support_parent, client):
    _post(login(parent), text="Bel 06-12345678")
    question = Question.objects.get()
    client.logout()
    c = login(support_parent)
    assert c.get(question.get_absolute_url()).status_code == 404
    assert question.title not in c.get(reverse("knowledge:questions")).content.decode()


def test_a_flood_of_posts_is_stopped_with_a_message(login, parent, settings):
    settings.KNOWLEDGE_RATE_LIMIT = (2, 10)
    client = login(parent)
    for i in range(2):
        _post(client, form_token=f"t{i}", title=f"Vraag nummer {i} over het schoolkamp")
    response = _post(client, form_token="t3", title="Nog een vraag over het kamp")
    assert Question.objects.count() == 2
    assert "veel berichten geplaatst" in response.content.decode()
    assert "Nog een vraag over het kamp" in response.content.decode()


def test_people_without_a_confirmed_household_cannot_ask(login, outsider):
    assert login(outsider).get(ASK).status_code == 403


def test_the_no_js_check_button_shows_similar_questions_without_saving(
    login, parent, support_parent, make_question
):
    make_question(support_parent, title="Schoolkamp en toestemming van de voogd", theme="school")
    response = _post(login(parent), check="1", title="schoolkamp")
    html = response.content.decode()
    assert "Lijkt op je vraag" in html
    assert "Schoolkamp en toestemming van de voogd" in html
    assert Question.objects.count() == 1


def test_the_pages_are_translated_to_english(login, parent):
    client = login(parent)
    client.cookies["thuisnet_language"] = "en"
    try:
        html = client.get(reverse("knowledge:questions")).content.decode()
    finally:
        from django.utils import translation

        translation.activate("nl")  # the middleware leaves English active in this thread
    assert "Questions from parents" in html and "Ask a question" in html
