"""Availability search: dates, age, needs, municipality or distance, kind; month calendar; unmet demand."""

from __future__ import annotations

from datetime import timedelta

import pytest

from respite import services
from respite.models import UnmetDemand

pytestmark = pytest.mark.django_db


def _q(start, nights=1, **kw):
    return services.Query(start=start, end=start + timedelta(days=nights), **kw)


def test_it_finds_offers_with_free_capacity_on_every_night(offer, parent, book, next_week):
    book(parent, offer, next_week + timedelta(days=1))
    book(parent, offer, next_week + timedelta(days=1), child=services.Child("K2", 3, []))
    assert [h.offer for h in services.search(_q(next_week))] == [offer]
    assert services.search(_q(next_week, nights=2)) == []
    hit = services.search(_q(next_week))[0]
    assert hit.free == 2


def test_it_filters_by_age_kind_needs_and_municipality(make_offer, next_week):
    young = make_offer(title="Jong", age=(0, 6), handles=["medical"])
    family = make_offer(title="Gastgezin", kind="host_family", municipality="zutphen", postcode="7201")
    titles = lambda q: [h.offer.title for h in services.search(q)]  # noqa: E731
    assert titles(_q(next_week, age=4)) == ["Gastgezin", "Jong"]
    assert titles(_q(next_week, age=10)) == ["Gastgezin"]
    assert titles(_q(next_week, kind="place")) == ["Jong"]
    assert titles(_q(next_week, needs=["behaviour"])) == ["Gastgezin"]
    assert titles(_q(next_week, municipality=family.municipality)) == ["Gastgezin"]
    assert young.kind == "place"


def test_it_searches_by_distance_from_a_postcode(postcodes, make_offer, next_week):
    near = make_offer(title="Deventer", postcode="7411")
    far = make_offer(title="Zutphen", municipality="zutphen", postcode="7201")
    hits = services.search(_q(next_week, postcode="7411", radius_km=5))
    assert [h.offer for h in hits] == [near]
    hits = services.search(_q(next_week, postcode="7411", radius_km=60))
    assert [h.offer for h in hits] == [near, far]
    assert hits[0].distance_km < hits[1].distance_km


def test_an_empty_search_is_recorded_as_unmet_demand_once(login, parent, offer, next_week):
    c = login(parent)
    params = {"start": next_week, "end": next_week + timedelta(days=2), "age": 9, "kind": "host_family"}
    r = c.get("/respijt/", params)
    assert "geen passend aanbod vrij" in r.content.decode()
    c.get("/respijt/", params)
    unmet = UnmetDemand.objects.get()
    assert (unmet.source, unmet.kind, unmet.age_band, unmet.units) == (
        "empty_search",
        "host_family",
        "8-11",
        2,
    )


def test_the_search_page_lists_free_offers(client, offer, next_week):
    r = client.get("/respijt/", {"start": next_week, "end": next_week + timedelta(days=1)})
    assert r.status_code == 200
    assert offer.title in r.content.decode() and "2 plaatsen vrij" in r.content.decode()


def test_the_search_page_explains_bad_dates(client, next_week):
    r = client.get("/respijt/", {"start": next_week, "end": next_week - timedelta(days=1)})
    assert "De einddatum ligt voor de begindatum." in r.content.decode()


def test_the_month_calendar_shows_free_and_full(make_offer, parent, book, next_week):
    offer = make_offer(capacity=1)
    book(parent, offer, next_week)
    weeks = services.month_calendar(offer, next_week.year, next_week.month)
    days = {d["date"]: d for w in weeks for d in w if d}
    assert days[next_week]["state"] == "full"
    if (next_week + timedelta(days=1)).month == next_week.month:
        assert days[next_week + timedelta(days=1)]["state"] == "free"


def test_the_offer_page_shows_the_calendar(client, offer, next_week):
    r = client.get(f"/respijt/aanbod/{offer.pk}/?maand={next_week:%Y-%m}")
    body = r.content.decode()
    assert r.status_code == 200 and "day--free" in body and "Log in om aan te vragen" in body
