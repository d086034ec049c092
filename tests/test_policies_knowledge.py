"""The whole role x capability matrix of the knowledge app."""

from __future__ import annotations

import pytest
from django.utils import timezone

from thuisnet.accounts.policies import can
from thuisnet.accounts.policies.registry import capabilities

pytestmark = pytest.mark.django_db

ROLES = [
    "anonymous",
    "parent",
    "support_parent",
    "unverified_parent",
    "staff",
    "other_staff",
    "coordinator",
    "editor",
    "admin_user",
    "outsider",
]

# Capabilities without an object (or with the obvious one), by role: True = allowed.
MATRIX = {
    "knowledge.read_articles": set(ROLES),
    "knowledge.view_questions": {
        "parent",
        "support_parent",
        "staff",
        "other_staff",
        "coordinator",
        "editor",
        "admin_user",
    },
    "knowledge.ask": {"parent", "support_parent", "staff", "other_staff", "admin_user"},
    "knowledge.moderate": {"staff", "coordinator", "admin_user"},
    "knowledge.view_overdue": {"editor", "admin_user"},
    "knowledge.convert_to_article": {"editor", "admin_user"},
    # the verify rule with an answer in the region: experts only (staff is an expert)
    "knowledge.digest": {"staff"},  # parent fixtures have no parent_since
}


@pytest.fixture
def people(
    request,
    parent,
    support_parent,
    staff,
    other_staff,
    coordinator,
    editor,
    admin_user,
    outsider,
    region,
    municipalities,
):
    from django.contrib.auth.models import AnonymousUser

    from thuisnet.accounts.models import Household, User

    unverified = User.objects.create_user(email="nieuw@example.org", password="x" * 12, region=region)
    unverified.household = Household.objects.create(
        region=region, municipality=municipalities["lochem"], family_form="foster", display_name="Gezin Nieuw"
    )
    unverified.save()
    return {
        "anonymous": AnonymousUser(),
        "parent": parent,
        "support_parent": support_parent,
        "unverified_parent": unverified,
        "staff": staff,
        "other_staff": other_staff,
        "coordinator": coordinator,
        "editor": editor,
        "admin_user": admin_user,
        "outsider": outsider,
    }


def test_every_knowledge_capability_is_in_the_matrix():
    mine = {c for c in capabilities() if c.startswith("knowledge.")}
    covered = set(MATRIX) | {
        "knowledge.view_question",
        "knowledge.view_answer",
        "knowledge.answer",
        "knowledge.vote",
        "knowledge.report",
        "knowledge.accept",
        "knowledge.verify",
        "knowledge.view_author",
    }
    assert mine == covered


@pytest.mark.parametrize("capability", sorted(MATRIX))
@pytest.mark.parametrize("role", ROLES)
def test_role_capability_matrix(people, role, capability):
    assert can(people[role], capability) is (role in MATRIX[capability])


def test_only_the_asker_accepts_an_answer(people, make_question):
    q = make_question(people["parent"])
    allowed = {r for r in ROLES if can(people[r], "knowledge.accept", q)}
    assert allowed == {"parent"}


def test_experts_verify_answers_in_their_region_only(people, make_question, make_answer, other_region):
    q = make_question(people["parent"])
    a = make_answer(q, people["support_parent"])
    allowed = {r for r in ROLES if can(people[r], "knowledge.verify", a)}
    assert allowed == {"staff", "admin_user"}  # other_staff is not an expert
    far = make_question(people["parent"], region=other_region)
    far_answer = make_answer(far, people["support_parent"])
    assert not can(people["staff"], "knowledge.verify", far_answer)


def test_anonymous_author_is_shown_to_moderators_and_the_asker_only(people, make_question):
    q = make_question(people["parent"], anonymous=True, theme="birth_parents")
    allowed = {r for r in ROLES if can(people[r], "knowledge.view_author", q)}
    assert allowed == {"parent", "staff", "coordinator", "admin_user"}
    named = make_question(people["parent"], title="Een gewone vraag over school")
    assert can(people["support_parent"], "knowledge.view_author", named)


def test_held_question_is_seen_by_author_and_moderators_only(people, make_question):
    q = make_question(people["parent"], status="held")
    allowed = {r for r in ROLES if can(people[r], "knowledge.view_question", q)}
    assert allowed == {"parent", "staff", "coordinator", "admin_user"}


