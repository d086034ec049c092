"""Reports, the moderation queue, hide/edit/restore, and the log of every action."""

from __future__ import annotations

import pytest
from django.urls import reverse

from knowledge.models import ModerationAction, Report
from thuisnet.core.models import AuditLog

pytestmark = pytest.mark.django_db


@pytest.fixture
def question(parent, make_question):
    return make_question(parent, title="Hoe gaan jullie om met boze buien na bezoek?")


def test_anyone_in_the_space_reports_a_post_with_a_reason(login, support_parent, question):
    client = login(support_parent)
    url = reverse("knowledge:report", args=["vraag", question.pk])
    empty = client.post(url, {"reason": ""})
    assert "Schrijf kort waarom je dit meldt." in empty.content.decode()
    client.post(url, {"reason": "Er staat een voornaam van een kind in."})
    assert Report.objects.get().reason == "Er staat een voornaam van een kind in."


def test_moderators_see_reports_and_held_posts_in_the_queue(
    login, staff, support_parent, question, make_question
):
    Report.objects.create(question=question, reporter=support_parent, reason="Kwetsend")
    make_question(
        support_parent,
        title="Vastgehouden vraag met nummer",
        status="held",
        held_reason="Je tekst bevat een telefoonnummer.",
    )
    html = login(staff).get(reverse("knowledge:moderation")).content.decode()
    assert "Kwetsend" in html
    assert "Vastgehouden vraag met nummer" in html


def test_parents_cannot_open_the_queue(login, parent):
    assert login(parent).get(reverse("knowledge:moderation")).status_code == 403


def test_hide_edit_restore_are_logged_and_the_edit_note_is_visible(
    login, staff, support_parent, question, client
):
    Report.objects.create(question=question, reporter=support_parent, reason="Naam kind")
    mod = login(staff)
    url = reverse("knowledge:moderate", args=["vraag", question.pk])
    refused = mod.post(url, {"action": "hide", "note": ""})
    assert "Schrijf een korte notitie" in refused.content.decode()
    mod.post(url, {"action": "hide", "note": "Naam van een kind"})
    question.refresh_from_db()
    assert question.status == "hidden"
    assert Report.objects.get().handled_by == staff
    client.logout()
    other = login(support_parent)
    assert other.get(question.get_absolute_url()).status_code == 404
    client.logout()
    mod = login(staff)
    mod.post(
        url,
        {
            "action": "edit",
            "note": "Voornaam weggehaald.",
            "new_text": "Na het bezoek is ons pleegkind vaak boos.",
        },
    )
    mod.post(url, {"action": "restore", "note": ""})
    question.refresh_from_db()
    assert question.status == "visible"
    assert question.text == "Na het bezoek is ons pleegkind vaak boos."
    kinds = list(
        ModerationAction.objects.filter(question=question)
        .order_by("created_at")
        .values_list("kind", flat=True)
    )
    assert kinds == ["hide", "edit", "restore"]
    assert (
        ModerationAction.objects.get(kind="edit").before == "Ons pleegkind gaat drie weken naar opa en oma."
    )
    assert AuditLog.objects.filter(action="knowledge.hide").exists()
    client.logout()
    html = login(support_parent).get(question.get_absolute_url()).content.decode()
    assert "Bewerkt door een moderator: Voornaam weggehaald." in html


def test_approving_a_held_answer_notifies_the_asker(
    login, staff, parent, support_parent, question, make_answer
):
    from knowledge.models import Notification

    answer = make_answer(question, support_parent, status="held", held_reason="telefoon")
    login(staff).post(
        reverse("knowledge:moderate", args=["antwoord", answer.pk]),
        {"action": "restore", "note": "Nummer was van de school"},
    )
    answer.refresh_from_db()
    assert answer.status == "visible"
    assert ModerationAction.objects.get(answer=answer).kind == "approve"
    assert Notification.objects.filter(user=parent, kind="answer").exists()


def test_a_coordinator_moderates_in_their_region(login, coordinator, question):
    login(coordinator).post(
        reverse("knowledge:moderate", args=["vraag", question.pk]),
        {"action": "lock", "note": "Genoeg antwoorden"},
    )
    question.refresh_from_db()
    assert question.locked


def test_staff_without_moderator_flag_cannot_moderate(login, other_staff, question):
    response = login(other_staff).post(
        reverse("knowledge:moderate", args=["vraag", question.pk]), {"action": "hide", "note": "x"}
    )
    assert response.status_code == 403
