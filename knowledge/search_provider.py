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
from thuisnet.accounts.policies import can, scope

from .models import Answer, KnowledgeArticlePage, PostStatus, Question, Theme

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


SUGGEST_LIMIT = 5


def suggest(query: str, *, user=None, limit: int = SUGGEST_LIMIT) -> list[SearchHit]:
    """While typing (and the form's server-side check): similar questions and articles from
    the site search (stemmed, OR-matched, ranked, last word as a prefix); the older word
    match below only when the index has nothing (e.g. not built yet)."""
    from search.services import similar_questions

    limit = min(limit, SUGGEST_LIMIT)
    hits = similar_questions(query, user=user, limit=limit)
    if hits:
        return hits
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


# --- The search index (see search/types.py) --------------------------------------------------

KINDS = {"article": _("Kennisartikel"), "question": _("Vraag")}


def _question_id(obj) -> int:
    return obj.question_id if isinstance(obj, Answer) else obj.pk


WATCHED = [
    (KnowledgeArticlePage, "article", lambda o: o.pk),
    (Question, "question", _question_id),
    (Answer, "question", _question_id),
]


def _family_forms(page) -> list[str]:
    return [
        form
        for form, on in (
            ("foster", page.for_foster),
            ("support", page.for_support),
            ("family_home", page.for_family_home),
        )
        if on
    ]


def documents(kind: str, ids=None):
    from search.types import Document

    if kind == "article":
        pages = KnowledgeArticlePage.objects.live().public().prefetch_related("municipalities")
        if ids is not None:
            pages = pages.filter(pk__in=ids)
        for page in pages:
            munis = [] if page.all_municipalities else [m.name for m in page.municipalities.all()]
            yield Document(
                kind="article",
                object_id=page.pk,
                title=page.title,
                body=f"{page.summary} {strip_tags(page.body)}",
                url=page.url or "",
                municipality=munis[0] if len(munis) == 1 else "",
                themes=[page.theme],
                family_forms=_family_forms(page),
                changed_at=page.last_published_at,
                extra={"summary": page.summary, "theme_label": str(Theme(page.theme).label)},
            )
    elif kind == "question":
        questions = Question.objects.filter(status=PostStatus.VISIBLE).select_related("accepted_answer")
        if ids is not None:
            questions = questions.filter(pk__in=ids)
        for q in questions:
            accepted = q.accepted_answer
            answer = accepted.text if accepted and accepted.status == PostStatus.VISIBLE else ""
            yield Document(
                kind="question",
                object_id=q.pk,
                title=q.title,
                body=f"{q.text} {q.tags} {answer}",
                url=q.get_absolute_url(),
                region_id=q.region_id,
                themes=[q.theme],
                changed_at=q.edited_at or q.created_at,
                extra={"accepted": bool(answer), "theme_label": str(Theme(q.theme).label)},
            )


def visible(user, kind: str, ids: set[int]) -> set[int]:
    if kind == "article":
        return set(
            KnowledgeArticlePage.objects.live().public().filter(pk__in=ids).values_list("pk", flat=True)
        )
    if user is None or not can(user, "knowledge.view_questions"):
        return set()
    qs = scope(
        user, "knowledge.view_question", Question.objects.filter(pk__in=ids, status=PostStatus.VISIBLE)
    )
    return set(qs.values_list("pk", flat=True))
