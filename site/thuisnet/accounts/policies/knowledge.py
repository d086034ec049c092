"""Rules for the knowledge app. Register each with @rule("knowledge.<verb>").

Participants of the question space are parents with a household confirmed by their
provider, and provider staff. Moderators are provider staff with the moderator flag and
region coordinators (for questions in their region); administrators may do everything.
"""

from django.db.models import Q, QuerySet

from thuisnet.accounts.roles import ADMINISTRATOR, EDITOR, PARENT, roles_of

from .registry import anonymous_allowed, rule, scope_of

# Capabilities whose rule takes a row; each has a scope (tests/test_policies_knowledge.py).
ROW_CAPABILITIES = {
    "knowledge.view_question",
    "knowledge.view_answer",
    "knowledge.answer",
    "knowledge.vote",
    "knowledge.report",
    "knowledge.accept",
    "knowledge.verify",
    "knowledge.moderate",
    "knowledge.view_author",
    "knowledge.convert_to_article",
}
VISIBLE = "visible"


def _region_of(obj) -> int | None:
    if obj is None:
        return None
    question = getattr(obj, "question", None) if hasattr(obj, "question_id") else obj
    return getattr(question, "region_id", None)


def _question_of(obj):
    return obj.question if hasattr(obj, "question_id") else obj


def _question_prefix(queryset: QuerySet) -> str:
    """Answers (and reports) reach their question through ``question``."""
    return "" if queryset.model.__name__ == "Question" else "question__"


def _moderated_region_ids(user) -> set[int]:
    """The regions whose questions ``user`` moderates (administrators: see the callers)."""
    r = roles_of(user)
    regions = set(r.coordinator_region_ids)
    if r.moderator_provider_ids and r.region_id is not None:
        regions.add(r.region_id)
    return regions


def _is_participant(user) -> bool:
    r = roles_of(user)
    if r.provider_ids or r.has(ADMINISTRATOR):
        return True
    if r.has(PARENT):
        household = getattr(user, "household", None)
        return bool(household and household.is_verified)
    return False


@rule("knowledge.read_articles")
@anonymous_allowed
def read_articles(user, obj=None) -> bool:
    """The knowledge base itself is public."""
    return True


@rule("knowledge.view_questions")
def view_questions(user, obj=None) -> bool:
    """Questions are for participants, moderators and editors (who turn answers into pages)."""
    r = roles_of(user)
    return _is_participant(user) or bool(r.coordinator_region_ids) or r.has(EDITOR)


@rule("knowledge.view_question")
def view_question(user, question=None) -> bool:
    """A visible question of one's own region is readable by everyone in the space; held or
    hidden ones, and questions of other regions, only by their author and moderators."""
    if not view_questions(user):
        return False
    if question is None:
        return True
    if question.author_id == user.pk or moderate(user, question):
        return True
    return question.status == VISIBLE and question.region_id == roles_of(user).region_id


@scope_of("knowledge.view_question")
def view_question_scope(user, queryset: QuerySet) -> QuerySet:
    if not view_questions(user):
        return queryset.none()
    r = roles_of(user)
    if r.has(ADMINISTRATOR):
        return queryset
    allowed = Q(author_id=user.pk) | Q(region_id__in=_moderated_region_ids(user))
    if r.region_id is not None:
        allowed |= Q(status=VISIBLE, region_id=r.region_id)
    return queryset.filter(allowed)


@rule("knowledge.view_answer")
def view_answer(user, answer=None) -> bool:
    """An answer shows where its question does: visible ones to all, held or hidden ones to
    their author and the question's moderators."""
    if answer is None:
        return view_questions(user)
    if not view_question(user, answer.question):
        return False
    return answer.status == VISIBLE or answer.author_id == user.pk or moderate(user, answer)


@scope_of("knowledge.view_answer")
def view_answer_scope(user, queryset: QuerySet) -> QuerySet:
    from knowledge.models import Question

    if not view_questions(user):
        return queryset.none()
    if roles_of(user).has(ADMINISTRATOR):
        return queryset
    questions = view_question_scope(user, Question.objects.all()).values("pk")
    shown = Q(status=VISIBLE) | Q(author_id=user.pk) | Q(question__region_id__in=_moderated_region_ids(user))
    return queryset.filter(shown, question__in=questions)


@rule("knowledge.ask")
def ask(user, obj=None) -> bool:
    return _is_participant(user)


@rule("knowledge.answer")
def answer(user, question=None) -> bool:
    return _is_participant(user) and (question is None or question.status == "visible")


@scope_of("knowledge.answer")
def answer_scope(user, queryset: QuerySet) -> QuerySet:
    return queryset.filter(status=VISIBLE) if _is_participant(user) else queryset.none()


