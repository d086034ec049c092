"""Issue 15 item 2: exceptions in a series — skip one date, move one occurrence."""

from __future__ import annotations

from datetime import timedelta

import icalendar
import pytest
from django.core.exceptions import ValidationError

from foster import services
from foster.models import EveningPage, EveningSession
from thuisnet.core.ics import AMSTERDAM

pytestmark = pytest.mark.django_db


def _weekly(make_evening, weeks: int = 4):
    from tests.fixtures_foster import at

    return make_evening(days=10, repeat="WEEKLY", repeat_until=at(10 + 7 * weeks).date())


def _edit(page, **changes) -> EveningPage:
    page = EveningPage.objects.get(pk=page.pk)
    for k, v in changes.items():
        setattr(page, k, v)
    page.full_clean()
    page.save_revision().publish()
    return page


def _d(dt) -> str:
    return dt.astimezone(AMSTERDAM).strftime("%d-%m-%Y")


def _starts(page):
    return [s.starts_at for s in EveningSession.objects.filter(page=page, cancelled_at__isnull=True)]


def test_skipping_a_date_without_registrations_removes_it(make_evening, sent_mail):
    page = _weekly(make_evening)
    sessions = list(page.sessions.order_by("starts_at"))
    _edit(page, skip_dates=_d(sessions[1].starts_at))
    assert sessions[1].starts_at not in _starts(page)
    assert len(_starts(page)) == len(sessions) - 1
    assert sent_mail() == []


def test_people_on_a_skipped_date_get_the_cancellation_flow(make_evening, person, sent_mail):
    page = _weekly(make_evening)
    second = page.sessions.order_by("starts_at")[1]
    reg = services.register(second, person(1)).registration
    other = services.register(page.sessions.order_by("starts_at")[2], person(2)).registration
    n = len(sent_mail())
    _edit(page, skip_dates=_d(second.starts_at))
    reg.refresh_from_db()
    other.refresh_from_db()
    second.refresh_from_db()
    assert second.cancelled_at and reg.status == "cancelled"
    assert other.status == "confirmed"  # the next date does not take the skipped one's people
    mails = sent_mail()[n:]
    assert [(m.to[0], m.subject.split(":")[0]) for m in mails] == [
        ("bezoeker1@example.org", "Gaat niet door")
    ]


def test_moving_one_occurrence_keeps_its_people_and_sends_gewijzigd_with_the_calendar_file(
    make_evening, person, sent_mail, client, region
):
    page = _weekly(make_evening)
    third = page.sessions.order_by("starts_at")[2]
    reg = services.register(third, person(1)).registration
    (confirmation,) = sent_mail()
    new_start = third.starts_at.astimezone(AMSTERDAM) + timedelta(days=1, hours=-1)
    _edit(page, moved_dates=f"{_d(third.starts_at)} naar {new_start:%d-%m-%Y %H:%M}")
    reg.refresh_from_db()
    assert reg.status == "confirmed" and reg.session_id == third.pk
    assert reg.session.starts_at == new_start
    (changed,) = sent_mail()[1:]
    assert changed.subject == f"Gewijzigd: {page.title}"
    (att,) = [a for a in changed.attachments if a[0].endswith(".ics")]
    event = icalendar.Calendar.from_ical(att[1]).walk("VEVENT")[0]
    (old_att,) = [a for a in confirmation.attachments if a[0].endswith(".ics")]
    before = icalendar.Calendar.from_ical(old_att[1]).walk("VEVENT")[0]
    assert str(event["UID"]) == str(before["UID"]) and int(event["SEQUENCE"]) > int(before["SEQUENCE"])
    assert event.decoded("DTSTART") == new_start
    # Only the moved occurrence changed: the others stay on their weekday.
    assert EveningSession.objects.filter(page=page).count() == 5
    # Publishing again tells nobody a second time.
    _edit(page, intro="<p>Nog een keer.</p>")
    assert len(sent_mail()) == 2
    # The region feed follows.
    body = client.get(f"/avonden/agenda/{region.slug}.ics").content.decode()
    assert new_start.strftime("%Y%m%dT%H%M%S") in body


def test_the_overview_card_follows_the_exceptions(make_evening, client, evening_index):
    page = _weekly(make_evening)
    first, second, third = list(page.sessions.order_by("starts_at"))[:3]
    new_start = third.starts_at.astimezone(AMSTERDAM) + timedelta(days=2)
    _edit(
        page, skip_dates=_d(second.starts_at), moved_dates=f"{_d(third.starts_at)} naar {new_start:%d-%m-%Y}"
    )
    text = client.get(evening_index.url).content.decode()
    assert f"?bijeenkomst={second.pk}" not in text
    assert new_start.date().isoformat() in text  # <time datetime="..."> of the moved date


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("skip_dates", "31-02-2027", "geen bestaande datum"),
        ("skip_dates", "volgende week", "Schrijf een datum als dd-mm-jjjj"),
        ("moved_dates", "10-02-2027 -> 12-02-2027", "niet te lezen"),
        ("moved_dates", "10-02-2027 naar 12-02-2027 25:00", "geen bestaande tijd"),
    ],
)
def test_unreadable_exceptions_are_refused_at_the_field(make_evening, field, value, message):
    page = EveningPage.objects.get(pk=_weekly(make_evening).pk)
    setattr(page, field, value)
    with pytest.raises(ValidationError) as err:
        page.full_clean()
    assert message in " ".join(err.value.message_dict[field])


def test_a_date_outside_the_series_is_refused(make_evening):
    page = EveningPage.objects.get(pk=_weekly(make_evening).pk)
    page.skip_dates = _d(page.starts_at + timedelta(days=1))
    with pytest.raises(ValidationError) as err:
        page.full_clean()
    assert "is er geen avond in deze reeks" in err.value.message_dict["skip_dates"][0]


def test_moving_onto_another_date_of_the_series_is_refused(make_evening):
    page = EveningPage.objects.get(pk=_weekly(make_evening).pk)
    page.moved_dates = f"{_d(page.starts_at)} naar {_d(page.starts_at + timedelta(days=7))}"
    with pytest.raises(ValidationError) as err:
        page.full_clean()
    assert "al een avond van deze reeks" in err.value.message_dict["moved_dates"][0]


def test_a_single_evening_has_no_exceptions(make_evening):
    page = EveningPage.objects.get(pk=make_evening().pk)
    page.skip_dates = _d(page.starts_at)
    with pytest.raises(ValidationError) as err:
        page.full_clean()
    assert "Alleen een reeks" in err.value.message_dict["skip_dates"][0]
