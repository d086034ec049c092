"""Notifications on the site and by email, one-click unsubscribe, and the weekly digest."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from knowledge import services
from knowledge.jobs import send_weekly_digest
from knowledge.models import DigestDelivery, Notification, NotificationSettings, ThemeFollow

pytestmark = pytest.mark.django_db


@pytest.fixture
def question(parent, make_question):
    return make_question(parent)


def _unsubscribe_link(message) -> str:
    return next(line for line in message.body.splitlines() if "/kennis/afmelden/" in line)


def test_the_asker_gets_an_email_and_a_site_notice_for_an_answer(
    support_parent, question, sent_mail, parent, login
):
    services.answer_question(support_parent, question, text="Ja hoor, dat loopt door.")
    mails = sent_mail()
    assert [m.to for m in mails] == [[parent.email]]
    assert question.title in mails[0].subject
    assert "List-Unsubscribe" in mails[0].extra_headers
    html = login(parent).get(reverse("knowledge:notifications")).content.decode()
    assert "Nieuw antwoord op je vraag" in html


def test_the_answerer_hears_about_accept_and_verify(support_parent, question, parent, staff, sent_mail):
    answer = services.answer_question(support_parent, question, text="Mijn ervaring is ...")
    sent_mail()
    mail.outbox.clear()
    services.accept_answer(parent, answer)
    services.verify_answer(staff, answer)
    subjects = [m.subject for m in sent_mail() if m.to == [support_parent.email]]
    assert any("geaccepteerd" in s for s in subjects)
    assert any("geverifieerd" in s for s in subjects)
    kinds = set(Notification.objects.filter(user=support_parent).values_list("kind", flat=True))
    assert kinds == {"accepted", "verified"}


def test_followers_of_a_theme_hear_about_new_questions(parent, support_parent, sent_mail):
    ThemeFollow.objects.create(user=support_parent, theme="school")
    services.ask_question(
        parent,
        title="Welke school past bij ons pleegkind?",
        text="Hij heeft extra ondersteuning nodig.",
        theme="school",
    )
    services.ask_question(
        parent, title="Vraag over geld en kinderbijslag", text="Hoe zit dat?", theme="money"
    )
    mails = [m for m in sent_mail() if m.to == [support_parent.email]]
    assert len(mails) == 1 and "Welke school past" in mails[0].subject


def test_a_follower_who_may_no_longer_read_questions_hears_nothing(parent, support_parent, sent_mail):
    from knowledge.models import Notification

    ThemeFollow.objects.create(user=support_parent, theme="school")
    support_parent.household.verified_at = None  # the provider withdrew the verification
    support_parent.household.save()
    services.ask_question(
        parent,
        title="Welke school past bij ons pleegkind?",
        text="Hij heeft extra ondersteuning nodig.",
        theme="school",
    )
    assert not Notification.objects.filter(user=support_parent).exists()
    assert not [m for m in sent_mail() if m.to == [support_parent.email]]


def test_one_click_unsubscribe_stops_that_kind_of_email(
    client, support_parent, question, parent, sent_mail, make_question
):
    services.answer_question(support_parent, question, text="Eerste antwoord hier.")
    link = _unsubscribe_link(sent_mail()[0])
    response = client.get(link.replace("http://testserver", "").split("127.0.0.1:8000")[-1])
    assert response.status_code == 200
    assert "Je bent afgemeld" in response.content.decode()
    assert NotificationSettings.objects.get(user=parent).email_answers is False
    sent_mail()
    mail.outbox.clear()
    services.answer_question(support_parent, question, text="Tweede antwoord hier.")
    assert sent_mail() == []
    assert Notification.objects.filter(user=parent, kind="answer").count() == 2


def test_a_tampered_unsubscribe_link_is_refused(client):
    response = client.get(reverse("knowledge:unsubscribe", args=["abc:def"]))
    assert response.status_code == 400
    assert "Deze afmeldlink klopt niet" in response.content.decode()


@pytest.fixture
def digest_reader(staff):
    NotificationSettings.objects.create(user=staff, weekly_digest=True)
    return staff


def test_the_weekly_digest_goes_out_exactly_once_a_week(
    digest_reader, question, sent_mail, make_question, parent, make_answer, support_parent
):
    answered = make_question(parent, title="Al beantwoorde vraag over school", theme="school")
    make_answer(answered, support_parent)
    now = timezone.now()
    assert send_weekly_digest(now) == 1
    assert send_weekly_digest(now) == 0
    assert send_weekly_digest(now + timedelta(hours=3)) == 0
    mails = [m for m in sent_mail() if m.to == [digest_reader.email]]
    assert len(mails) == 1
    assert question.title in mails[0].body
    assert "Al beantwoorde vraag" not in mails[0].body
    next_week = now + timedelta(days=7)
    make_question(parent, title="Nieuwe onbeantwoorde vraag voor volgende week", created_at=next_week)
    assert send_weekly_digest(next_week) == 1
    assert DigestDelivery.objects.filter(user=digest_reader).count() == 2


def test_the_digest_skips_people_who_did_not_opt_in(staff, question, sent_mail):
    assert send_weekly_digest() == 0
    assert sent_mail() == []


def test_parents_without_experience_cannot_opt_in(login, parent):
    client = login(parent)
    client.post(
        reverse("knowledge:preferences"), {"themes": ["money"], "email_answers": "on", "weekly_digest": "on"}
    )
    prefs = NotificationSettings.objects.get(user=parent)
    assert prefs.weekly_digest is False
    assert ThemeFollow.objects.filter(user=parent, theme="money").exists()
