"""Per-region evening tags: one region's seat change keeps the other regions' pages cached."""

from __future__ import annotations

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


@pytest.fixture
def pagecache(settings):
    from django.core.cache import cache

    settings.PAGE_CACHE_ENABLED = True
    settings.PAGE_CACHE_SEATS_TTL = 60
    cache.clear()
    yield
    cache.clear()


def state(url: str) -> str:
    response = Client().get(url)
    assert response.status_code == 200, url
    return response["X-Cache"]


@pytest.fixture
def two_regions(pagecache, make_evening, other_region, evening_index):
    here = make_evening()
    there = make_evening(region=other_region)
    urls = [here.url, there.url, evening_index.url]
    for url in urls:
        state(url)
    assert [state(url) for url in urls] == ["hit", "hit", "hit"]
    return here, there, evening_index


def test_a_region_tag_drops_only_that_regions_evening_pages(two_regions, django_capture_on_commit_callbacks):
    from thuisnet.core.pagecache import evenings_tag, invalidate

    here, there, index = two_regions
    with django_capture_on_commit_callbacks(execute=True):
        invalidate(evenings_tag(here.region_id))
    assert state(here.url) == "miss"
    assert state(there.url) == "hit"
    assert state(index.url) == "miss"  # the overview lists every region's evenings


def test_the_global_evenings_tag_still_drops_every_region(two_regions, django_capture_on_commit_callbacks):
    from thuisnet.core.pagecache import invalidate

    here, there, index = two_regions
    with django_capture_on_commit_callbacks(execute=True):
        invalidate("evenings")
    assert [state(here.url), state(there.url), state(index.url)] == ["miss", "miss", "miss"]


def test_a_region_tag_as_a_plain_string_works_too(two_regions, django_capture_on_commit_callbacks):
    from thuisnet.core.pagecache import invalidate

    here, there, _index = two_regions
    with django_capture_on_commit_callbacks(execute=True):
        invalidate(f"evenings:{there.region_id}")
    assert [state(here.url), state(there.url)] == ["hit", "miss"]


def test_a_region_tag_drops_the_region_feeds(pagecache, evening, region, django_capture_on_commit_callbacks):
    from thuisnet.core.pagecache import evenings_tag, invalidate

    url = f"/avonden/agenda/{region.slug}.ics"
    state(url)
    assert state(url) == "hit"
    with django_capture_on_commit_callbacks(execute=True):
        invalidate(evenings_tag(region))
    assert state(url) == "miss"
