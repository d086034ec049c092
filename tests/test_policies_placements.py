"""Who may do what in the placement register and breakdown monitor: the whole matrix."""

from __future__ import annotations

import pytest

from thuisnet.accounts.policies import can

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "outsider", "parent", "staff", "other_staff", "coordinator", "editor", "admin_user"]

# capability -> object fixture -> roles that may
MATRIX = {
    ("placements.view_rows", "provider"): {"staff"},
    ("placements.view_rows", "other_provider"): {"other_staff"},
    ("placements.edit", "provider"): {"staff"},
    ("placements.edit", "placement"): {"staff"},
    ("placements.view_report", "region"): {"staff", "other_staff", "coordinator"},
    ("placements.view_report", "other_region"): set(),
    ("placements.view_provider_report", "provider"): {"staff", "coordinator"},
    ("placements.manage_target", "region"): {"coordinator"},
    ("placements.manage_target", "other_region"): set(),
}


@pytest.fixture
def placement(make_placement):
    from datetime import date

    return make_placement(date(2025, 1, 1))


@pytest.mark.parametrize(("capability", "obj_name"), list(MATRIX))
@pytest.mark.parametrize("role", ROLES)
def test_placement_capabilities_by_role(request, role, capability, obj_name):
    from django.contrib.auth.models import AnonymousUser

    user = AnonymousUser() if role == "anonymous" else request.getfixturevalue(role)
    obj = request.getfixturevalue(obj_name)
    assert can(user, capability, obj) == (role in MATRIX[(capability, obj_name)])


# --- scope and check agree (issue 10, item 1) ---------------------------------------------


@pytest.fixture
def placement_world(request, make_placement, other_region, provider, other_provider):
    """Placements of three providers in two regions; a target per region."""
    from datetime import date
    from decimal import Decimal

    from foster.placements.models import Placement, Target
    from tests.policy_people import people
    from thuisnet.accounts.models import Organisation, Region

    users, far_provider = people(request, other_region)
    for prov in (provider, other_provider, far_provider):
        for i in range(3):
            make_placement(date(2025, 1, 1 + i), provider=prov)
    for reg in Region.objects.all():
        Target.objects.create(
            region=reg,
            cohort_start=date(2024, 1, 1),
            cohort_end=date(2025, 12, 31),
            horizon_months=12,
            max_share=Decimal("0.2"),
        )
    providers = Organisation.objects.filter(kind="provider")
    return {
        "users": users,
        "placements.view_rows": [Placement.objects.all(), providers],
        "placements.edit": [Placement.objects.all(), providers],
        "placements.view_report": [Region.objects.all(), Target.objects.all()],
        "placements.view_provider_report": [providers],
        "placements.manage_target": [Region.objects.all(), Target.objects.all()],
    }


def test_every_row_capability_of_placements_has_a_scope():
    from thuisnet.accounts.policies.placements import ROW_CAPABILITIES
    from thuisnet.accounts.policies.registry import missing_scopes

    assert missing_scopes(ROW_CAPABILITIES) == []


@pytest.mark.parametrize(
    "capability",
    [
        "placements.view_rows",
        "placements.edit",
        "placements.view_report",
        "placements.view_provider_report",
        "placements.manage_target",
    ],
)
def test_scope_and_check_agree_for_every_role(placement_world, capability):
    from tests.policy_people import assert_scopes_agree

    assert_scopes_agree(placement_world["users"], capability, placement_world[capability])


def test_staff_see_rows_of_their_own_provider_only(placement_world, provider):
    from foster.placements.models import Placement
    from thuisnet.accounts.policies import scope

    users = placement_world["users"]
    assert {
        p.provider_id for p in scope(users["staff"], "placements.view_rows", Placement.objects.all())
    } == {provider.pk}
    assert not scope(users["coordinator"], "placements.view_rows", Placement.objects.all()).exists()
    assert not scope(users["admin_user"], "placements.view_rows", Placement.objects.all()).exists()
