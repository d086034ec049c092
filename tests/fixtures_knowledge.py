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


@pytest.fixture
def start_path(region, provider):
    """A path of five steps; steps 2 and 4 ask for a document."""
    from knowledge.models import StartPath, StartStep

    path = StartPath.objects.create(region=region, title="Startpad gezinshuis", stall_days=14)
    titles = ["Oriëntatie", "Inschrijving KvK", "Keuze aanbieder", "Melding Wtza", "Het eerste kind"]
    for i, title in enumerate(titles, start=1):
        StartStep.objects.create(
            path=path,
            position=i,
            title=title,
            explanation=f"Uitleg bij {title.lower()}.",
            responsible_organisation="Kamer van Koophandel" if i == 2 else "Je aanbieder",
            contact="088 585 22 22" if i == 2 else "",
            asks_document=i in (2, 4),
            document_hint="uittreksel KvK" if i == 2 else "",
        )
    return path


@pytest.fixture
def make_starter(start_path, provider):
    """``make_starter(user, done=2, days_on_step=3, coach=None)``: a starter with ``done``
    steps finished and the next step reached ``days_on_step`` days ago."""
    from django.utils import timezone

    from knowledge.models import Starter, StepProgress

    def _make(user, done=0, days_on_step=0, coach=None, path=None):
        path = path or start_path
        today = timezone.localdate()
        starter = Starter.objects.create(
            user=user,
            path=path,
            provider=provider,
            coach=coach,
            started_on=today - timedelta(days=days_on_step + 10 * done),
        )
        steps = list(path.steps.order_by("position"))
        for i, step in enumerate(steps[:done]):
            StepProgress.objects.create(
                starter=starter,
                step=step,
                reached_on=today - timedelta(days=days_on_step + 10 * (done - i)),
                done_on=today - timedelta(days=days_on_step + 10 * (done - i - 1)),
                document_url="https://voorbeeld.example/doc" if step.asks_document else "",
            )
        if done < len(steps):
            StepProgress.objects.create(
                starter=starter, step=steps[done], reached_on=today - timedelta(days=days_on_step)
            )
        return starter

    return _make
