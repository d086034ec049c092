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


# ---------------------------------------------------------------- every row capability has a scope


def _area_modules():
    """Every policies/<area>.py (everything in the package but the registry)."""
    import importlib
    import pkgutil

    from thuisnet.accounts import policies

    return {
        m.name: importlib.import_module(f"{policies.__name__}.{m.name}")
        for m in pkgutil.iter_modules(policies.__path__)
        if m.name != "registry"
    }


def test_every_policy_area_lists_its_row_capabilities():
    """Convention: each policies/<area>.py exports ROW_CAPABILITIES, the capabilities whose
    rule takes a row (an offer, a booking, a page, a region ...)."""
    missing = [name for name, module in _area_modules().items() if not hasattr(module, "ROW_CAPABILITIES")]
    assert missing == []


def test_every_row_capability_is_registered_and_has_a_scope():
    from thuisnet.accounts.policies.registry import missing_scopes

    listed = set().union(*(getattr(m, "ROW_CAPABILITIES", set()) for m in _area_modules().values()))
    assert listed - set(capabilities()) == set()
    assert missing_scopes(sorted(listed)) == []


# Capabilities of these areas that never take a row: asked without an object only.
WITHOUT_ROWS = {
    "core": {"cms.access", "site.administer", "audit.view"},
    "respite": {"respite.search"},
    "matching": {"matching.become_mentor", "matching.find_mentor", "matching.open_constellations"},
}


@pytest.mark.parametrize("area", sorted(WITHOUT_ROWS))
def test_each_capability_of_an_area_either_takes_rows_or_is_listed_as_not(area):
    from thuisnet.accounts.policies.registry import _RULES

    module = _area_modules()[area]
    registered = {c for c, fn in _RULES.items() if fn.__module__ == module.__name__}
    assert registered == module.ROW_CAPABILITIES | WITHOUT_ROWS[area]


@pytest.mark.parametrize("role", ROLES)
def test_core_scopes_agree_with_their_checks(people, role, provider, other_provider, region, other_region):
    from thuisnet.accounts.models import Organisation, Region
    from thuisnet.accounts.policies import disagreements

    user = people[role]
    assert disagreements(user, "provider.act_for", Organisation.objects.all()) == []
    assert disagreements(user, "region.view_aggregates", Region.objects.all()) == []
    assert disagreements(user, "region.view_aggregates", Organisation.objects.all()) == []


def test_a_scope_without_a_rule_or_a_rule_without_a_scope_is_a_bug(parent):
    from thuisnet.accounts.models import Region
    from thuisnet.accounts.policies import scope

    with pytest.raises(KeyError, match="Unknown capability"):
        scope(parent, "respite.fly_to_the_moon", Region.objects.all())
    with pytest.raises(KeyError, match="no scope"):
        scope(parent, "cms.access", Region.objects.all())
