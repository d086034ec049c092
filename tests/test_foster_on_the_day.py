"""Issue 15 item 3: check-in, walk-ins and "Fijn dat je er was" only on the day itself, from a
configurable time before the start until the end of that day; a walk-in never takes a seat
the waiting list is owed."""

from __future__ import annotations

from datetime import datetime, time, timedelta

import pytest

from foster import services
from foster.models import Prospect, Registration
from thuisnet.core.ics import AMSTERDAM

pytestmark = pytest.mark.django_db


def _walk_in(person, i=50, attendees=1):
    return person(i, attendees=attendees, name=f"Binnenloper {i}", email=f"binnen{i}@example.org")


def test_check_in_is_refused_weeks_before_the_evening(session, person):
    reg = services.register(session, person()).registration
    with pytest.raises(services.RegistrationError) as exc:
        services.check_in(reg, now=session.starts_at - timedelta(days=20))
    assert exc.value.code == "check_in_not_open" and "Inchecken kan vanaf" in exc.value.message
    reg.refresh_from_db()
    assert reg.attended_at is None
    assert Prospect.objects.get(email=reg.email).stage == "registered"


def test_check_in_opens_the_configured_hours_before_and_closes_at_the_end_of_the_day(
    session, person, settings
):
    settings.FOSTER_CHECK_IN_HOURS = 3
    reg = services.register(session, person()).registration
    with pytest.raises(services.RegistrationError):
        services.check_in(reg, now=session.starts_at - timedelta(hours=3, minutes=1))
    services.check_in(reg, now=session.starts_at - timedelta(hours=2, minutes=59))
    day = session.starts_at.astimezone(AMSTERDAM).date()
    late = datetime.combine(day, time(23, 59), tzinfo=AMSTERDAM)
    services.check_in(reg, attended=False, now=late)
    with pytest.raises(services.RegistrationError) as exc:
        services.check_in(reg, now=late + timedelta(minutes=2))
    assert exc.value.code == "check_in_closed"


def test_a_walk_in_weeks_ahead_is_refused_and_nobody_is_thanked(session, person, sent_mail):
    sent_mail()
    with pytest.raises(services.RegistrationError):
        services.add_walk_in(session, _walk_in(person), now=session.starts_at - timedelta(days=20))
    assert not Registration.objects.filter(email="binnen50@example.org").exists()
    assert not [m for m in sent_mail() if "Fijn dat je er was" in m.subject + m.body]


def test_a_walk_in_never_takes_a_seat_the_waiting_list_is_owed(make_evening, person):
    page = make_evening(capacity=3)
    session = page.sessions.get()
    services.register(session, person(1, attendees=2))
    waiting = services.register(session, person(2, attendees=2)).registration  # 1 seat free, needs 2
    assert waiting.status == "waiting"
    services.add_walk_in(session, _walk_in(person), now=session.starts_at)
    session.refresh_from_db()
    # The free seat stays free for the person waiting: the walk-in came on top of the capacity.
    assert (session.capacity, session.held) == (4, 3)
    assert session.capacity - session.held == 1


def test_a_walk_in_uses_a_free_seat_when_nobody_is_waiting(make_evening, person):
    session = make_evening(capacity=3).sessions.get()
    services.register(session, person(1))
    services.add_walk_in(session, _walk_in(person), now=session.starts_at)
    session.refresh_from_db()
    assert (session.capacity, session.held) == (3, 2)


def test_the_check_in_screen_says_when_it_opens_and_hides_the_buttons(login, staff, session, person):
    services.register(session, person())
    text = login(staff).get(f"/avonden/beheer/{session.pk}/inchecken/").content.decode()
    assert "Inchecken en binnenlopers toevoegen kan vanaf" in text
    assert 'value="check_in"' not in text and 'value="walk_in"' not in text


def test_a_walk_in_posted_too_early_gets_a_message_at_the_form(login, staff, session):
    response = login(staff).post(
        f"/avonden/beheer/{session.pk}/inchecken/",
        {
            "action": "walk_in",
            "walkin-name": "Carla Binnen",
            "walkin-email": "carla@example.org",
            "walkin-attendees": "1",
            "walkin-interests": ["support"],
            "walkin-source": "friend",
            "walkin-consent": "on",
        },
    )
    assert response.status_code == 400
    assert "Inchecken kan vanaf" in response.content.decode()
    assert not Registration.objects.filter(email="carla@example.org").exists()
