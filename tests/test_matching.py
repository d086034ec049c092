"""Mentor pairing: experienced parents offer help, new parents ask, nobody is overbooked."""

import threading
from datetime import date, timedelta

import pytest
from django.db import connection

from matching import selectors, services
from matching.models import MentorProfile, MentorRequest

pytestmark = pytest.mark.django_db


def test_an_experienced_parent_becomes_a_mentor(login, experienced):
    client = login(experienced)
    response = client.post(
        "/mentoren/profiel/",
        {
            "about": "Gezinshuisouder sinds 2012.",
            "themes": ["teenagers"],
            "max_mentees": "2",
            "is_available": "on",
        },
    )
    assert response.status_code == 302
    profile = MentorProfile.objects.get(user=experienced)
    assert profile.max_mentees == 2 and profile.themes == ["teenagers"]


def test_a_new_parent_cannot_be_a_mentor_yet(login, parent):
    parent.household.parent_since = date.today() - timedelta(days=200)
    parent.household.save()
    client = login(parent)
    response = client.post("/mentoren/profiel/", {"about": "Net begonnen", "max_mentees": "1"}, follow=True)
    assert "minstens twee jaar" in response.content.decode()
    assert not MentorProfile.objects.exists()


def test_it_refuses_a_profile_that_identifies_someone(login, experienced):
    client = login(experienced)
    response = client.post("/mentoren/profiel/", {"about": "Bel me op 06-12345678", "max_mentees": "1"})
    assert response.status_code == 422
    assert "telefoonnummer" in response.content.decode()
    assert not MentorProfile.objects.exists()


def test_it_suggests_mentors_with_the_same_family_form_first(
    parent, mentor_profile, staff, provider, region, municipalities
):
    from thuisnet.accounts.models import Household, User

    foster_mentor = User.objects.create_user(
        "ervaren@example.org", "x", full_name="Els Ervaren", region=region
    )
    foster_mentor.household = Household.objects.create(
        region=region,
        municipality=municipalities["lochem"],
        family_form="foster",
        display_name="Gezin Ervaren",
        parent_since=date(2010, 1, 1),
        provider=provider,
    )
    foster_mentor.save()
    MentorProfile.objects.create(user=foster_mentor, about="Pleegmoeder sinds 2010.")
    names = [s.profile.user.full_name for s in selectors.suggestions(parent)]
    assert names == ["Els Ervaren", "Wim de Boer"]


def test_a_full_mentor_is_not_suggested(parent, support_parent, mentor_profile):
    req = services.request_mentor(support_parent, mentor_profile.user, "Graag!")
    services.decide(mentor_profile.user, req.pk, accept=True)
    assert selectors.suggestions(parent) == []


def test_a_parent_asks_and_the_mentor_accepts_with_emails_both_ways(
    login, parent, mentor_profile, sent_mail, client
):
    login(parent)
    response = client.post(
        f"/mentoren/vragen/{mentor_profile.user_id}/", {"message": "Wij zijn net begonnen, mag ik je bellen?"}
    )
    assert response.status_code == 302
    req = MentorRequest.objects.get()
    (to_mentor,) = sent_mail()
    assert to_mentor.to == [mentor_profile.user.email]
    assert "Wij zijn net begonnen" in to_mentor.body

    login(mentor_profile.user)
    client.post(f"/mentoren/verzoek/{req.pk}/accepteren/")
    req.refresh_from_db()
    assert req.status == "accepted"
    to_parent = sent_mail()[-1]
    assert to_parent.to == [parent.email]
    assert mentor_profile.user.email in to_parent.body


def test_asking_the_same_mentor_twice_is_one_request(parent, mentor_profile):
    services.request_mentor(parent, mentor_profile.user, "Graag!")
    with pytest.raises(services.MatchingError, match="al gevraagd"):
        services.request_mentor(parent, mentor_profile.user, "Nog een keer")
    assert MentorRequest.objects.count() == 1


def test_only_the_mentor_decides(parent, support_parent, mentor_profile):
    from django.core.exceptions import PermissionDenied

    req = services.request_mentor(parent, mentor_profile.user, "Graag!")
    with pytest.raises(PermissionDenied):
        services.decide(support_parent, req.pk, accept=True)


def test_a_mentor_is_not_paired_beyond_their_limit(parent, support_parent, mentor_profile):
    first = services.request_mentor(parent, mentor_profile.user, "Graag!")
    second = services.request_mentor(support_parent, mentor_profile.user, "Ik ook graag")
    services.decide(mentor_profile.user, first.pk, accept=True)
    with pytest.raises(services.MatchingError, match="zoveel ouders"):
        services.decide(mentor_profile.user, second.pk, accept=True)


def test_accepting_withdraws_the_parents_other_requests(
    parent, mentor_profile, region, municipalities, provider
):
    from thuisnet.accounts.models import Household, User

    other = User.objects.create_user("ander@example.org", "x", full_name="Ander", region=region)
    other.household = Household.objects.create(
        region=region,
        municipality=municipalities["lochem"],
        family_form="foster",
        display_name="Gezin Ander",
        parent_since=date(2010, 1, 1),
        provider=provider,
    )
    other.save()
    MentorProfile.objects.create(user=other, about="Pleegvader.")
    a = services.request_mentor(parent, mentor_profile.user, "Graag!")
    b = services.request_mentor(parent, other, "Of jij?")
    services.decide(mentor_profile.user, a.pk, accept=True)
    b.refresh_from_db()
    assert b.status == "withdrawn"
    with pytest.raises(services.MatchingError, match="al een mentor"):
        services.request_mentor(parent, other, "Toch jij?")


def test_either_side_can_end_a_pairing(parent, mentor_profile):
    req = services.request_mentor(parent, mentor_profile.user, "Graag!")
    services.decide(mentor_profile.user, req.pk, accept=True)
    services.withdraw_or_end(parent, req.pk)
    req.refresh_from_db()
    assert req.status == "ended" and req.ended_at is not None


def test_the_region_sees_counts_not_names(login, coordinator, parent, mentor_profile):
    services.request_mentor(parent, mentor_profile.user, "Graag!")
    html = login(coordinator).get("/mentoren/").content.decode()
    assert "Wachtende ouders" in html
    assert parent.full_name not in html


def test_the_page_invites_visitors_to_log_in(client):
    html = client.get("/mentoren/").content.decode()
    assert "Log in om een mentor te zoeken" in html


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_acceptances_at_once_never_exceed_the_limit(mentor_profile, parent, support_parent):
    reqs = [services.request_mentor(p, mentor_profile.user, "Graag!") for p in (parent, support_parent)]
    barrier = threading.Barrier(2)
    errors = []

    def accept(req_id):
        try:
            barrier.wait()
            services.decide(mentor_profile.user, req_id, accept=True)
        except services.MatchingError as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=accept, args=(r.pk,)) for r in reqs]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert MentorRequest.objects.filter(status="accepted").count() == 1
    assert len(errors) == 1
