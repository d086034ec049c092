"""Organiser screens: registrations, waiting list, check-in with walk-ins, CSV, message, cancel."""

from __future__ import annotations

import csv
import io

import pytest

from foster import services
from foster.models import Prospect, Registration


@pytest.fixture(autouse=True)
def _check_in_open_now(settings):
    """These tests check people in days ahead: open the check-in window wide."""
    settings.FOSTER_CHECK_IN_HOURS = 24 * 400


@pytest.fixture
def filled(session, person):
    services.register(session, person(1, attendees=2, name="Anna de Vries"))
    services.register(session, person(2, name='=HYPERLINK("x")'))
    return session


@pytest.mark.django_db
def test_organisers_see_registrations_and_waiting_list(login, staff, make_evening, person):
    page = make_evening(capacity=1)
    session = page.sessions.get()
    services.register(session, person(1, name="Anna de Vries"))
    services.register(session, person(2, name="Bram Wachter"))
    text = login(staff).get(f"/avonden/beheer/{session.pk}/").content.decode()
    assert "Anna de Vries" in text and "Bram Wachter" in text
    assert "Wachtlijst (1)" in text
    overview = login(staff).get("/avonden/beheer/").content.decode()
    assert page.title in overview


@pytest.mark.django_db
def test_staff_of_another_provider_cannot_open_the_registrations(login, other_staff, filled):
    assert login(other_staff).get(f"/avonden/beheer/{filled.pk}/").status_code == 403
    assert login(other_staff).get(f"/avonden/beheer/{filled.pk}/export.csv").status_code == 403


@pytest.mark.django_db
def test_check_in_marks_attendance_and_moves_the_prospect_to_attended(login, staff, filled):
    reg = Registration.objects.get(email="bezoeker1@example.org")
    c = login(staff)
    c.post(f"/avonden/beheer/{filled.pk}/inchecken/", {"registration": reg.pk, "action": "check_in"})
    reg.refresh_from_db()
    assert reg.attended_at is not None
    assert Prospect.objects.get(email=reg.email).stage == "attended"
    c.post(f"/avonden/beheer/{filled.pk}/inchecken/", {"registration": reg.pk, "action": "undo"})
    reg.refresh_from_db()
    assert reg.attended_at is None


@pytest.mark.django_db
def test_a_walk_in_is_added_checked_in_even_when_the_room_is_full(
    login, staff, make_evening, person, sent_mail
):
    page = make_evening(capacity=1)
    session = page.sessions.get()
    services.register(session, person(1))
    response = login(staff).post(
        f"/avonden/beheer/{session.pk}/inchecken/",
        {
            "action": "walk_in",
            "walkin-name": "Carla Binnen",
            "walkin-email": "carla@example.org",
            "walkin-attendees": "2",
            "walkin-interests": ["support"],
            "walkin-source": "friend",
            "walkin-consent": "on",
        },
        follow=True,
    )
    assert "Carla Binnen is toegevoegd en ingecheckt" in response.content.decode()
    reg = Registration.objects.get(email="carla@example.org")
    assert reg.is_walk_in and reg.attended_at and reg.status == "confirmed"
    session.refresh_from_db()
    assert session.held == 3 and session.capacity == 3


@pytest.mark.django_db
def test_a_walk_in_with_a_bad_email_gets_a_message(login, staff, session):
    response = login(staff).post(
        f"/avonden/beheer/{session.pk}/inchecken/",
        {
            "action": "walk_in",
            "walkin-name": "X",
            "walkin-email": "nee",
            "walkin-attendees": "1",
            "walkin-source": "friend",
            "walkin-consent": "on",
        },
    )
    assert "Vul een geldig e-mailadres in" in response.content.decode()
    assert not Registration.objects.exists()


@pytest.mark.django_db
def test_the_csv_export_has_everyone_and_no_formulas(login, coordinator, filled):
    response = login(coordinator).get(f"/avonden/beheer/{filled.pk}/export.csv")
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][0] == "Naam"
    names = [r[0] for r in rows[1:]]
    assert "Anna de Vries" in names
    assert '\'=HYPERLINK("x")' in names


@pytest.mark.django_db
def test_a_message_goes_to_everyone_registered_or_waiting(login, staff, filled, sent_mail):
    sent_mail()
    response = login(staff).post(
        f"/avonden/beheer/{filled.pk}/bericht/",
        {"subject": "Andere zaal", "body": "We zitten in zaal 2."},
        follow=True,
    )
    assert "Je bericht gaat naar 2 mensen" in response.content.decode()
    mails = [m for m in sent_mail() if m.subject == "Andere zaal"]
    assert sorted(m.to[0] for m in mails) == ["bezoeker1@example.org", "bezoeker2@example.org"]
    assert "zaal 2" in mails[0].body


@pytest.mark.django_db
def test_an_empty_message_is_refused(login, staff, filled):
    response = login(staff).post(f"/avonden/beheer/{filled.pk}/bericht/", {"subject": "", "body": ""})
    assert response.status_code == 400
    assert "Dit is een verplicht veld" in response.content.decode()


@pytest.mark.django_db
def test_cancelling_an_evening_informs_everyone_with_a_cancelling_ics(login, staff, filled, sent_mail):
    sent_mail()
    login(staff).post(
        f"/avonden/beheer/{filled.pk}/afgelasten/", {"reason": "De spreker is ziek.", "confirm": "on"}
    )
    filled.refresh_from_db()
    assert filled.cancelled_at is not None and filled.held == 0
    mails = [m for m in sent_mail() if m.subject.startswith("Gaat niet door")]
    assert len(mails) == 2
    assert "De spreker is ziek." in mails[0].body
    content = mails[0].attachments[0][1]
    assert "STATUS:CANCELLED" in (content.decode() if isinstance(content, bytes) else content)
    assert set(Registration.objects.values_list("status", flat=True)) == {"cancelled"}
