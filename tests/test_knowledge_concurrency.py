"""Races on PostgreSQL with real threads: double votes and double submits stay single."""

from __future__ import annotations

import pytest

from tests.race import errors, race

# serialized_rollback: the flush after a transactional test would otherwise remove
# Wagtail's root page and default workflow for the tests that follow.
pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def _race(n, fn):
    """The exceptions of ``n`` simultaneous calls of ``fn()`` (``tests.race``)."""
    return errors(race(n, lambda _i: fn()))


def test_simultaneous_helpful_votes_by_one_person_count_once(
    transactional_db, parent, support_parent, make_question, make_answer
):
    from knowledge import services
    from knowledge.models import Answer, HelpfulVote

    answer = make_answer(make_question(parent), support_parent)
    errors = _race(8, lambda: services.vote_helpful(parent, answer))
    assert errors == []
    assert HelpfulVote.objects.filter(answer=answer).count() == 1
    assert Answer.objects.get(pk=answer.pk).helpful_count == 1


def test_simultaneous_submits_with_one_form_token_create_one_question(parent):
    from knowledge import services
    from knowledge.models import Question

    def ask():
        services.ask_question(
            parent,
            title="Wie tekent voor het schoolkamp van ons kind?",
            text="Het kamp is in juni.",
            theme="school",
            form_token="one-token",
        )

    errors = _race(6, ask)
    assert Question.objects.count() == 1
    assert errors == []
