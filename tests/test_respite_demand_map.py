"""The demand map: eight municipalities drawn as an SVG choropleth from the shipped boundaries,
coloured by unmet demand per 100 nights of capacity, the table beside it, a weekly heat strip,
small counts hidden, and the working agreements on their own tab."""

from __future__ import annotations

from datetime import timedelta

import pytest

from respite import services
from respite.models import UnmetDemand

pytestmark = pytest.mark.django_db


def _unmet(region, municipality, start, units):
    return UnmetDemand.objects.create(
        region=region,
        source="empty_search",
        start=start,
        end=start + timedelta(days=1),
        units=units,
        municipality=municipality,
        kind="place",
    )


def test_the_map_colours_municipalities_by_unmet_demand_per_100_nights(
    region, municipalities, offer, next_week
):
    _unmet(region, municipalities["deventer"], next_week, 40)
    _unmet(region, municipalities["zutphen"], next_week, 15)
    _unmet(region, municipalities["apeldoorn"], next_week, 3)  # a small count: never shown
    result = services.demand_map(region, next_week, next_week + timedelta(days=6))
    areas = {a.name: a for a in result["areas"]}
    assert len(areas) == 8  # the demo region's eight municipalities, from respite/data/
    deventer = areas["Deventer"]
    assert deventer.capacity == 14 and deventer.unmet == 40  # 2 places x 7 nights
    assert deventer.per_100 == round(100 * 40 / 14, 1) and deventer.band == "b4"
    assert areas["Apeldoorn"].band == "hidden" and areas["Apeldoorn"].per_100 is None
    assert areas["Apeldoorn"].unmet == "<10"
    # Secondary suppression: one more cell is hidden, so "<10" does not follow from the total.
    assert areas["Zutphen"].unmet == "*" and areas["Zutphen"].band == "hidden"
    assert areas["Lochem"].band == "none"  # no capacity: no ratio
    assert all(a.path.startswith("M") for a in areas.values())
    assert [w["iso"] for w in result["weeks"]][0].endswith(f"W{next_week.isocalendar()[1]:02d}")


def test_the_region_page_shows_map_table_strip_and_agreements_tab(
    login, coordinator, region, municipalities, offer, next_week
):
    _unmet(region, municipalities["deventer"], next_week, 12)
    c = login(coordinator)
    html = c.get(
        "/respijt/regio/", {"start": next_week, "end": next_week + timedelta(days=13)}
    ).content.decode()
    assert html.count('<path d="M') == 8 and 'role="img"' in html
    assert "Per gemeente in de gekozen periode" in html and "Week voor week" in html
    assert "cartomap/nl" in html  # the boundaries' attribution
    assert "Werkafspraken opslaan" not in html  # on their own tab
    tab = c.get("/respijt/regio/", {"tab": "werkafspraken"}).content.decode()
    assert "Werkafspraken opslaan" in tab and "Hoe ver de afspraken gebruikt worden" in tab


def test_the_kind_filter_narrows_the_map(region, municipalities, offer, next_week):
    _unmet(region, municipalities["deventer"], next_week, 12)
    result = services.demand_map(region, next_week, next_week + timedelta(days=6), kind="support_family")
    deventer = next(a for a in result["areas"] if a.name == "Deventer")
    assert deventer.capacity == 0 and deventer.unmet == 0
