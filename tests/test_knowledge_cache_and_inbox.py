"""Issue 14 item 3 for knowledge: page-cache invalidation and the site-wide inbox."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


@pytest.fixture
def calls(monkeypatch):
    from knowledge.services import answers, common, moderation, questions

    seen = {"invalidate": [], "notify": []}
    for mod in (answers, moderation, questions):
        monkeypatch.setattr(mod, "invalidate", lambda *tags: seen["invalidate"].append(tags))
    monkeypatch.setattr(
        common, "inbox_notify", lambda user, **kw: seen["notify"].append((user.pk, kw["kind"]))
    )
    return seen


def test_a_visible_question_and_an_accepted_answer_invalidate_answers(calls, parent, support_parent):
    from knowledge import services

    q = services.ask_question(
        parent, title="Mag ons pleegkind mee op vakantie?", text="Naar Frankrijk.", theme="procedures"
    )
    assert ("answers",) in calls["invalidate"]
    calls["invalidate"].clear()
    a = services.answer_question(support_parent, q, text="Ja, met toestemming van de voogd.")
    assert ("answers",) in calls["invalidate"]
    calls["invalidate"].clear()
    services.accept_answer(parent, a)
    assert ("answers",) in calls["invalidate"]


def test_hiding_an_answer_invalidates_answers(
    calls, staff, parent, support_parent, make_question, make_answer
):
    from knowledge import services

    a = make_answer(make_question(parent), support_parent)
    services.moderate(staff, action="hide", answer=a, note="Onvriendelijk.")
    assert ("answers",) in calls["invalidate"]


def test_qa_notifications_also_go_to_the_inbox(calls, parent, support_parent):
    from knowledge import services

    q = services.ask_question(
        parent, title="Mag ons pleegkind mee op vakantie?", text="Naar Frankrijk.", theme="procedures"
    )
    services.answer_question(support_parent, q, text="Ja, met toestemming van de voogd.")
    assert (parent.pk, "question") in calls["notify"]
