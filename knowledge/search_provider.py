"""The knowledge app's search provider (see ``search/types.py``).

Articles: live, public KnowledgeArticlePages. Questions: only what ``user`` may see;
held and hidden questions never reach someone who may not see them. Wagtail's database
backend does the matching (Dutch stemming on PostgreSQL); the search app may later route
the same call to Elasticsearch.
"""

from __future__ import annotations

from django.utils.html import strip_tags
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from wagtail.search.backends import get_search_backend

from search.types import SearchHit
from thuisnet.accounts.policies import can

from .models import Answer, KnowledgeArticlePage, PostStatus, Theme

MAX_QUERY = 200


def _snippet(text: str, words: int = 30) -> str:
    return Truncator(" ".join(strip_tags(text or "").split())).words(words)


def search(query: str, *, user=None, limit: int = 20) -> list[SearchHit]:
    query = " ".join((query or "").split())[:MAX_QUERY]
    if not query or limit <= 0:
        return []
    hits: list[SearchHit] = []
    articles = KnowledgeArticlePage.objects.live().public().search(query)[:limit]
    for rank, page in enumerate(articles):
        hits.append(
            SearchHit(
                title=page.title,
                url=page.url or "",
                kind="article",
                kind_label=_("Kennisartikel"),
                snippet=_snippet(page.summary or page.body),
                score=1.0 - rank / limit,
                extra={
                    "theme": page.theme,
                    "theme_label": str(Theme(page.theme).label),
                    "overdue": page.is_overdue,
                },
            )
        )
    if user is not None and can(user, "knowledge.view_questions"):
        from .selectors import visible_questions

        questions = visible_questions(user).filter(status=PostStatus.VISIBLE)
        found = list(get_search_backend().search(query, questions)[:limit])
        # One query for "has a visible answer" instead of one per hit.
        answered = set(
            Answer.objects.filter(question__in=[q.pk for q in found], status=PostStatus.VISIBLE).values_list(
                "question_id", flat=True
            )
        )
        for rank, q in enumerate(found):
            hits.append(
                SearchHit(
                    title=q.title,
                    url=q.get_absolute_url(),
                    kind="question",
                    kind_label=_("Vraag"),
                    snippet=_snippet(q.text),
                    score=1.0 - rank / limit,
                    extra={
                        "theme": q.theme,
                        "theme_label": str(Theme(q.theme).label),
                        "answered": q.pk in answered,
                        "accepted": q.accepted_answer_id is not None,
                    },
                )
            )
    hits.sort(key=lambda h: -h.score)
    return hits[:limit]


def suggest(query: str, *, user=None, limit: int = 6) -> list[SearchHit]:
    """While typing: full words first, else prefix matching on titles."""
    hits = search(query, user=user, limit=limit)
    if hits or len((query or "").strip()) < 3:
        return hits
    query = " ".join(query.split())[:MAX_QUERY]
    out = [
        SearchHit(title=p.title, url=p.url or "", kind="article", kind_label=_("Kennisartikel"))
        for p in KnowledgeArticlePage.objects.live().public().autocomplete(query)[:limit]
    ]
    if user is not None and can(user, "knowledge.view_questions"):
        from .selectors import visible_questions

        qs = visible_questions(user).filter(status=PostStatus.VISIBLE)
        found = get_search_backend().autocomplete(query, qs)[:limit]
        out += [
            SearchHit(title=q.title, url=q.get_absolute_url(), kind="question", kind_label=_("Vraag"))
            for q in found
        ]
    return out[:limit]
