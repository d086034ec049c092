"""The role x capability matrix of the foster app."""

from __future__ import annotations

import pytest

from foster.models import Prospect
from thuisnet.accounts.policies import can, capabilities


@pytest.fixture
def prospect(region, provider):
    from django.utils import timezone

    return Prospect.objects.create(
        region=region,
        provider=provider,
        family_form="full_time",
        name="A",
        email="a@example.org",
        source="website",
        stage_date=timezone.localdate(),
    )


def _users(request):
    names = ["anonymous", "parent", "staff", "other_staff", "coordinator", "editor", "admin_user", "outsider"]
    out = {}
    for n in names:
        out[n] = None if n == "anonymous" else request.getfixturevalue(n)
    return out


# capability -> the roles that may (object chosen per capability below)
MATRIX = {
    "foster.register": {
        "anonymous",
        "parent",
        "staff",
        "other_staff",
        "coordinator",
        "editor",
        "admin_user",
        "outsider",
    },
    "foster.organise": {"staff", "coordinator", "admin_user"},
    "foster.list_organised": {"staff", "other_staff", "coordinator", "admin_user"},
    "foster.list_prospects": {"staff", "other_staff", "coordinator", "admin_user"},
    "foster.follow_up": {"staff", "coordinator", "admin_user"},
    "foster.view_report": {"coordinator", "admin_user"},
}


def test_the_matrix_covers_every_foster_capability():
    assert sorted(MATRIX) == [c for c in capabilities() if c.startswith("foster.")]


@pytest.mark.django_db
@pytest.mark.parametrize("capability", sorted(MATRIX))
def test_each_role_may_do_exactly_what_the_matrix_says(request, capability, evening, prospect, region):
    obj = {
        "foster.register": evening,
        "foster.organise": evening,
        "foster.follow_up": prospect,
        "foster.view_report": region,
    }.get(capability)
    allowed = {name for name, user in _users(request).items() if can(user, capability, obj)}
    assert allowed == MATRIX[capability]


@pytest.mark.django_db
def test_a_coordinator_of_another_region_sees_no_report_and_organises_nothing(other_region, evening, region):
    from thuisnet.accounts.models import Membership, Organisation, User

    org = Organisation.objects.create(
        region=other_region, kind="region", name="Achterhoek", slug="regio-achterhoek"
    )
    user = User.objects.create_user(email="c2@example.org", password="x-Geheim-1")
    Membership.objects.create(user=user, organisation=org, role="coordinator")
    assert not can(user, "foster.view_report", region)
    assert not can(user, "foster.organise", evening)


def test_staff_without_the_organiser_flag_do_not_run_evenings(staff, evening):
    from thuisnet.accounts.models import Membership
    from thuisnet.accounts.roles import forget_roles

    assert can(staff, "foster.organise", evening)
    Membership.objects.filter(user=staff).update(is_organiser=False)
    forget_roles(staff)
    assert not can(staff, "foster.organise", evening)
