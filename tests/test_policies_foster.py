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
    "foster.publish_evening": set(),
    "foster.register_as_parent": {"parent"},
    "foster.my_activities": {"parent"},
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
        "foster.register_as_parent": evening,
        "foster.publish_evening": evening,
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


# --- scope and check agree (issue 10, item 1) ---------------------------------------------


@pytest.fixture
def foster_world(request, make_evening, region, other_region, provider, other_provider):
    """Evenings with one and with two organisers, one of another region; prospects of
    several providers and regions."""
    from django.utils import timezone

    from foster.models import EveningPage, EveningSession
    from tests.policy_people import people
    from thuisnet.accounts.models import Region

    users, far_provider = people(request, other_region)
    make_evening(organisers=[provider, other_provider])
    make_evening(organisers=[other_provider])
    make_evening(organisers=[far_provider], region=other_region, municipality=None)
    make_evening(organisers=[provider], days=-5)
    today = timezone.localdate()
    for i, (reg, prov) in enumerate(
        [(region, provider), (region, other_provider), (other_region, far_provider), (region, far_provider)]
    ):
        Prospect.objects.create(
            region=reg,
            provider=prov,
            family_form="full_time",
            name=f"Aspirant {i}",
            email=f"aspirant{i}@example.org",
            source="website",
            stage_date=today,
        )
    return {
        "users": users,
        "foster.organise": [EveningSession.objects.all(), EveningPage.objects.all()],
        "foster.register": [EveningSession.objects.all()],
        "foster.follow_up": [Prospect.objects.all()],
        "foster.view_report": [Region.objects.all()],
    }


def test_every_row_capability_of_foster_has_a_scope():
    from thuisnet.accounts.policies.foster import ROW_CAPABILITIES
    from thuisnet.accounts.policies.registry import missing_scopes

    assert missing_scopes(ROW_CAPABILITIES) == []
    assert set(MATRIX) >= ROW_CAPABILITIES


@pytest.mark.django_db
@pytest.mark.parametrize(
    "capability", ["foster.organise", "foster.register", "foster.follow_up", "foster.view_report"]
)
def test_scope_and_check_agree_for_every_role(foster_world, capability):
    from tests.policy_people import assert_scopes_agree

    assert len(foster_world[capability][0]) >= 2
    assert_scopes_agree(foster_world["users"], capability, foster_world[capability])


@pytest.mark.django_db
def test_the_far_regions_people_see_only_their_own_region(foster_world):
    from foster.models import EveningSession
    from thuisnet.accounts.policies import scope

    users = foster_world["users"]
    far = scope(users["far_staff"], "foster.organise", EveningSession.objects.all())
    assert {s.page.region.slug for s in far} == {"achterhoek"}
    mine = scope(users["coordinator"], "foster.follow_up", Prospect.objects.all())
    assert {p.region.slug for p in mine} == {"midden-ijssel-oost-veluwe"}
