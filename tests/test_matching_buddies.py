"""Issue 11, item 4: buddies for prospects."""

import pytest

from matching import buddies
from matching.models import Buddy, MentorProfile

pytestmark = pytest.mark.django_db


@pytest.fixture
def ambassador(mentor_profile):
    mentor_profile.is_ambassador = True
    mentor_profile.save()
    return mentor_profile


def test_a_prospect_gets_an_ambassador_of_their_region(outsider, ambassador, sent_mail):
    buddy = buddies.ask_buddy(outsider)
    assert buddy.ambassador == ambassador
    assert buddies.ask_buddy(outsider) == buddy  # one open buddy per prospect
    assert any(ambassador.user.email in m.to for m in sent_mail())


def test_parents_and_staff_do_not_ask_for_a_buddy(parent, staff, ambassador):
    from django.core.exceptions import PermissionDenied

    for user in (parent, staff):
        with pytest.raises(PermissionDenied):
            buddies.ask_buddy(user)


def test_without_a_free_ambassador_the_prospect_hears_so(outsider, mentor_profile):
    with pytest.raises(buddies.BuddyError, match="geen buddy vrij"):
        buddies.ask_buddy(outsider)


def test_contact_details_only_after_both_agree_and_mails_carry_no_message(outsider, ambassador, sent_mail):
    buddy = buddies.ask_buddy(outsider)
    buddies.send_message(outsider, buddy.pk, "Hoe is het eerste jaar?")
    assert all("eerste jaar" not in m.body for m in sent_mail())
    buddies.share_details(outsider, buddy.pk)
    assert buddies.details_for(outsider, Buddy.objects.get(pk=buddy.pk)) is None
    buddies.share_details(ambassador.user, buddy.pk)
    assert buddies.details_for(outsider, Buddy.objects.get(pk=buddy.pk))["email"] == ambassador.user.email


def test_messages_are_checked_for_identifying_details(outsider, ambassador):
    buddy = buddies.ask_buddy(outsider)
    with pytest.raises(buddies.BuddyError):
        buddies.send_message(outsider, buddy.pk, "Bel me op 06-12345678")


def test_the_ambassadors_provider_sees_that_there_is_a_buddy_but_not_the_messages(
    login, outsider, ambassador, staff, other_staff
):
    buddy = buddies.ask_buddy(outsider)
    buddies.send_message(outsider, buddy.pk, "Een geheime vraag")
    html = login(staff).get("/mentoren/buddy/").content.decode()
    assert outsider.get_short_name() in html and "Een geheime vraag" not in html
    assert outsider.get_short_name() not in login(other_staff).get("/mentoren/buddy/").content.decode()
    assert "Een geheime vraag" in login(ambassador.user).get("/mentoren/buddy/").content.decode()


def test_the_fewest_loaded_ambassador_is_chosen(outsider, ambassador, make_family, region):
    from tests.conftest import _make_user

    other = MentorProfile.objects.create(user=make_family("amb@example.org"), about="x", is_ambassador=True)
    first = buddies.ask_buddy(outsider)
    second = buddies.ask_buddy(_make_user("nog@example.org", region))
    assert {first.ambassador_id, second.ambassador_id} == {ambassador.pk, other.pk}


def test_the_funnel_gets_the_prospects_with_a_buddy(outsider, ambassador, region):
    buddies.ask_buddy(outsider)
    assert buddies.prospect_ids_with_buddy(region.pk) == {outsider.pk}
