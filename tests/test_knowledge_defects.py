"""Issue 16 item 4: review dates, held answers released by an edit, and who sees "Stel een vraag"."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

pytestmark = pytest.mark.django_db


def test_a_review_date_before_the_last_review_is_refused(make_article):
    page = make_article()
    page.last_reviewed = timezone.localdate()
    page.review_date = timezone.localdate() - timedelta(days=1)
    with pytest.raises(ValidationError) as exc:
        page.full_clean()
    assert "review_date" in exc.value.message_dict
    assert "ligt vóór 'laatst gecontroleerd op'" in exc.value.message_dict["review_date"][0]


def test_a_review_date_on_the_last_review_day_is_fine(make_article):
    page = make_article()
    page.last_reviewed = page.review_date = timezone.localdate()
    page.full_clean()


def test_an_edit_that_removes_the_reason_releases_a_held_answer(
    login, staff, parent, support_parent, make_question
):
    from knowledge import services
    from knowledge.models import Answer, PostStatus

    question = make_question(parent)
    answer = Answer.objects.create(
        question=question,
        author=support_parent,
        text="Bel 06-12345678.",
        status=PostStatus.HELD,
        held_reason="Telefoonnummer",
    )
    client = login(staff)
    response = client.post(
        f"/kennis/moderatie/antwoord/{answer.pk}/",
        {"action": "edit", "new_text": "Bel je begeleider.", "note": "Telefoonnummer verwijderd."},
        follow=True,
    )
    answer.refresh_from_db()
    assert answer.status == PostStatus.VISIBLE and answer.held_reason == ""
    assert "Het bericht is nu zichtbaar" in response.content.decode()
    assert services  # the service is the one the page calls


def test_an_edit_that_leaves_the_reason_says_what_is_still_wrong(staff, parent, make_question):
    from knowledge import services
    from knowledge.models import PostStatus, Question

    question = make_question(parent, title="Vraag over Sanne de Vries, geboren 12-03-2015")
    Question.objects.filter(pk=question.pk).update(
        status=PostStatus.HELD, held_reason="naam en geboortedatum"
    )
    question.refresh_from_db()
    outcome = services.moderate(
        staff, action="edit", question=question, note="Tekst ingekort.", new_text="Een nette toelichting."
    )
    question.refresh_from_db()
    assert outcome.startswith("still_held:")
    assert question.status == PostStatus.HELD and question.held_reason


def test_ask_is_offered_only_to_those_who_may_ask_with_the_reason_otherwise(
    login, coordinator, parent, knowledge_index, make_article
):
    article = make_article()
    html = login(coordinator).get(article.url).content.decode()
    assert "Stel een vraag over dit onderwerp" not in html
    assert "Vragen stellen is voor pleeg-, steun- en gezinshuisouders" in html
    html = login(parent).get(article.url).content.decode()
    assert "Stel een vraag over dit onderwerp" in html


def test_the_ask_page_explains_instead_of_a_bare_refusal(login, coordinator):
    response = login(coordinator).get("/kennis/vragen/stellen/")
    assert response.status_code == 403
    html = response.content.decode()
    assert "Vragen stellen is voor pleeg-, steun- en gezinshuisouders" in html
    assert "/kennis/vragen/" in html


def test_an_unverified_parent_is_told_to_wait_for_their_provider(login, parent):
    parent.household.verified_at = None
    parent.household.save()
    response = login(parent).get("/kennis/vragen/stellen/")
    assert "zodra je aanbieder je gezin heeft bevestigd" in response.content.decode()
