"""Answers: posting, locked questions, helpful votes, accepting, expert verification."""

from __future__ import annotations

import pytest
from django.urls import reverse

from knowledge.models import Answer, Question

pytestmark = pytest.mark.django_db


@pytest.fixture
def question(parent, make_question):
    return make_question(parent)


def test_a_second_user_answers(login, support_parent, question):
    client = login(support_parent)
    response = client.post(
        reverse("knowledge:answer", args=[question.pk]),
        {"text": "Ja, de vergoeding loopt door.", "form_token": "a1"},
    )
    answer = Answer.objects.get()
    assert response.status_code == 302 and response.url.endswith(f"#antwoord-{answer.pk}")
    assert "Ja, de vergoeding loopt door." in client.get(question.get_absolute_url()).content.decode()


def test_an_empty_answer_gets_a_dutch_message(login, support_parent, question):
    response = login(support_parent).post(
        reverse("knowledge:answer", args=[question.pk]), {"text": " ", "form_token": "a1"}
    )
    assert response.status_code == 422
    assert "Schrijf eerst je antwoord." in response.content.decode()


def test_an_answer_to_a_locked_question_is_refused_and_kept(login, support_parent, question):
    Question.objects.filter(pk=question.pk).update(locked=True)
    response = login(support_parent).post(
        reverse("knowledge:answer", args=[question.pk]),
        {"text": "Mijn lange verhaal over vakantie.", "form_token": "a1"},
    )
    assert response.status_code == 409
    html = response.content.decode()
    assert "Deze vraag is gesloten" in html
    assert "Mijn lange verhaal over vakantie." in html
    assert not Answer.objects.exists()


def test_a_duplicate_answer_submit_posts_once(login, support_parent, question):
    client = login(support_parent)
    for _ in range(2):
        client.post(
            reverse("knowledge:answer", args=[question.pk]), {"text": "Dubbel geklikt.", "form_token": "same"}
        )
    assert Answer.objects.count() == 1


def test_helpful_votes_count_once_per_person(login, staff, question, make_answer, support_parent):
    answer = make_answer(question, support_parent)
    client = login(staff)
    for _ in range(2):
        client.post(reverse("knowledge:vote", args=[answer.pk]))
    answer.refresh_from_db()
    assert answer.helpful_count == 1


def test_the_asker_accepts_one_answer(login, parent, question, make_answer, support_parent, staff):
    first = make_answer(question, support_parent, text="Eerste antwoord")
    second = make_answer(question, staff, text="Tweede antwoord")
    client = login(parent)
    client.post(reverse("knowledge:accept", args=[first.pk]))
    client.post(reverse("knowledge:accept", args=[second.pk]))
    question.refresh_from_db()
    assert question.accepted_answer == second
    html = client.get(question.get_absolute_url()).content.decode()
    assert html.count("Geaccepteerd door de vragensteller") == 1


def test_someone_else_cannot_accept(login, support_parent, question, make_answer, staff):
    answer = make_answer(question, staff)
    response = login(support_parent).post(reverse("knowledge:accept", args=[answer.pk]))
    assert response.status_code == 403
    question.refresh_from_db()
    assert question.accepted_answer is None


def test_a_verified_answer_is_shown_first_with_a_badge(
    login, staff, parent, question, make_answer, support_parent, family_home_parent, client
):
    popular = make_answer(question, support_parent, text="Populair antwoord", helpful_count=9)
    expert = make_answer(question, family_home_parent, text="Deskundig juist antwoord")
    login(staff).post(reverse("knowledge:verify", args=[expert.pk]))
    expert.refresh_from_db()
    assert expert.verified_by == staff
    client.logout()
    html = login(parent).get(question.get_absolute_url()).content.decode()
    assert html.index("Deskundig juist antwoord") < html.index("Populair antwoord")
    assert "Geverifieerd door een deskundige" in html
    assert popular.pk


def test_staff_without_the_expert_flag_cannot_verify(
    login, other_staff, question, make_answer, support_parent
):
    answer = make_answer(question, support_parent)
    assert login(other_staff).post(reverse("knowledge:verify", args=[answer.pk])).status_code == 403
    answer.refresh_from_db()
    assert answer.verified_at is None
