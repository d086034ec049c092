"""The core permission matrix: every role against every platform capability."""

import pytest

from thuisnet.accounts.policies import can, capabilities
from thuisnet.accounts.roles import requires_mfa

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "outsider", "parent", "staff", "coordinator", "editor", "admin_user"]

# capability -> roles that may (without an object)
EXPECTED = {
    "cms.access": {"editor", "admin_user"},
    "site.administer": {"admin_user"},
    "audit.view": {"admin_user"},
    "region.view_aggregates": {"coordinator"},
    "provider.act_for": {"staff"},
}


@pytest.fixture
def people(request, outsider, parent, staff, coordinator, editor, admin_user):
    from django.contrib.auth.models import AnonymousUser

    return {
        "anonymous": AnonymousUser(),
        "outsider": outsider,
        "parent": parent,
        "staff": staff,
        "coordinator": coordinator,
        "editor": editor,
        "admin_user": admin_user,
    }


@pytest.mark.parametrize("capability", sorted(EXPECTED))
@pytest.mark.parametrize("role", ROLES)
def test_the_core_matrix(people, role, capability):
    assert can(people[role], capability) == (role in EXPECTED[capability])


def test_every_core_capability_is_in_the_matrix():
    core = {c for c in capabilities() if c.split(".")[0] in {"cms", "site", "audit", "region", "provider"}}
    assert core == set(EXPECTED)


def test_staff_act_only_for_their_own_provider(staff, provider, other_provider):
    assert can(staff, "provider.act_for", provider)
    assert not can(staff, "provider.act_for", other_provider)


def test_coordinators_see_only_their_own_region(coordinator, region, other_region):
    assert can(coordinator, "region.view_aggregates", region)
    assert not can(coordinator, "region.view_aggregates", other_region)


def test_an_inactive_account_may_do_nothing(admin_user):
    admin_user.is_active = False
    assert not can(admin_user, "site.administer")


def test_an_unknown_capability_is_a_bug_not_a_no(parent):
    with pytest.raises(KeyError, match="Unknown capability"):
        can(parent, "respite.fly_to_the_moon")


@pytest.mark.parametrize(
    "role,needs",
    [
        ("outsider", False),
        ("parent", False),
        ("staff", True),
        ("coordinator", True),
        ("editor", True),
        ("admin_user", True),
    ],
)
def test_staff_roles_need_a_second_factor(people, role, needs):
    assert requires_mfa(people[role]) is needs