def test_nobody_votes_on_their_own_answer(people, make_question, make_answer):
    q = make_question(people["parent"])
    a = make_answer(q, people["support_parent"])
    assert can(people["parent"], "knowledge.vote", a)
    assert not can(people["support_parent"], "knowledge.vote", a)
    assert not can(people["outsider"], "knowledge.vote", a)


def test_answering_needs_a_visible_question(people, make_question):
    hidden = make_question(people["parent"], status="hidden")
    assert not can(people["support_parent"], "knowledge.answer", hidden)
    assert can(people["support_parent"], "knowledge.answer", make_question(people["parent"]))


def test_experienced_parents_may_get_the_digest(people):
    from datetime import timedelta

    parent = people["parent"]
    parent.household.parent_since = timezone.localdate() - timedelta(days=3 * 365)
    parent.household.save()
    assert can(parent, "knowledge.digest")
    parent.household.parent_since = timezone.localdate() - timedelta(days=200)
    parent.household.save()
    assert not can(parent, "knowledge.digest")


def test_converting_needs_a_verified_answer(people, make_question, make_answer):
    q = make_question(people["parent"])
    a = make_answer(q, people["staff"])
    assert not can(people["editor"], "knowledge.convert_to_article", a)
    a.verified_at = timezone.now()
    assert can(people["editor"], "knowledge.convert_to_article", a)
    assert not can(people["staff"], "knowledge.convert_to_article", a)


# --- scope and check agree (issue 10, item 1) ---------------------------------------------


@pytest.fixture
def knowledge_world(request, people, make_question, make_answer, other_region):
    """Questions and answers in every moderation state, in two regions, some anonymous and
    some verified, by parents, staff and the far region's staff."""
    from knowledge.models import Answer, Question
    from tests.policy_people import far_side

    users = dict(people)
    far = far_side(other_region)
    users["far_staff"], users["far_coordinator"] = far["far_staff"], far["far_coordinator"]
    authors = [people["parent"], people["support_parent"], people["staff"]]
    n = 0
    for q_status in ("visible", "held", "hidden"):
        for anonymous in (False, True):
            for author, region in ((authors[0], None), (users["far_staff"], other_region)):
                n += 1
                extra = {"region": region} if region else {}
                q = make_question(author, title=f"Vraag {n}", status=q_status, anonymous=anonymous, **extra)
                for a_status in ("visible", "held", "hidden"):
                    for a_author in authors[1:]:
                        make_answer(
                            q,
                            a_author,
                            text=f"Antwoord {n} {a_status}",
                            status=a_status,
                            verified_at=timezone.now() if a_author == people["staff"] else None,
                        )
    return users, Question.objects.all(), Answer.objects.select_related("question")


def test_every_row_capability_of_knowledge_has_a_scope():
    from thuisnet.accounts.policies.knowledge import ROW_CAPABILITIES
    from thuisnet.accounts.policies.registry import missing_scopes

    assert missing_scopes(ROW_CAPABILITIES) == []


QUESTION_CAPABILITIES = [
    "knowledge.view_question",
    "knowledge.answer",
    "knowledge.report",
    "knowledge.accept",
    "knowledge.moderate",
    "knowledge.view_author",
]
ANSWER_CAPABILITIES = [
    "knowledge.view_answer",
    "knowledge.vote",
    "knowledge.report",
    "knowledge.verify",
    "knowledge.moderate",
    "knowledge.view_author",
    "knowledge.convert_to_article",
]


@pytest.mark.parametrize("capability", QUESTION_CAPABILITIES)
def test_scope_and_check_agree_on_questions(knowledge_world, capability):
    from tests.policy_people import assert_scopes_agree

    users, questions, _answers = knowledge_world
    assert questions.count() == 12
    assert_scopes_agree(users, capability, [questions])


@pytest.mark.parametrize("capability", ANSWER_CAPABILITIES)
def test_scope_and_check_agree_on_answers(knowledge_world, capability):
    from tests.policy_people import assert_scopes_agree

    users, _questions, answers = knowledge_world
    assert answers.count() == 72
    assert_scopes_agree(users, capability, [answers])


def test_a_parent_does_not_see_visible_questions_of_another_region(knowledge_world):
    """The region rule lived in the view; it is the policy's now, so lists obey it too."""
    from knowledge.selectors import visible_questions

    users, questions, _answers = knowledge_world
    far_visible = questions.filter(region__slug="achterhoek", status="visible").first()
    assert not can(users["support_parent"], "knowledge.view_question", far_visible)
    assert far_visible not in visible_questions(users["support_parent"])
    assert far_visible in visible_questions(users["far_coordinator"])
