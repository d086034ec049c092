"""Read-only queries: what a given user may see. Other apps may call these."""

from __future__ import annotations

from django.db.models import Case, IntegerField, Q, QuerySet, Value, When
from django.utils import timezone

from thuisnet.accounts.policies import can

from .models import Answer, KnowledgeArticlePage, PostStatus, Question


def visible_questions(user) -> QuerySet[Question]:
    """Questions the user may see: visible ones of their region; plus own held/hidden ones;
    plus everything in regions they moderate."""
    if not can(user, "knowledge.view_questions"):
        return Question.objects.none()
    qs = Question.objects.all()
    if user.is_superuser:
        return qs
    base = Q(region_id=user.region_id, status=PostStatus.VISIBLE) | Q(author=user)
    if can(user, "knowledge.moderate"):
        from thuisnet.accounts.roles import roles_of

        r = roles_of(user)
        regions = set(r.coordinator_region_ids)
        if r.moderator_provider_ids and user.region_id:
            regions.add(user.region_id)
        base |= Q(region_id__in=regions)
    return qs.filter(base)


def answers_for(question: Question, user) -> list[Answer]:
    """Verified answers first, then the accepted one, then by helpful votes and age."""
    qs = question.answers.select_related("author", "author__household", "verified_by")
    if not can(user, "knowledge.moderate", question):
        qs = qs.filter(Q(status=PostStatus.VISIBLE) | Q(author=user))
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
    questions = visible_questions(user)
    return {
        "held_questions": list(questions.filter(status=PostStatus.HELD).select_related("author")),
        "held_answers": list(
            Answer.objects.filter(question__in=questions, status=PostStatus.HELD).select_related(
                "author", "question"
            )
        ),
        "reports": list(
            Report.objects.filter(handled_at__isnull=True)
            .filter(Q(question__in=questions) | Q(answer__question__in=questions))
            .select_related("question", "answer", "answer__question", "reporter")
            .order_by("created_at")
        ),
    }


def author_label(user) -> str:
    """How a poster is shown: first name and what they are (never the household's name)."""
    from django.utils.translation import gettext as _

    from thuisnet.accounts.roles import roles_of

    r = roles_of(user)
    name = user.get_short_name() if user.full_name else _("Deelnemer")
    if r.expert_provider_ids:
        return _("%(name)s, deskundige") % {"name": name}
    if r.provider_ids:
        return _("%(name)s, medewerker aanbieder") % {"name": name}
    household = getattr(user, "household", None)
    if household is not None:
        return f"{name}, {household.get_family_form_display().lower()}"
    return name
