"""Query budgets of the knowledge app's lists (issue 10, item 9): the same number of
queries with 2 items as with 20. A page that queries per row fails here."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.query_budget import same_budget as _same_budget

pytestmark = pytest.mark.django_db


def _author(i: int, region, provider):
    """Answer authors of every kind: staff (some experts), parents with a household."""
    from tests.conftest import _household, _make_user
    from thuisnet.accounts.models import Membership, Municipality

    user = _make_user(f"auteur{i}@example.org", region, full_name=f"Auteur {i}")
    if i % 2:
        Membership.objects.create(user=user, organisation=provider, role="staff", is_expert=i % 4 == 1)
    else:
        user.household = _household(
            region, Municipality.objects.filter(region=region).first(), "foster", f"Gezin {i}", provider
        )
        user.save()
    return user


def test_the_question_page_costs_the_same_with_20_answers(
    login, parent, municipalities, region, provider, make_question, make_answer, django_assert_max_num_queries
):
    """It took 24 queries with 2 answers and 44 with 12 (a can() and a label per answer)."""
    from knowledge.models import HelpfulVote

    question = make_question(parent)

    def add(start, n):
        for i in range(start, start + n):
            answer = make_answer(question, _author(i, region, provider), text=f"Antwoord nummer {i}")
            if i % 3 == 0:
                HelpfulVote.objects.create(answer=answer, user=parent)

    add(0, 2)
    client = login(parent)
    url = question.get_absolute_url()
    _same_budget(client, url, lambda: add(2, 18), django_assert_max_num_queries)
    assert client.get(url).content.decode().count("Antwoord nummer") == 20


def test_the_question_page_costs_the_same_for_a_moderating_expert(
    login,
    staff,
    municipalities,
    parent,
    region,
    provider,
    make_question,
    make_answer,
    django_assert_max_num_queries,
):
    question = make_question(parent)

    def add(start, n):
        for i in range(start, start + n):
            make_answer(
                question,
                _author(i, region, provider),
                text=f"Antwoord nummer {i}",
                status=["visible", "held", "hidden"][i % 3],
            )

    add(0, 2)
    _same_budget(login(staff), question.get_absolute_url(), lambda: add(2, 18), django_assert_max_num_queries)


def test_the_question_list_costs_the_same_with_20_questions(
    login, parent, support_parent, make_question, django_assert_max_num_queries
):
    def add(start, n):
        for i in range(start, start + n):
            make_question(support_parent, title=f"Vraag over school nummer {i}", tags="school, pleegkind")

    add(0, 2)
    _same_budget(login(parent), "/kennis/vragen/", lambda: add(2, 18), django_assert_max_num_queries)


def test_the_moderation_queue_costs_the_same_with_20_held_posts(
    login, staff, parent, support_parent, make_question, make_answer, django_assert_max_num_queries
):
    from knowledge.models import Report

    visible = make_question(parent, title="Een gewone vraag")

    def add(start, n):
        for i in range(start, start + n):
            make_question(support_parent, title=f"Vastgehouden vraag {i}", status="held")
            make_answer(visible, support_parent, text=f"Vastgehouden antwoord {i}", status="held")
            Report.objects.create(question=visible, reporter=parent, reason=f"Melding {i}")

    add(0, 2)
    _same_budget(login(staff), "/kennis/moderatie/", lambda: add(2, 18), django_assert_max_num_queries)


def test_the_notifications_cost_the_same_with_20(login, parent, django_assert_max_num_queries):
    from knowledge.models import Notification

    def add(start, n):
        for i in range(start, start + n):
            Notification.objects.create(user=parent, kind="answer", text=f"Bericht {i}", url="/kennis/")

    add(0, 2)
    _same_budget(login(parent), "/kennis/meldingen/", lambda: add(2, 18), django_assert_max_num_queries)


def test_the_search_provider_costs_the_same_with_20_questions(
    parent, support_parent, make_question, django_assert_max_num_queries
):
    from knowledge import search_provider

    def add(start, n):
        for i in range(start, start + n):
            make_question(support_parent, title=f"Zakgeld voor pleegkinderen {i}", text="Hoeveel zakgeld?")

    add(0, 2)
    search_provider.search("zakgeld", user=parent)
    with CaptureQueriesContext(connection) as ctx:
        assert len(search_provider.search("zakgeld", user=parent)) == 2
    small = len(ctx.captured_queries)
    add(2, 18)
    with django_assert_max_num_queries(small):
        assert len(search_provider.search("zakgeld", user=parent, limit=30)) == 20
