"""Issue 15 item 7: the smaller defects, one test each."""

from __future__ import annotations

import pytest

from foster import services
from foster.models import Registration

pytestmark = pytest.mark.django_db


def test_the_already_registered_email_names_the_retention_months(client, session, person, sent_mail):
    reg = services.register(session, person()).registration
    before = len(sent_mail())
    services.tell_already_registered(reg)
    (email,) = sent_mail()[before:]
    assert "verwijderen we je gegevens 12 maanden na de avond" in email.body
    assert "gegevens  maanden" not in email.body


def test_registering_twice_through_the_page_sends_the_months_too(client, evening, session, person, sent_mail):
    services.register(session, person())
    before = len(sent_mail())
    form = {
        "session": session.pk,
        "name": "Bezoeker 1",
        "email": "bezoeker1@example.org",
        "phone": "06 12345678",
        "postcode": "7411",
        "attendees": "1",
        "interests": ["full_time"],
        "source": "website",
        "consent": "on",
    }
    client.post(evening.url, form)
    bodies = [m.body for m in sent_mail()[before:]]
    assert bodies and all("gegevens  maanden" not in b for b in bodies)


def test_someone_on_the_waiting_list_is_not_told_their_cancel_frees_a_seat(client, make_evening, person):
    session = make_evening(capacity=1).sessions.get()
    services.register(session, person(1))
    waiting = services.register(session, person(2)).registration
    text = client.get(waiting.get_absolute_url()).content.decode()
    assert "iemand op de wachtlijst krijgt je plaats" not in text
    assert "niet meer op de wachtlijst staan" in text


def test_cancelling_asks_for_confirmation_first(client, session, person):
    reg = services.register(session, person()).registration
    response = client.post(reg.get_absolute_url(), {"action": "cancel"})
    assert response.status_code == 200
    assert "Weet je zeker dat je je wilt afmelden?" in response.content.decode()
    assert Registration.objects.get(pk=reg.pk).status == "confirmed"
    client.post(reg.get_absolute_url(), {"action": "cancel", "confirmed": "1"})
    assert Registration.objects.get(pk=reg.pk).status == "cancelled"


def test_online_evenings_stay_visible_under_every_municipality_filter(
    client, evening_index, make_evening, municipalities
):
    make_evening(title="Avond in Deventer")
    make_evening(
        title="Avond online", mode="online", online_url="https://meet.example.org/x", municipality=None
    )
    text = client.get(evening_index.url, {"municipality": municipalities["zutphen"].pk}).content.decode()
    assert "Avond online" in text and "Avond in Deventer" not in text


def test_a_vacancy_suggests_only_evenings_for_the_family_form_it_seeks(client, vacancy, make_evening):
    support = make_evening(title="Avond steungezinnen", family_forms=["support"])
    full = make_evening(title="Avond voltijdpleegzorg", family_forms=["full_time"])
    for e in (support, full):
        e.vacancies.add(vacancy)
        e.save_revision().publish()
    text = client.get(vacancy.url).content.decode()
    assert "Avond voltijdpleegzorg" in text and "Avond steungezinnen" not in text


def test_a_vacancy_without_linked_evenings_suggests_the_regions_evenings_of_its_form(
    client, vacancy, make_evening
):
    make_evening(title="Avond steungezinnen", family_forms=["support"])
    make_evening(title="Avond voltijdpleegzorg", family_forms=["full_time"])
    text = client.get(vacancy.url).content.decode()
    assert "Avond voltijdpleegzorg" in text and "Avond steungezinnen" not in text


def test_foster_pages_name_themselves_in_the_title(client, evening, session, person):
    text = client.get(evening.url).content.decode()
    assert f"<title>{evening.title} – Thuisnet</title>" in text
    reg = services.register(session, person()).registration
    text = client.get(reg.get_absolute_url()).content.decode()
    assert "<title>Je aanmelding – Thuisnet</title>" in text
