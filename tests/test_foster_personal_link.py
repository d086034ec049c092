"""The personal link: see, change attendees, cancel, take an offered seat, remove my data."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from foster import services
from foster.models import Prospect, Registration


@pytest.fixture
def full_session(make_evening, person):
    """Capacity 2: Bezoeker 1 holds both seats; 2 and 3 wait (1 person each)."""
    page = make_evening(capacity=2)
    session = page.sessions.get()
    services.register(session, person(1, attendees=2))
    services.register(session, person(2))
    services.register(session, person(3))
    return session


def _reg(i: int) -> Registration:
    return Registration.objects.get(email=f"bezoeker{i}@example.org")


@pytest.mark.django_db
def test_it_shows_the_registration_behind_the_link(client, session, person):
    reg = services.register(session, person(1)).registration
    text = client.get(reg.get_absolute_url()).content.decode()
    assert "Bezoeker 1" in text and "Aangemeld" in text


@pytest.mark.django_db
def test_it_explains_a_broken_link(client, session):
    response = client.get("/avonden/inschrijving/niet-echt/")
    assert response.status_code == 404
    assert "Deze link klopt niet of is niet meer geldig" in response.content.decode()


@pytest.mark.django_db
def test_cancelling_offers_the_seat_to_the_first_on_the_waiting_list(client, full_session, sent_mail):
    sent_mail()
    client.post(_reg(1).get_absolute_url(), {"action": "cancel", "confirmed": "1"})
    assert _reg(1).status == "cancelled"
    assert _reg(2).status == "offered" and _reg(3).status == "offered"  # two seats came free
    offer = _reg(2)
    assert offer.offer_expires_at == pytest.approx(
        timezone.now() + timedelta(hours=48), abs=timedelta(minutes=1)
    )
    subjects = [m.subject for m in sent_mail()]
    assert any(s.startswith("Afgemeld") for s in subjects)
    assert sum(s.startswith("Er is een plaats vrij") for s in subjects) == 2
    full_session.refresh_from_db()
    assert full_session.held == 2


@pytest.mark.django_db
def test_confirming_an_offer_confirms_the_seat(client, full_session, sent_mail):
    services.cancel(_reg(1))
    sent_mail()
    response = client.post(_reg(2).get_absolute_url(), {"action": "confirm"}, follow=True)
    assert "je plaats is bevestigd" in response.content.decode()
    assert _reg(2).status == "confirmed"
    mail = sent_mail()[-1]
    assert mail.subject.startswith("Je bent aangemeld")
    assert mail.attachments and mail.attachments[0][0].endswith(".ics")


@pytest.mark.django_db
def test_an_unconfirmed_offer_passes_to_the_next_person(make_evening, person, settings, sent_mail):
    settings.FOSTER_OFFER_HOURS = 12
    page = make_evening(capacity=1)
    session = page.sessions.get()
    for i in (1, 2, 3):
        services.register(session, person(i))
    services.cancel(_reg(1))
    assert _reg(2).status == "offered"
    assert services.expire_offers(now=timezone.now() + timedelta(hours=11)) == 0
    later = timezone.now() + timedelta(hours=12, minutes=1)
    assert services.expire_offers(now=later) == 1
    assert services.expire_offers(now=later) == 0  # running twice changes nothing
    assert _reg(2).status == "expired" and _reg(3).status == "offered"
    session.refresh_from_db()
    assert session.held == 1
    with pytest.raises(services.RegistrationError) as exc:
        services.confirm_offer(_reg(2))
    assert exc.value.code == "no_offer"


@pytest.mark.django_db
def test_it_changes_attendees_only_if_seats_are_free(client, make_evening, person):
    page = make_evening(capacity=3)
    session = page.sessions.get()
    services.register(session, person(1))
    services.register(session, person(2, attendees=2))
    response = client.post(_reg(1).get_absolute_url(), {"action": "attendees", "attendees": "2"}, follow=True)
    assert "Er is geen plaats meer voor een extra persoon" in response.content.decode()
    assert _reg(1).attendees == 1
    client.post(_reg(2).get_absolute_url(), {"action": "attendees", "attendees": "1"})
    client.post(_reg(1).get_absolute_url(), {"action": "attendees", "attendees": "2"})
    assert (_reg(1).attendees, _reg(2).attendees) == (2, 1)
    session.refresh_from_db()
    assert session.held == 3


@pytest.mark.django_db
def test_cancelling_is_refused_once_the_evening_started(session, person):
    reg = services.register(session, person(1)).registration
    with pytest.raises(services.RegistrationError) as exc:
        services.cancel(reg, now=session.starts_at + timedelta(minutes=1))
    assert exc.value.code == "started"
    assert _reg(1).status == "confirmed"


@pytest.mark.django_db
def test_remove_my_data_deletes_at_once_and_frees_the_seat(client, full_session):
    reg = _reg(1)
    url = reg.get_absolute_url()
    assert Prospect.objects.filter(email=reg.email).exists()
    response = client.post(url, {"action": "remove"})
    assert "Je gegevens zijn verwijderd" in response.content.decode()
    assert not Registration.objects.filter(pk=reg.pk).exists()
    assert not Prospect.objects.filter(email=reg.email).exists()
    assert _reg(2).status == "offered"
    assert client.get(url).status_code == 404


@pytest.mark.django_db
def test_it_stops_a_flood_of_changes_through_one_link(client, make_evening, person, settings, sent_mail):
    """Whoever registers someone else's address holds the link; each change mails that
    address, so changes through one link are limited."""
    settings.THUISNET_RATE_LIMITS = {"foster.personal_link.token": (3, 3600)}
    session = make_evening(capacity=10).sessions.get()
    reg = services.register(session, person(1)).registration
    sent_mail()
    for n in range(6):
        client.post(reg.get_absolute_url(), {"action": "attendees", "attendees": str(1 + n % 2)})
    mails = sent_mail()
    assert len(mails) <= 3
    response = client.post(reg.get_absolute_url(), {"action": "attendees", "attendees": "2"}, follow=True)
    assert "vaak gewijzigd" in response.content.decode()