@rule("knowledge.vote")
def vote(user, answer=None) -> bool:
    """Participants vote on other people's answers."""
    return _is_participant(user) and (answer is None or answer.author_id != user.pk)


@scope_of("knowledge.vote")
def vote_scope(user, queryset: QuerySet) -> QuerySet:
    return queryset.exclude(author_id=user.pk) if _is_participant(user) else queryset.none()


@rule("knowledge.report")
def report(user, obj=None) -> bool:
    return view_questions(user)


@scope_of("knowledge.report")
def report_scope(user, queryset: QuerySet) -> QuerySet:
    return queryset if view_questions(user) else queryset.none()


@rule("knowledge.accept")
def accept(user, question=None) -> bool:
    """Only the asker accepts an answer to their own question."""
    return question is not None and question.author_id == user.pk and _is_participant(user)


@scope_of("knowledge.accept")
def accept_scope(user, queryset: QuerySet) -> QuerySet:
    return queryset.filter(author_id=user.pk) if _is_participant(user) else queryset.none()


@rule("knowledge.verify")
def verify(user, answer=None) -> bool:
    """Provider staff with the expert flag (any provider of the region) verify answers."""
    r = roles_of(user)
    if r.has(ADMINISTRATOR):
        return True
    if not r.expert_provider_ids:
        return False
    region_id = _region_of(answer)
    return region_id is None or region_id == r.region_id


@scope_of("knowledge.verify")
def verify_scope(user, queryset: QuerySet) -> QuerySet:
    r = roles_of(user)
    if r.has(ADMINISTRATOR):
        return queryset
    if not r.expert_provider_ids or r.region_id is None:
        return queryset.none()
    return queryset.filter(**{f"{_question_prefix(queryset)}region_id": r.region_id})


@rule("knowledge.moderate")
def moderate(user, obj=None) -> bool:
    r = roles_of(user)
    if r.has(ADMINISTRATOR):
        return True
    region_id = _region_of(obj)
    if r.moderator_provider_ids and (region_id is None or region_id == r.region_id):
        return True
    return bool(r.coordinator_region_ids) and (region_id is None or region_id in r.coordinator_region_ids)


@scope_of("knowledge.moderate")
def moderate_scope(user, queryset: QuerySet) -> QuerySet:
    """Questions, or answers through their question, in the regions the user moderates."""
    if roles_of(user).has(ADMINISTRATOR):
        return queryset
    return queryset.filter(**{f"{_question_prefix(queryset)}region_id__in": _moderated_region_ids(user)})


@rule("knowledge.view_author")
def view_author(user, question=None) -> bool:
    """Who asked? Shown for normal questions; for anonymous ones to moderators only (and the
    asker themself)."""
    if question is None:
        return False
    question = _question_of(question)
    if not question.anonymous:
        return view_questions(user)
    return question.author_id == user.pk or moderate(user, question)


@scope_of("knowledge.view_author")
def view_author_scope(user, queryset: QuerySet) -> QuerySet:
    if roles_of(user).has(ADMINISTRATOR):
        return queryset
    p = _question_prefix(queryset)
    named = Q(**{f"{p}anonymous": False}) if view_questions(user) else Q(pk__in=[])
    anonymous = Q(**{f"{p}anonymous": True}) & (
        Q(**{f"{p}author_id": user.pk}) | Q(**{f"{p}region_id__in": _moderated_region_ids(user)})
    )
    return queryset.filter(named | anonymous)


@rule("knowledge.convert_to_article")
def convert_to_article(user, answer=None) -> bool:
    """Editors turn a verified answer into a draft knowledge article."""
    if not roles_of(user).has(EDITOR):
        return False
    return answer is None or (answer.verified_at is not None and answer.status == "visible")


@scope_of("knowledge.convert_to_article")
def convert_to_article_scope(user, queryset: QuerySet) -> QuerySet:
    if not roles_of(user).has(EDITOR):
        return queryset.none()
    return queryset.filter(verified_at__isnull=False, status=VISIBLE)


@rule("knowledge.view_overdue")
def view_overdue(user, obj=None) -> bool:
    return roles_of(user).has(EDITOR)


@rule("knowledge.digest")
def digest(user, obj=None) -> bool:
    """Experts and experienced parents (two years or more) may subscribe to the digest."""
    from datetime import timedelta

    from django.utils import timezone

    r = roles_of(user)
    if r.expert_provider_ids:
        return True
    household = getattr(user, "household", None) if r.has(PARENT) else None
    if not household or not household.is_verified or not household.parent_since:
        return False
    return household.parent_since <= timezone.localdate() - timedelta(days=730)
