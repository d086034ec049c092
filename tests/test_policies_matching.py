"""Mentor pairing permissions, role by capability."""

from datetime import date

import pytest
from django.contrib.auth.models import AnonymousUser

from thuisnet.accounts.policies import can

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(outsider, parent, experienced, staff, coordinator, editor, admin_user):
    parent.household.parent_since = date.today()
    parent.household.save()
    return {
        "anonymous": AnonymousUser(),
        "outsider": outsider,
        "new_parent": parent,
        "experienced": experienced,
        "staff": staff,
        "coordinator": coordinator,
        "editor": editor,
        "admin_user": admin_user,
    }


EXPECTED = {
    "matching.become_mentor": {"experienced"},
    "matching.find_mentor": {"new_parent", "experienced"},
    "matching.view_overview": {"coordinator"},
}


@pytest.mark.parametrize("capability", sorted(EXPECTED))
@pytest.mark.parametrize(
    "role",
    ["anonymous", "outsider", "new_parent", "experienced", "staff", "coordinator", "editor", "admin_user"],
)
def test_the_matching_matrix(people, role, capability):
    assert can(people[role], capability) == (role in EXPECTED[capability])


def test_an_unverified_household_cannot_mentor(experienced):
    experienced.household.verified_at = None
    experienced.household.save()
    assert not can(experienced, "matching.become_mentor")


def test_only_the_two_sides_act_on_a_request(parent, mentor_profile, support_parent):
    from matching.services import request_mentor

    req = request_mentor(parent, mentor_profile.user, "Graag!")
    assert can(mentor_profile.user, "matching.decide_request", req)
    assert not can(parent, "matching.decide_request", req)
    assert can(parent, "matching.withdraw_request", req)
    assert not can(support_parent, "matching.withdraw_request", req)
