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
    "matching.open_constellations": {"staff"},
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


# ---------------------------------------------------------------- scope and check agree


@pytest.fixture
def matching_world(people, mentor_profile, support_parent, region_b_world):
    """Profiles in two regions (one unavailable) and requests in every status."""
    from matching.models import MentorProfile, MentorRequest

    parent_b = region_b_world["parent"]
    MentorProfile.objects.create(user=parent_b, about="Mentor in de Achterhoek.", themes=["start"])
    MentorProfile.objects.create(
        user=support_parent, about="Even geen tijd.", themes=["school"], is_available=False
    )
    mentor = mentor_profile.user
    statuses = MentorRequest.Status
    MentorRequest.objects.create(mentee=people["new_parent"], mentor=mentor, message="Hallo")
    MentorRequest.objects.create(
        mentee=support_parent, mentor=mentor, message="Hoi", status=statuses.ACCEPTED
    )
    for status in (statuses.DECLINED, statuses.WITHDRAWN, statuses.ENDED):
        MentorRequest.objects.create(mentee=parent_b, mentor=mentor, message="Dag", status=status)
    from matching.models import Mentee, NetworkContact, Pairing

    new = people["new_parent"]
    Pairing.objects.create(
        mentee=Mentee.objects.create(household=new.household, user=new), mentor=mentor_profile
    )
    Pairing.objects.create(
        mentee=Mentee.objects.create(household=parent_b.household, user=parent_b, status="withdrawn"),
        mentor=mentor_profile,
        status="ended",
    )
    NetworkContact.objects.create(household=new.household, first_name="Ans", relation="buurvrouw")
    NetworkContact.objects.create(
        household=new.household, first_name="Kees", relation="oom", shared_with_provider=True
    )
    NetworkContact.objects.create(
        household=parent_b.household, first_name="Piet", relation="opa", shared_with_provider=True
    )
    from matching.models import Buddy

    Buddy.objects.create(prospect=people["outsider"], ambassador=mentor_profile)
    Buddy.objects.create(prospect=people["new_parent"], ambassador=mentor_profile, status="ended")
    return {
        **people,
        "host_or_support": support_parent,
        "parent_b": parent_b,
        "b_coordinator": region_b_world["coordinator"],
    }


def _matching_querysets():
    from matching.models import Buddy, Constellation, MentorProfile, MentorRequest, NetworkContact, Pairing
    from thuisnet.accounts.models import Household, Region

    requests = [MentorRequest.objects.all]
    pairings = [Pairing.objects.all]
    return {
        "matching.run_round": [Region.objects.all],
        "matching.refer_mentee": [Household.objects.all],
        "matching.verify_mentor": [MentorProfile.objects.all],
        "matching.view_pairing": pairings,
        "matching.answer_pairing": pairings,
        "matching.send_checkin": pairings,
        "matching.end_pairing": pairings,
        "matching.view_network": [NetworkContact.objects.all],
        "matching.ask_buddy": [Region.objects.all],
        "matching.talk_buddy": [Buddy.objects.all],
        "matching.view_buddy": [Buddy.objects.all],
        "matching.manage_constellation": [Household.objects.all],
        "matching.plan_gathering": [Constellation.objects.all],
        "matching.view_gatherings": [Constellation.objects.all],
        "matching.ask_mentor": [MentorProfile.objects.all],
        "matching.view_request": requests,
        "matching.decide_request": requests,
        "matching.withdraw_request": requests,
        "matching.view_overview": [Region.objects.all],
    }


def test_every_matching_row_capability_is_in_the_scope_matrix():
    from thuisnet.accounts.policies import matching as area

    assert set(_matching_querysets()) == area.ROW_CAPABILITIES


def test_scope_and_check_agree_for_every_matching_capability(matching_world):
    from thuisnet.accounts.policies import disagreements

    found = {}
    for role, user in matching_world.items():
        for capability, querysets in _matching_querysets().items():
            for make in querysets:
                rows = disagreements(user, capability, make())
                if rows:
                    found[(role, capability)] = rows
    assert found == {}


def test_a_parent_is_offered_mentors_of_their_own_region_only(matching_world):
    from matching import selectors

    parent = matching_world["new_parent"]
    mentors = {s.profile.user for s in selectors.suggestions(parent)}
    assert matching_world["experienced"] not in mentors  # has a mentee already (max 1)
    assert matching_world["parent_b"] not in mentors  # other region
    parent_b = matching_world["parent_b"]
    assert {s.profile.user for s in selectors.suggestions(parent_b)} == set()


def test_a_parent_cannot_ask_a_mentor_of_another_region(matching_world, login):
    parent_b = matching_world["parent_b"]
    r = login(matching_world["new_parent"]).post(f"/mentoren/vragen/{parent_b.pk}/", {"message": "Hoi"})
    assert r.status_code == 403
