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
