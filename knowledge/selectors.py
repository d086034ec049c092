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
        question.answers.select_related("author", "author__household", "verified_by", "municipality"),
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


def ask_refusal(user) -> str:
    """Why ``user`` may not ask a question (empty when they may), so a page can say so instead
    of showing a link that ends in "Geen toegang"."""
    from django.utils.translation import gettext as _

    if can(user, "knowledge.ask"):
        return ""
    if not getattr(user, "is_authenticated", False):
        return _("Log in om een vraag te stellen.")
    household = getattr(user, "household", None)
    if household is not None and not household.is_verified:
        return _(
            "Je kunt een vraag stellen zodra je aanbieder je gezin heeft bevestigd. Tot die tijd "
            "kun je de kennisbank lezen."
        )
    if can(user, "knowledge.moderate"):
        return _(
            "Vragen stellen is voor pleeg-, steun- en gezinshuisouders en medewerkers van "
            "aanbieders. Je kunt de vragen wel lezen en modereren."
        )
    if can(user, "knowledge.view_questions"):
        return _(
            "Vragen stellen is voor pleeg-, steun- en gezinshuisouders en medewerkers van "
            "aanbieders. Je kunt de vragen wel lezen."
        )
    return _("Vragen stellen is voor pleeg-, steun- en gezinshuisouders en medewerkers van aanbieders.")


# ------------------------------------------------------------------- per municipality


def chosen_municipality(request, region_id: int | None = None):
    """The municipality a reader chose (``?gemeente=<slug>``; part of the URL, so a cached
    anonymous page never depends on a cookie). ``None`` when none or unknown."""
    from thuisnet.accounts.models import Municipality

    slug = (request.GET.get("gemeente") or "").strip().lower()[:60]
    if not slug:
        return None
    qs = Municipality.objects.filter(slug=slug)
    if region_id is not None:
        qs = qs.filter(region_id=region_id)
    return qs.first()


def answer_municipality_choices(user, question: Question) -> QuerySet | None:
    """The municipalities an expert (``knowledge.verify``) or moderator (``knowledge.moderate``)
    may mark an answer on ``question`` as applying to: those of the question's region.
    ``None`` for everyone else (the answer form then has no municipality field)."""
    if not (can(user, "knowledge.verify", question) or can(user, "knowledge.moderate", question)):
        return None
    return municipalities_for_choice(question.region_id)


def municipalities_for_choice(region_id: int | None = None):
    from thuisnet.accounts.models import Municipality

    qs = Municipality.objects.order_by("name")
    return qs.filter(region_id=region_id) if region_id is not None else qs


def applies_first(articles: list, municipality) -> list:
    """Articles for ``municipality`` first (specific ones, then those for all), then the rest;
    each gets ``applies_here`` (True/False/None when nothing was chosen). Articles come with
    ``municipalities`` prefetched."""
    if municipality is None:
        for a in articles:
            a.applies_here = None
        return articles
    for a in articles:
        ids = {m.pk for m in a.municipalities.all()}
        a.specific_here = (not a.all_municipalities) and municipality.pk in ids
        a.applies_here = a.all_municipalities or municipality.pk in ids
    return sorted(articles, key=lambda a: (not a.specific_here, not a.applies_here))


def municipal_comparison(theme: str, chosen=None) -> dict | None:
    """Editors' rules per topic, side by side per municipality (one query):
    ``{"municipalities": [...], "rows": [{"topic", "cells": [rule or None, ...]}]}``, the
    chosen municipality's column first."""
    from .models import MunicipalRule

    rules = list(MunicipalRule.objects.filter(theme=theme).select_related("municipality"))
    if not rules:
        return None
    munis = sorted(
        {r.municipality for r in rules}, key=lambda m: (chosen is None or m.pk != chosen.pk, m.name)
    )
    by_topic: dict[str, dict[int, object]] = {}
    for r in rules:
        by_topic.setdefault(r.topic, {})[r.municipality_id] = r
    rows = [{"topic": t, "cells": [cells.get(m.pk) for m in munis]} for t, cells in sorted(by_topic.items())]
    return {"municipalities": munis, "rows": rows, "chosen": chosen}


def named_municipalities(text: str, region_id: int | None):
    """Municipalities of the region whose name appears in ``text`` as a word."""
    import re

    if not text:
        return []
    found = []
    for m in municipalities_for_choice(region_id):
        if re.search(rf"(?<!\w){re.escape(m.name)}(?!\w)", text, flags=re.IGNORECASE):
            found.append(m)
    return found


def municipal_suggestions(text: str, user, limit: int = 6) -> list[dict]:
    """When a question names a municipality: the articles and visible answers that apply to
    that municipality specifically."""
    munis = named_municipalities(text, getattr(user, "region_id", None))
    if not munis:
        return []
    out: list[dict] = []
    articles = (
        KnowledgeArticlePage.objects.live()
        .public()
        .filter(all_municipalities=False, municipalities__in=munis)
        .prefetch_related("municipalities")
        .distinct()
        .order_by("title")[:limit]
    )
    ids = {m.pk for m in munis}
    for a in articles:
        names = [m.name for m in a.municipalities.all() if m.pk in ids]
        out.append({"title": a.title, "url": a.url, "municipality": ", ".join(names)})
    answers = (
        scope(
            user,
            "knowledge.view_answer",
            Answer.objects.filter(status=PostStatus.VISIBLE, municipality__in=munis),
        )
        .select_related("question", "municipality")
        .order_by("-verified_at", "-helpful_count")[:limit]
    )
    for a in answers:
        out.append(
            {
                "title": a.question.title,
                "url": f"{a.question.get_absolute_url()}#antwoord-{a.pk}",
                "municipality": a.municipality.name,
            }
        )
    return out[:limit]
