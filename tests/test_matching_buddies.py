"""Issue 11, item 4: buddies for prospects."""

import pytest

from matching import buddies
from matching.models import Buddy, MentorProfile

pytestmark = pytest.mark.django_db


def _funnel(email, region, provider, stage="registered"):
    """Put an address in the region's recruitment funnel (as registering for an evening does)."""
    from django.utils import timezone

    from foster.models import Prospect

    prospect = Prospect.objects.create(
        region=region,
        provider=provider,
        family_form="foster",
        name="Aspirant",
        email=email,
        source="website",
        stage=stage,
        stage_date=timezone.localdate(),
    )
    _step(prospect, stage)
    return prospect


def _step(prospect, stage):
    from django.utils import timezone

    from foster.models import ProspectStep

    ProspectStep.objects.create(prospect=prospect, stage=stage, date=timezone.localdate())


@pytest.fixture(autouse=True)
def in_funnel(outsider, region, provider):
    """The prospects of these tests registered for an information evening."""
    _funnel(outsider.email, region, provider)
    _funnel("nog@example.org", region, provider)


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


def test_only_prospects_from_the_funnel_before_intake_may_ask(outsider, ambassador, region, provider, login):
    from foster.models import Prospect
    from tests.conftest import _make_user
    from thuisnet.accounts.policies import can

    stranger = _make_user("zomaar@example.org", region)
    assert not can(stranger, "matching.ask_buddy", region)
    page = login(stranger).get("/mentoren/buddy/").content.decode()
    assert "Vraag een buddy" not in page and "informatieavond" in page
    with pytest.raises(Exception):
        buddies.ask_buddy(stranger)
    assert can(outsider, "matching.ask_buddy", region)
    _step(Prospect.objects.get(email=outsider.email), "conversation")
    assert not can(outsider, "matching.ask_buddy", region)


def test_the_region_sees_conversion_with_and_without_a_buddy(
    outsider, ambassador, region, provider, coordinator, login
):
    from foster.models import Prospect
    from matching.selectors import buddy_conversion
    from tests.conftest import _make_user

    buddies.ask_buddy(outsider)
    for i in range(12):
        user = _make_user(f"asp{i}@example.org", region)
        _funnel(user.email, region, provider, stage="conversation" if i < 6 else "registered")
    _step(Prospect.objects.get(email=outsider.email), "conversation")
    rows = {r["label"]: r for r in buddy_conversion(region)["rows"]}
    assert rows["Met een buddy"]["in_funnel"] == "<10"  # one prospect: hidden
    assert rows["Met een buddy"]["share"] is None
    assert rows["Zonder buddy"]["in_funnel"] == "12"
    html = login(coordinator).get("/mentoren/regio/").content.decode()
    assert "Aspirant-pleegouders met en zonder buddy" in html
