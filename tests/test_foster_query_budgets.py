"""Issue 14 item 3: the public evening pages, the vacancy page, the organiser screens and the
region's feed cost a fixed, small number of queries whatever the number of items."""

from __future__ import annotations

import pytest

from foster import services
from tests.query_budget import count_queries, same_budget

pytestmark = pytest.mark.django_db

SMALL = 25  # what a public page may cost at most (sessions, site, menus included)


def test_the_overview_has_a_small_fixed_budget(
    client, evening_index, make_evening, vacancy, django_assert_max_num_queries
):
    for i in range(2):
        make_evening(days=10 + i)

    def grow():
        for i in range(18):
            make_evening(days=20 + i)

    small = same_budget(client, evening_index.url, grow, django_assert_max_num_queries)
    assert small <= SMALL


def test_an_evening_page_costs_the_same_with_many_dates_and_vacancies(
    client, make_evening, evening_index, region, municipalities, provider, django_assert_max_num_queries
):
    from foster.models import VacancyPage

    page = make_evening()

    def vacancy(i):
        v = VacancyPage(
            title=f"Kind {i} zoekt een gezin",
            slug=f"kind-{i}",
            region=region,
            age_band="8-11",
            interests="Voetbal.",
            needs="Rust.",
            municipality=municipalities["zutphen"],
            family_form="full_time",
            provider=provider,
        )
        evening_index.add_child(instance=v)
        v.save_revision().publish()
        page.vacancies.add(v)

    vacancy(0)
    page.save_revision().publish()

    def grow():
        for i in range(1, 8):
            vacancy(i)
        page.save_revision().publish()
        for i in range(1, 8):
            services.register(
                page.sessions.get(),
                services.RegistrationData(
                    name=f"P {i}",
                    email=f"p{i}@example.org",
                    attendees=1,
                    interests=["full_time"],
                    source="website",
                ),
            )

    small = same_budget(client, page.url, grow, django_assert_max_num_queries)
    assert small <= SMALL
    assert client.get(page.url).content.decode().count("zoekt een gezin") >= 8


def test_a_vacancy_page_costs_the_same_with_many_evenings(
    client, vacancy, make_evening, django_assert_max_num_queries
):
    def link(n, start):
        for i in range(n):
            e = make_evening(days=start + i, family_forms=["full_time"])
            e.vacancies.add(vacancy)
            e.save_revision().publish()

    link(2, 10)
    small = same_budget(client, vacancy.url, lambda: link(10, 20), django_assert_max_num_queries)
    assert small <= SMALL


def test_the_region_feed_is_built_once_and_served_from_the_cache(client, make_evening, region):
    for i in range(3):
        make_evening(days=10 + i)
    url = f"/avonden/agenda/{region.slug}.ics"
    first = client.get(url).content
    assert count_queries(client, url) <= 2  # the region and nothing else
    assert client.get(url).content == first


def test_the_region_feed_changes_when_an_evening_changes(
    client, make_evening, region, django_capture_on_commit_callbacks
):
    url = f"/avonden/agenda/{region.slug}.ics"
    with django_capture_on_commit_callbacks(execute=True):
        page = make_evening(days=10)
    assert b"Informatieavond 1" in client.get(url).content
    with django_capture_on_commit_callbacks(execute=True):
        page.title = "Thema-avond hechting"
        page.save_revision().publish()
    body = client.get(url).content
    assert b"Thema-avond hechting" in body and b"Informatieavond 1" not in body
    with django_capture_on_commit_callbacks(execute=True):
        services.cancel_session(page.sessions.get(), "Ziek")
    assert b"STATUS:CANCELLED" in client.get(url).content
    with django_capture_on_commit_callbacks(execute=True):
        page.unpublish()
    assert b"Thema-avond" not in client.get(url).content


def test_building_the_region_feed_costs_the_same_with_20_evenings(client, make_evening, region):
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    url = f"/avonden/agenda/{region.slug}.ics"

    def build() -> int:
        cache.clear()
        client.get(url)  # fills Wagtail's site cache, as any request would
        cache.set("foster:feed-version", "other", None)  # the feed itself is stale again
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    for i in range(2):
        make_evening(days=10 + i)
    small = build()
    for i in range(18):
        make_evening(days=20 + i)
    assert build() <= small <= 4
    assert client.get(url).content.count(b"BEGIN:VEVENT") == 20


def test_the_region_feed_has_one_event_per_occurrence_of_a_series(client, make_evening, region):
    from tests.fixtures_foster import at

    make_evening(days=10, repeat="WEEKLY", repeat_until=at(10 + 7 * 5).date())
    body = client.get(f"/avonden/agenda/{region.slug}.ics").content
    assert body.count(b"BEGIN:VEVENT") == 6


def test_page_links_are_resolved_with_the_request(client, evening_index, make_evening, vacancy):
    """``{{ page.url }}`` without the request resolves the site per link; {% pageurl %} does not."""
    from pathlib import Path

    templates = Path(__file__).resolve().parents[1] / "foster" / "templates" / "foster"
    for path in templates.glob("*.html"):
        text = path.read_text()
        assert ".page.url }}" not in text and "{{ v.url }}" not in text and ".get_parent.url" not in text, (
            path
        )
