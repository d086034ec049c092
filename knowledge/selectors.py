"""Read-only queries: what a given user may see. Other apps may call these."""

from __future__ import annotations

from django.db.models import Case, IntegerField, Q, QuerySet, Value, When
from django.utils import timezone

from thuisnet.accounts.policies import can, scope

from .models import Answer, KnowledgeArticlePage, PostStatus, Question


def visible_questions(user) -> QuerySet[Question]:
    """Questions the user may see (the scope of ``knowledge.view_question``): visible ones of
    their region, their own held or hidden ones, everything in regions they moderate."""
    return scope(user, "knowledge.view_question", Question.objects.all())


def answers_for(question: Question, user) -> list[Answer]:
    """Verified answers first, then the accepted one, then by helpful votes and age."""
    qs = scope(
        user,
        "knowledge.view_answer",
        question.answers.select_related("author", "author__household", "verified_by"),
    )
    qs = qs.annotate(
        is_accepted=Case(
            When(pk=question.accepted_answer_id or 0, then=Value(1)),
            default=Value(0),
            output_field=IntegerField(),
        )
    )
    return list(
        qs.order_by(
            Case(When(verified_at__isnull=False, then=Value(0)), default=Value(1)),
            "-is_accepted",
            "-helpful_count",
            "created_at",
        )
    )


def answer_permissions(user, answers: list[Answer]) -> dict[str, set[int]]:
    """Per capability, the ids of ``answers`` the user may act on: one query per capability,
    whatever the number of answers (no ``can()`` per row)."""
    ids = [a.pk for a in answers]
    out: dict[str, set[int]] = {}
    for capability in ("knowledge.vote", "knowledge.verify", "knowledge.convert_to_article"):
        if not ids:
            out[capability] = set()
            continue
        out[capability] = set(
            scope(user, capability, Answer.objects.filter(pk__in=ids)).values_list("pk", flat=True)
        )
    return out


def related_articles(article: KnowledgeArticlePage, limit: int = 4) -> list[KnowledgeArticlePage]:
    return list(
        KnowledgeArticlePage.objects.live()
        .public()
        .filter(theme=article.theme)
        .exclude(pk=article.pk)
        .order_by("title")[:limit]
    )


def related_questions(article: KnowledgeArticlePage, user, limit: int = 5) -> list[Question]:
    if not can(user, "knowledge.view_questions"):
        return []
    qs = visible_questions(user).filter(status=PostStatus.VISIBLE)
    linked = list(qs.filter(pk=article.source_question_id)) if article.source_question_id else []
    rest = list(
        qs.filter(theme=article.theme)
        .exclude(pk=article.source_question_id or 0)
        .order_by("-created_at")[: limit - len(linked)]
    )
    return linked + rest


def overdue_articles() -> QuerySet[KnowledgeArticlePage]:
    return (
        KnowledgeArticlePage.objects.live()
        .filter(review_date__lt=timezone.localdate())
        .order_by("review_date")
    )


def moderation_queue(user) -> dict:
    from .models import Report

    if not can(user, "knowledge.moderate"):
        return {"held_questions": [], "held_answers": [], "reports": []}
    questions = scope(user, "knowledge.moderate", Question.objects.all())
    return {
        "held_questions": list(questions.filter(status=PostStatus.HELD).select_related("author")),
        "held_answers": list(
            scope(user, "knowledge.moderate", Answer.objects.filter(status=PostStatus.HELD)).select_related(
                "author", "question"
            )
        ),
        "reports": list(
            Report.objects.filter(handled_at__isnull=True)
            .filter(Q(question__in=questions.values("pk")) | Q(answer__question__in=questions.values("pk")))
            .select_related("question", "answer", "answer__question", "reporter")
            .order_by("created_at")
        ),
    }


def author_labels(authors) -> dict[int, str]:
    """How posters are shown, for many at once (one query): first name and what they are,
    never the household's name. Authors come with ``household`` selected."""
    from django.utils.translation import gettext as _

    from thuisnet.accounts.models import Membership

    authors = {u.pk: u for u in authors if u is not None}
    staff: dict[int, bool] = {}
    for user_id, is_expert in Membership.objects.filter(
        user_id__in=list(authors), role="staff", organisation__kind="provider"
    ).values_list("user_id", "is_expert"):
        staff[user_id] = staff.get(user_id, False) or is_expert
    labels = {}
    for pk, user in authors.items():
        name = user.get_short_name() if user.full_name else _("Deelnemer")
        if staff.get(pk):
            labels[pk] = _("%(name)s, deskundige") % {"name": name}
        elif pk in staff:
            labels[pk] = _("%(name)s, medewerker aanbieder") % {"name": name}
        elif getattr(user, "household", None) is not None:
            labels[pk] = f"{name}, {user.household.get_family_form_display().lower()}"
        else:
            labels[pk] = name
    return labels


def author_label(user) -> str:
    """How one poster is shown (see ``author_labels``)."""
    return author_labels([user])[user.pk]
