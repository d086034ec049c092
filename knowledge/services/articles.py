"""Turning a verified answer into a knowledge article."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone
from django.utils.translation import gettext as _

from thuisnet.accounts.policies import require
from thuisnet.core import audit

from ..models import (
    Answer,
)
from .common import KnowledgeError


def convert_to_article(user, answer: Answer):
    """Create a draft KnowledgeArticlePage from a verified answer and submit it to Wagtail's
    moderation workflow. Returns the page (not live)."""
    from ..models import KnowledgeArticlePage, KnowledgeIndexPage

    require(user, "knowledge.convert_to_article", answer)
    index_page = KnowledgeIndexPage.objects.live().first() or KnowledgeIndexPage.objects.first()
    if index_page is None:
        raise KnowledgeError(
            "no_index",
            _(
                "Er is nog geen kennisbankpagina om het artikel "
                "onder te zetten. Maak die eerst aan in de CMS."
            ),
        )
    existing = KnowledgeArticlePage.objects.filter(source_question=answer.question).first()
    if existing is not None:
        return existing
    from django.utils.html import escape, linebreaks

    question = answer.question
    today = timezone.localdate()
    body = (
        f"<p>{escape(question.title)}</p>{linebreaks(escape(question.text))}"
        f"<h2>{escape(_('Antwoord'))}</h2>{linebreaks(escape(answer.text))}"
    )
    page = KnowledgeArticlePage(
        title=question.title[:255],
        theme=question.theme,
        body=body,
        summary=answer.text[:200],
        live=False,
        content_owner=user,
        last_reviewed=today,
        review_date=today + timedelta(days=365),
        source_question=question,
        owner=user,
    )
    index_page.add_child(instance=page)
    revision = page.save_revision(user=user, log_action=True)
    workflow = page.get_workflow()
    if workflow is not None:
        workflow.start(page, user)
    audit.record(user, "knowledge.convert", "knowledge.answer", answer.pk, page=page.pk, revision=revision.pk)
    return page
