"""Rules for the knowledge app. Register each with @rule("knowledge.<verb>").

Participants of the question space are parents with a household confirmed by their
provider, and provider staff. Moderators are provider staff with the moderator flag and
region coordinators (for questions in their region); administrators may do everything.
"""

from thuisnet.accounts.roles import ADMINISTRATOR, EDITOR, PARENT, roles_of

from .registry import anonymous_allowed, rule


def _region_of(obj) -> int | None:
    if obj is None:
        return None
    question = getattr(obj, "question", None) if hasattr(obj, "question_id") else obj
    return getattr(question, "region_id", None)


def _question_of(obj):
    return obj.question if hasattr(obj, "question_id") else obj


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
    """A visible question is readable by everyone in the space; held or hidden ones only by
    their author and moderators."""
    if not view_questions(user):
        return False
    if question is None or question.status == "visible":
        return True
    return question.author_id == user.pk or moderate(user, question)


@rule("knowledge.ask")
def ask(user, obj=None) -> bool:
    return _is_participant(user)


@rule("knowledge.answer")
def answer(user, question=None) -> bool:
    return _is_participant(user) and (question is None or question.status == "visible")


@rule("knowledge.vote")
def vote(user, answer=None) -> bool:
    """Participants vote on other people's answers."""
    return _is_participant(user) and (answer is None or answer.author_id != user.pk)


@rule("knowledge.report")
def report(user, obj=None) -> bool:
    return view_questions(user)


@rule("knowledge.accept")
def accept(user, question=None) -> bool:
    """Only the asker accepts an answer to their own question."""
    return question is not None and question.author_id == user.pk and _is_participant(user)


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


@rule("knowledge.moderate")
def moderate(user, obj=None) -> bool:
    r = roles_of(user)
    if r.has(ADMINISTRATOR):
        return True
    region_id = _region_of(obj)
    if r.moderator_provider_ids and (region_id is None or region_id == r.region_id):
        return True
    return bool(r.coordinator_region_ids) and (region_id is None or region_id in r.coordinator_region_ids)


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


@rule("knowledge.convert_to_article")
def convert_to_article(user, answer=None) -> bool:
    """Editors turn a verified answer into a draft knowledge article."""
    if not roles_of(user).has(EDITOR):
        return False
    return answer is None or (answer.verified_at is not None and answer.status == "visible")


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
