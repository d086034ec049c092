"""Two regions on one installation: nothing of one region shows in the other's lists, API,
search or aggregates; a provider that serves both regions sees both."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from respite import selectors, services
from respite.models import Booking, Offer, Slot

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(respite_world):
    day = timezone.localdate() + timedelta(days=10)
    for o in respite_world["offers"].values():
        Slot.objects.create(offer=o, day=day, part="night", capacity=3)
    respite_world["day"] = day
    return respite_world


def _region_b_offers(world):
    return {world["offers"]["b"].pk, world["offers"]["dual_b"].pk}


def test_region_a_staff_never_see_region_b_bookings(login, staff, world):
    api = login(staff, APIClient())
    ids = {b["offer"] for b in api.get("/api/v1/respite/bookings/").json()}
    assert ids and not ids & _region_b_offers(world)
    page = api.get("/respijt/beheer/").content.decode()
    assert "Logeerhuis Doetinchem" not in page and "Winterswijk" not in page
    b_booking = Booking.objects.filter(offer=world["offers"]["b"]).first()
    assert api.get(f"/api/v1/respite/bookings/{b_booking.pk}/").status_code == 404


def test_a_provider_serving_both_regions_sees_both(login, world):
    dual = world["dual"]
    api = login(dual.staff_user, APIClient())
    offers = {b["offer"] for b in api.get("/api/v1/respite/bookings/").json()}
    assert offers == {world["offers"]["dual_a"].pk, world["offers"]["dual_b"].pk}
    page = api.get("/respijt/beheer/").content.decode()
    assert "Gezinshuis Zutphen" in page and "Gezinshuis Winterswijk" in page


def test_a_provider_serving_both_regions_may_add_offers_in_both(world, make_offer):
    dual = world["dual"]
    muni_b = world["b_municipalities"]["doetinchem"]
    offer = services.create_offer(
        dual, capacity=1, kind="place", title="Nieuw in de Achterhoek", municipality=muni_b, postcode="7001"
    )
    assert offer.municipality.region == world["b_region"]
    with pytest.raises(services.RespiteError):
        services.create_offer(
            world["offers"]["a"].provider,
            capacity=1,
            kind="place",
            title="Niet onze regio",
            municipality=muni_b,
            postcode="7001",
        )


def test_parents_find_offers_of_their_own_region_only(parent, world):
    day = world["day"]
    q = services.Query(start=day, end=day + timedelta(days=1))
    found_a = {h.offer.pk for h in selectors.search(parent, q)}
    found_b = {h.offer.pk for h in selectors.search(world["b_parent"], q)}
    assert world["offers"]["dual_a"].pk in found_a and not found_a & _region_b_offers(world)
    assert found_b == _region_b_offers(world)


def test_the_offers_api_keeps_to_the_callers_region(login, parent, world):
    day = world["day"]
    r = login(parent, APIClient()).get(f"/api/v1/respite/offers/?start={day}&end={day + timedelta(days=1)}")
    ids = {o["id"] for o in r.json()}
    assert ids and not ids & _region_b_offers(world)


def test_the_site_search_keeps_to_the_callers_region(coordinator, staff, world):
    from search.services import search

    for user in (coordinator, staff):
        titles = {h.title for h in search("Gezinshuis", user=user).hits}
        assert "Gezinshuis Zutphen" in titles and "Gezinshuis Winterswijk" not in titles
    titles = {h.title for h in search("Gezinshuis", user=world["b_coordinator"]).hits}
    assert titles >= {"Gezinshuis Winterswijk"} and "Gezinshuis Zutphen" not in titles


def test_each_coordinator_sees_only_their_regions_demand(login, coordinator, world):
    day = world["day"]
    report_a = services.demand_report(selectors.demand_region(coordinator), day, day)
    report_b = services.demand_report(selectors.demand_region(world["b_coordinator"]), day, day)
    munis_a = {r["municipality"] for r in report_a["rows"]}
    munis_b = {r["municipality"] for r in report_b["rows"]}
    assert munis_a and not munis_a & {"Doetinchem", "Winterswijk"}
    assert munis_b == {"Doetinchem", "Winterswijk"}
    # Capacity: region A has five offers with 3 places, region B two.
    assert sum(r["capacity"] for r in report_a["rows"]) == 3 * 5  # the inactive offer too
    assert sum(r["capacity"] for r in report_b["rows"]) == 3 * 2
    csv = login(coordinator).get(f"/respijt/regio/vraag.csv?start={day}&end={day}").content.decode()
    assert "Winterswijk" not in csv and "Doetinchem" not in csv and "Achterhoek Jeugdzorg" not in csv


def test_a_coordinator_cannot_ask_for_the_other_regions_demand(login, coordinator, world):
    r = login(coordinator).get("/respijt/regio/?regio=achterhoek")
    assert r.status_code == 200 and "Doetinchem" not in r.content.decode()
    assert login(world["b_coordinator"]).get("/respijt/regio/?regio=achterhoek").status_code == 200


def test_mentor_counts_keep_to_the_coordinators_region(coordinator, region, world):
    from matching import selectors as matching

    assert list(matching.overview_regions(coordinator)) == [region]
    assert list(matching.overview_regions(world["b_coordinator"])) == [world["b_region"]]
    assert matching.overview(world["b_staff"]) is None


def test_offers_lie_in_the_region_of_their_municipality(world):
    in_b = Offer.objects.filter(municipality__region=world["b_region"])
    assert set(in_b.values_list("pk", flat=True)) == _region_b_offers(world)


def test_the_demo_has_a_second_region_that_keeps_to_itself(db):
    from respite import demo as respite_demo
    from thuisnet.accounts.models import Region, User
    from thuisnet.core import demo

    first = demo.load_foundation()
    respite_demo.load(first)
    respite_demo.load(first)  # idempotent
    second = Region.objects.get(slug=demo.SECOND_REGION_SLUG)
    user = {u.email: u for u in User.objects.all()}
    assert selectors.demand_region(user["coordinator@achterhoek.example"]) == second
    assert selectors.demand_region(user["coordinator@thuisnet.example"]) == first
    both = {o.municipality.region_id for o in selectors.managed_offers(user["medewerker@delinde.example"])}
    assert both == {first.pk, second.pk}
    only_b = {
        o.municipality.region_id
        for o in selectors.managed_offers(user["medewerker@jeugdzorg-achterhoek.example"])
    }
    assert only_b == {second.pk}
    assert Offer.objects.filter(municipality__region=second).count() == 3
    bookings_b = Booking.objects.filter(offer__municipality__region=second)
    assert bookings_b.exists() and not selectors.api_bookings(
        user["medewerker@pleegzorg-ijsselland.example"]
    ).filter(pk__in=bookings_b)
