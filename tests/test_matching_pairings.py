"""Issue 11, item 3 (a pairing's life) and item 6 (the network around a family)."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from matching import services
from matching.models import CheckIn, Mentee, NetworkContact, Pairing

pytestmark = pytest.mark.django_db


@pytest.fixture
def proposed(coordinator, make_mentor, make_mentee, region):
    mentor = make_mentor("mentor@example.org")
    mentee = make_mentee("nieuw@example.org")
    rnd = services.run_round(coordinator, region)
    (pairing,) = services.confirm_round(coordinator, rnd.pk)
    return pairing, mentor.user, mentee.user


@pytest.fixture
def in_trial(proposed):
    pairing, mentor, mentee = proposed
    services.answer(mentor, pairing.pk, accept=True)
    pairing = services.answer(mentee, pairing.pk, accept=True)
    return pairing, mentor, mentee


def test_no_contact_details_until_both_accepted(proposed, login):
    pairing, mentor, mentee = proposed
    assert services.contact_for(mentee, pairing) is None
    services.answer(mentor, pairing.pk, accept=True)
    pairing.refresh_from_db()
    assert services.contact_for(mentee, pairing) is None
    assert mentor.email not in login(mentee).get("/mentoren/koppelingen/").content.decode()
    pairing = services.answer(mentee, pairing.pk, accept=True)
    assert pairing.status == "trial"
    assert services.contact_for(mentee, pairing)["email"] == mentor.email
    assert mentor.email in login(mentee).get("/mentoren/koppelingen/").content.decode()


def test_the_trial_period_lasts_six_weeks_by_default(in_trial):
    pairing, _m, _n = in_trial
    assert pairing.trial_ends_on == timezone.localdate() + timedelta(weeks=6)


def test_a_decline_returns_the_mentee_to_the_next_round_with_the_reason(proposed, coordinator, region):
    pairing, mentor, mentee = proposed
    services.answer(mentor, pairing.pk, accept=False, reason="Ik heb het te druk")
    m = Mentee.objects.get(pk=pairing.mentee_id)
    assert m.status == "waiting" and "Ik heb het te druk" in m.last_reason
    rnd = services.run_round(coordinator, region)
    assert "eerder beëindigd" in rnd.proposals.get(mentee=m).unmatched_reason


def test_an_outsider_cannot_answer(proposed, support_parent):
    from django.core.exceptions import PermissionDenied

    pairing, _m, _n = proposed
    with pytest.raises(PermissionDenied):
        services.answer(support_parent, pairing.pk, accept=True)


def test_the_trial_end_sends_one_check_in_to_each_side_once(in_trial, sent_mail):
    pairing, mentor, mentee = in_trial
    later = pairing.trial_ends_on
    assert services.end_trials(later - timedelta(days=1)) == 0
    assert services.end_trials(later) == 1
    assert services.end_trials(later) == 0  # idempotent
    assert CheckIn.objects.filter(pairing=pairing, kind="trial").count() == 2
    mails = [m for m in sent_mail() if "Hoe gaat het" in m.subject]
    assert {m.to[0] for m in mails} == {mentor.email, mentee.email}


def _links(mail_body):
    return re.findall(r"(/mentoren/check-in/[^/\s]+/)", mail_body)


def test_one_click_answers_pass_the_trial(in_trial, client, sent_mail):
    pairing, _mentor, _mentee = in_trial
    services.end_trials(pairing.trial_ends_on)
    for mail in [m for m in sent_mail() if "Hoe gaat het" in m.subject]:
        good = _links(mail.body)[0]  # goed, kan beter, graag contact: in that order
        assert client.get(good).status_code == 200  # a mail scanner's GET counts for nothing
        assert client.post(good).status_code == 200
    pairing.refresh_from_db()
    assert pairing.status == "active" and pairing.trial_passed


def test_graag_contact_reaches_the_coordinator(in_trial, staff, coordinator, client, sent_mail, login):
    pairing, _m, mentee = in_trial
    login(staff).post(f"/mentoren/koppelingen/{pairing.pk}/check-in/")
    sent_mail()
    checkin = CheckIn.objects.get(pairing=pairing, side="mentee")
    client.post(_link(checkin))
    assert any(coordinator.email in m.to for m in sent_mail())


def _link(checkin):
    from matching.pairings import checkin_link

    return checkin_link(checkin, "graag-contact")


def test_a_tampered_link_is_refused(client):
    assert client.get("/mentoren/check-in/nep.token.hier/").status_code == 400


def test_only_the_mentees_provider_sends_check_ins(in_trial, other_staff):
    from django.core.exceptions import PermissionDenied

    pairing, _m, _n = in_trial
    with pytest.raises(PermissionDenied):
        services.send_checkin(other_staff, pairing.pk)


def test_ending_with_rematch_puts_the_mentee_back(in_trial, coordinator):
    pairing, _m, _n = in_trial
    services.end(coordinator, pairing.pk, "Klikt niet", rematch=True)
    pairing.refresh_from_db()
    assert pairing.status == "ended" and pairing.ended_early
    assert Mentee.objects.get(pk=pairing.mentee_id).status == "waiting"


def test_mentor_user_ids_for_gives_the_accepted_mentor_only(proposed):
    pairing, mentor, mentee = proposed
    assert services.mentor_user_ids_for(mentee) == set()
    services.answer(mentor, pairing.pk, accept=True)
    services.answer(mentee, pairing.pk, accept=True)
    assert services.mentor_user_ids_for(mentee) == {mentor.pk}
    assert Pairing.objects.get().status == "trial"


def test_a_household_keeps_its_network_private_unless_shared(login, parent, staff, other_staff):
    c = login(parent)
    c.post("/mentoren/netwerk/", {"first_name": "Ans", "relation": "buurvrouw", "helps_with": ["babysit"]})
    c.post(
        "/mentoren/netwerk/",
        {"first_name": "Kees", "relation": "oom", "helps_with": ["night"], "shared_with_provider": "on"},
    )
    assert NetworkContact.objects.count() == 2
    html = login(staff).get("/mentoren/netwerk/").content.decode()
    assert "Kees" in html and "Ans" not in html
    assert "Kees" not in login(other_staff).get("/mentoren/netwerk/").content.decode()


def test_the_network_refuses_identifying_text(login, parent):
    r = login(parent).post("/mentoren/netwerk/", {"first_name": "Ans", "relation": "buurvrouw 06-12345678"})
    assert r.status_code == 422 and NetworkContact.objects.count() == 0
