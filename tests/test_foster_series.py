"""Issue 15 item 2: series people recognise ("elke tweede woensdag", om de 2 weken), one card
per series in the overview with its next dates, one feed event per occurrence."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import pytest
from django.utils import timezone

from foster.models import nth_weekday
from thuisnet.core.ics import AMSTERDAM

pytestmark = pytest.mark.django_db


def _next_second_wednesday() -> date:
    d = timezone.localdate() + timedelta(days=3)
    while not (d.weekday() == 2 and nth_weekday(d) == 2):
        d += timedelta(days=1)
    return d


def _second_wednesday_series(make_evening, months: int = 6):
    day = _next_second_wednesday()
    start = datetime.combine(day, time(19, 30), tzinfo=AMSTERDAM)
    return make_evening(
        title="Thema-avond: elke tweede woensdag",
        starts_at=start,
        ends_at=start + timedelta(hours=2),
        repeat="MONTHLY_WD",
        repeat_until=day + timedelta(days=31 * months),
    )


def test_a_monthly_series_by_weekday_falls_on_every_second_wednesday(make_evening):
    page = _second_wednesday_series(make_evening)
    starts = [s.starts_at.astimezone(AMSTERDAM) for s in page.sessions.order_by("starts_at")]
    assert len(starts) >= 6
    assert all(s.weekday() == 2 and nth_weekday(s) == 2 for s in starts)
    assert all(s.time() == time(19, 30) for s in starts)  # also across the summer-time switch
    assert len({(s.year, s.month) for s in starts}) == len(starts)  # one per month


def test_the_evening_page_names_the_series_as_people_say_it(client, make_evening):
    page = _second_wednesday_series(make_evening)
    assert "Elke tweede woensdag van de maand" in client.get(page.url).content.decode()


def test_a_series_every_two_weeks(make_evening):
    from tests.fixtures_foster import at

    page = make_evening(days=7, repeat="WEEKLY", repeat_interval=2, repeat_until=at(7 + 7 * 8).date())
    starts = [s.starts_at for s in page.sessions.order_by("starts_at")]
    assert len(starts) == 5
    assert all(
        b.astimezone(AMSTERDAM).date() - a.astimezone(AMSTERDAM).date() == timedelta(days=14)
        for a, b in zip(starts, starts[1:], strict=False)
    )
    assert page.repeat_label.startswith("Om de 2 weken op")


def test_the_overview_shows_one_card_per_series_with_the_next_dates(client, evening_index, make_evening):
    page = _second_wednesday_series(make_evening)
    make_evening(title="Eenmalige avond")
    text = client.get(evening_index.url).content.decode()
    assert text.count(f">{page.title}</a>") == 1
    assert "Ook op" in text and "Eenmalige avond" in text
    second = page.sessions.order_by("starts_at")[1]
    assert f"?bijeenkomst={second.pk}" in text


def test_the_region_feed_keeps_one_event_per_occurrence_of_a_monthly_series(client, make_evening, region):
    page = _second_wednesday_series(make_evening, months=4)
    body = client.get(f"/avonden/agenda/{region.slug}.ics").content
    assert body.count(b"BEGIN:VEVENT") == page.sessions.count()


def test_a_repeat_interval_outside_1_to_12_is_refused(make_evening):
    from django.core.exceptions import ValidationError

    page = make_evening()
    page.repeat_interval = 0
    with pytest.raises(ValidationError) as exc:
        page.full_clean()
    assert "repeat_interval" in exc.value.message_dict
