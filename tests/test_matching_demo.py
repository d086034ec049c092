"""The demo (issue 11 'done means'): a coordinator runs a round over generated parents and
mentors, confirms it, both sides accept, the trial ends with one-click check-ins, the mentee
has "jouw mentor" for respite, and the region's view shows figures."""

import pytest
from django.core.management import call_command

from matching import selectors, services
from matching.models import CheckIn, Mentee, MentorProfile, Pairing
from thuisnet.accounts.models import User

pytestmark = pytest.mark.django_db


def test_the_demo_walks_a_whole_round_and_loads_twice_without_change():
    call_command("load_demo", verbosity=0)
    counts = (Mentee.objects.count(), MentorProfile.objects.count())
    call_command("load_demo", verbosity=0)
    assert (Mentee.objects.count(), MentorProfile.objects.count()) == counts
    assert counts[0] >= 20 and counts[1] >= 12

    coordinator = User.objects.get(email="coordinator@thuisnet.example")
    region = selectors.coordinator_region(coordinator)
    rnd = services.run_round(coordinator, region)
    assert rnd.proposals.filter(mentor__isnull=False).count() >= 10
    made = services.confirm_round(coordinator, rnd.pk)
    pairing = made[0]
    mentee_user = User.objects.filter(household_id=pairing.mentee.household_id).first()
    services.answer(pairing.mentor.user, pairing.pk, accept=True)
    pairing = services.answer(mentee_user, pairing.pk, accept=True)
    services.end_trials(pairing.trial_ends_on)
    for checkin in CheckIn.objects.filter(pairing=pairing):
        from matching.pairings import checkin_link

        services.record_answer(checkin_link(checkin, "goed").split("/")[-2])
    assert Pairing.objects.get(pk=pairing.pk).status == "active"
    assert services.mentor_user_ids_for(mentee_user) == {pairing.mentor.user_id}
    figures = selectors.region_figures(coordinator, region)
    assert figures["total"]["asked"] not in ("0", None)
