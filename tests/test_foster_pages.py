"""The CMS pages: evening overview with filters and tabs, evening page, schedule and iCal feed."""

from __future__ import annotations

import icalendar
import pytest
from django.utils import timezone

from foster import services
from foster.models import EveningEvent, EveningSession
from tests.fixtures_foster import at


@pytest.mark.django_db
def test_avonden_redirects_to_the_evening_overview(client, evening_index):
    response = client.get("/avonden/")
    assert response.status_code == 302 and response["Location"] == evening_index.url


@pytest.mark.django_db
def test_the_overview_lists_upcoming_evenings_and_past_ones_on_a_second_tab(
    client, make_evening, evening_index
):
    make_evening(title="Avond in Deventer")
    make_evening(title="Avond van vorige maand", days=-30)
    upcoming = client.get(evening_index.url).content.decode()
    assert "Avond in Deventer" in upcoming and "Avond van vorige maand" not in upcoming
    past = client.get(evening_index.url + "?tab=eerder").content.decode()
    assert "Avond van vorige maand" in past and "Avond in Deventer" not in past


@pytest.mark.django_db
def test_the_overview_filters_by_municipality_family_form_and_mode(
    client, make_evening, evening_index, municipalities
):
    make_evening(
        title="Steungezinnen Zutphen", municipality=municipalities["zutphen"], family_forms=["support"]
    )
    make_evening(
        title="Online pleegzorg",
        mode="online",
        venue="",
        address="",
        online_url="https://meet.example/a",
        family_forms=["full_time"],
    )
    by_town = client.get(evening_index.url, {"municipality": municipalities["zutphen"].pk})
    assert "Steungezinnen Zutphen" in by_town.content.decode()
    assert "Online pleegzorg" in by_town.content.decode()  # online: for every municipality
    by_form = client.get(evening_index.url, {"family_form": "full_time"}).content.decode()
    assert "Online pleegzorg" in by_form and "Steungezinnen Zutphen" not in by_form
    online = client.get(evening_index.url, {"mode": "online"}).content.decode()
    assert "Online pleegzorg" in online and "Steungezinnen Zutphen" not in online


@pytest.mark.django_db
def test_the_online_link_is_only_shown_to_confirmed_registrants(client, make_evening, person):
    page = make_evening(mode="online", venue="", address="", online_url="https://meet.example/geheim")
    assert "meet.example/geheim" not in client.get(page.url).content.decode()
    reg = services.register(page.sessions.get(), person()).registration
    assert "meet.example/geheim" in client.get(reg.get_absolute_url()).content.decode()


@pytest.mark.django_db
def test_publishing_an_evening_puts_it_in_the_region_calendar(evening, region):
    link = EveningEvent.objects.get(page=evening)
    assert link.event.calendar.slug == f"avonden-{region.slug}"
    assert link.event.start == evening.starts_at
    evening.capacity = 30
    evening.save_revision().publish()
    session = EveningSession.objects.get(page=evening)
    assert session.capacity == 30


@pytest.mark.django_db
def test_republishing_never_resets_seats_already_held(evening, person):
    from django.core.exceptions import ValidationError

    session = evening.sessions.get()
    services.register(session, person(1, attendees=2))
    evening.title = "Nieuwe titel"
    evening.capacity = 1  # smaller than what is already held: refused (issue 15)
    with pytest.raises(ValidationError):
        evening.save_revision().publish()
    evening.capacity = 3
    evening.save_revision().publish()
    session.refresh_from_db()
    assert session.held == 2 and session.capacity == 3


@pytest.mark.django_db
def test_a_monthly_series_gets_one_ledger_per_occurrence_in_amsterdam_time(make_evening):
    start = at(5, 20, 0)
    page = make_evening(
        starts_at=start,
        ends_at=at(5, 21, 0),
        repeat="MONTHLY",
        repeat_until=(start + timezone.timedelta(days=200)).date(),
    )
    sessions = list(page.sessions.order_by("starts_at"))
    assert 6 <= len(sessions) <= 7
    # Across the DST switch the evening stays at 20:00 local time.
    assert {timezone.localtime(s.starts_at).hour for s in sessions} == {20}


@pytest.mark.django_db
def test_the_region_feed_is_valid_ical_with_every_evening(client, make_evening, region):
    make_evening(title="Avond A")
    make_evening(title="Avond B", days=20)
    response = client.get(f"/avonden/agenda/{region.slug}.ics")
    assert response["Content-Type"].startswith("text/calendar")
    cal = icalendar.Calendar.from_ical(response.content)
    assert sorted(str(e["SUMMARY"]) for e in cal.walk("VEVENT")) == ["Avond A", "Avond B"]


@pytest.mark.django_db
def test_a_cancelled_evening_is_marked_cancelled_in_the_feed(client, evening, session, region):
    services.cancel_session(session, "Zaal onder water")
    cal = icalendar.Calendar.from_ical(client.get(f"/avonden/agenda/{region.slug}.ics").content)
    [event] = cal.walk("VEVENT")
    assert str(event["STATUS"]) == "CANCELLED"


@pytest.mark.django_db
def test_an_evening_page_refuses_an_end_before_the_start(evening):
    from django.core.exceptions import ValidationError

    evening.ends_at = evening.starts_at
    with pytest.raises(ValidationError) as exc:
        evening.full_clean()
    assert "Het einde moet na het begin liggen." in str(exc.value)
