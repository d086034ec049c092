"""Fixtures for the knowledge tests (loaded from conftest.py)."""

from __future__ import annotations

from datetime import timedelta

import pytest


@pytest.fixture
def knowledge_index(home_page):
    from knowledge.models import KnowledgeIndexPage

    index = KnowledgeIndexPage(
        title="Kennisbank", slug="kennisbank", intro="<p>Informatie voor pleegouders.</p>"
    )
    home_page.add_child(instance=index)
    index.save_revision().publish()
    return index


@pytest.fixture
def make_article(knowledge_index):
    from django.utils import timezone

    from knowledge.models import KnowledgeArticlePage

    def _make(
        title="Pleegvergoeding en bijzondere kosten",
        theme="money",
        body="<p>De pleegvergoeding is onbelast.</p>",
        review_in_days=200,
        **extra,
    ):
        today = timezone.localdate()
        page = KnowledgeArticlePage(
            title=title,
            theme=theme,
            body=body,
            summary=extra.pop("summary", ""),
            last_reviewed=extra.pop("last_reviewed", today - timedelta(days=100)),
            review_date=today + timedelta(days=review_in_days),
            **extra,
        )
        knowledge_index.add_child(instance=page)
        page.save_revision().publish()
        page.refresh_from_db()
        return page

    return _make


@pytest.fixture
def make_question(region):
    from knowledge.models import Question

    def _make(
        author,
        title="Krijg ik pleegvergoeding tijdens de vakantie?",
        text="Ons pleegkind gaat drie weken naar opa en oma.",
        theme="money",
        **extra,
    ):
        extra.setdefault("region", author.region or region)
        return Question.objects.create(author=author, title=title, text=text, theme=theme, **extra)

    return _make


@pytest.fixture
def make_answer():
    from knowledge.models import Answer

    def _make(question, author, text="Ja, die loopt gewoon door.", **extra):
        return Answer.objects.create(question=question, author=author, text=text, **extra)

    return _make


@pytest.fixture
def anonymous_rule(region):
    from knowledge.models import AnonymousPostingRule

    return AnonymousPostingRule.objects.create(region=region, theme="birth_parents", allowed=True)
