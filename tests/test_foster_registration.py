"""Registering for an evening without an account: seats, waiting list, confirmation email."""

from __future__ import annotations

from datetime import timedelta

import icalendar
import pytest

from foster.models import Registration


def _post(client, page, session, **changes):
    data = {
        "session": session.pk,
        "name": "Anna de Vries",
        "email": "anna@example.org",
        "phone": "06 12345678",
        "postcode": "7411 AB",
        "attendees": "2",
        "interests": ["full_time"],
        "source": "website",
        "consent": "on",
    }
    data.update(changes)
    return client.post(page.url, data)


@pytest.mark.django_db
def test_it_confirms_a_registration_and_mails_a_valid_ics_and_personal_link(
    client, evening, session, sent_mail, postcodes
):
    response = _post(client, evening, session)
    reg = Registration.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/avonden/inschrijving/{reg.token}/?nieuw=1"
    assert reg.status == "confirmed" and reg.attendees == 2
    assert reg.postcode == "7411" and reg.municipality.name == "Deventer"
    session.refresh_from_db()
    assert session.held == 2
    page = client.get(response["Location"])
    assert "Je bent aangemeld" in page.content.decode()
    [mail] = sent_mail()
    assert mail.to == ["anna@example.org"]
    assert reg.personal_url in mail.body
    filename, content, mimetype = mail.attachments[0]
    assert filename.endswith(".ics") and mimetype.startswith("text/calendar")
    cal = icalendar.Calendar.from_ical(content)
    [event] = [c for c in cal.walk("VEVENT")]
    assert str(event["UID"]) == session.uid
    assert event["DTSTART"].params["TZID"] == "Europe/Amsterdam"
    assert event.decoded("DTSTART") == session.starts_at
    assert cal.walk("VTIMEZONE")[0]["TZID"] == "Europe/Amsterdam"
    assert len(reg.token) >= 40


@pytest.mark.django_db
def test_it_keeps_one_registration_when_the_same_email_registers_twice(client, evening, session, sent_mail):
    _post(client, evening, session)
    response = _post(client, evening, session, email="ANNA@example.org", attendees="1")
    assert Registration.objects.count() == 1
    assert Registration.objects.get().attendees == 2
    page = client.get(response["Location"])
    text = page.content.decode()
    assert "Je was al aangemeld" in text
    assert Registration.objects.get().token not in text  # the link goes by email only
    session.refresh_from_db()
    assert session.held == 2
    assert len(sent_mail()) == 2  # the confirmation, then the reminder of the link


@pytest.mark.django_db
def test_it_puts_people_on_the_waiting_list_when_full(client, make_evening, person, sent_mail):
    from foster import services

    page = make_evening(capacity=3)
    session = page.sessions.get()
    services.register(session, person(1, attendees=2))
    result = services.register(session, person(2, attendees=2))
    assert result.registration.status == "waiting"
    assert services.waiting_position(result.registration) == 1
    assert services.register(session, person(3, attendees=1)).registration.status == "confirmed"
    session.refresh_from_db()
    assert session.held == 3 == session.capacity
    mails = sent_mail()
    assert "wachtlijst" in mails[1].subject
    response = client.get(page.url)
    assert "Zet me op de wachtlijst" in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("email", "anna-at-example", "Vul een geldig e-mailadres in"),
        ("phone", "12ab", "Vul een geldig telefoonnummer in"),
        ("postcode", "741", "Vul een postcode in van 4 cijfers"),
        ("postcode", "0123", "Vul een postcode in van 4 cijfers"),
        ("consent", "", "Geef toestemming"),
        ("interests", [], "Kies minstens één gezinsvorm"),
    ],
)
def test_it_rejects_bad_input_with_a_dutch_message_and_saves_nothing(
    client, evening, session, field, value, message
):
    response = _post(client, evening, session, **{field: value})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert Registration.objects.count() == 0
    session.refresh_from_db()
    assert session.held == 0


@pytest.mark.django_db
def test_it_refuses_registration_after_the_deadline(client, make_evening, person):
    from foster import services

    page = make_evening(days=1, deadline_hours=48)
    session = page.sessions.get()
    response = _post(client, page, session)
    assert response.status_code == 400
    assert "aanmeldtermijn is voorbij" in response.content.decode()
    with pytest.raises(services.RegistrationError) as exc:
        services.register(session, person(), now=session.deadline + timedelta(seconds=1))
    assert exc.value.code == "deadline_passed"
    assert Registration.objects.count() == 0


@pytest.mark.django_db
def test_it_refuses_registration_for_a_cancelled_evening(client, evening, session):
    from foster import services

    services.cancel_session(session, "De zaal is niet beschikbaar.")
    response = _post(client, evening, session)
    assert response.status_code == 400
    assert "gaat niet door" in response.content.decode()
    assert Registration.objects.count() == 0


@pytest.mark.django_db
def test_a_replayed_form_registers_once(client, evening, session):
    first = _post(client, evening, session, form_token="abc123")
    again = _post(client, evening, session, form_token="abc123")
    assert first["Location"] == again["Location"]
    assert Registration.objects.count() == 1


@pytest.mark.django_db
def test_the_form_shows_how_long_data_is_kept(client, evening):
    text = client.get(evening.url).content.decode()
    assert "12 maanden na de avond" in text
