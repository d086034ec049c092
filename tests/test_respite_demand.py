"""The demand map for the region: capacity against requested, booked and unmet nights; CSV; small cells."""

from __future__ import annotations

from datetime import timedelta

import pytest

from respite import services

pytestmark = pytest.mark.django_db


def _week(day):
    y, w, _ = day.isocalendar()
    return f"{y}-W{w:02d}"


def test_the_report_counts_per_week_municipality_and_kind(region, offer, parent, staff, book, next_week):
    children = [services.Child(f"K{i}", 9, []) for i in range(12)]
    booked = []
    for i, ch in enumerate(children):
        day = next_week + timedelta(days=i % 6)
        booked.append(book(parent, offer, day, child=ch))
    for b in booked[:10]:
        services.accept(staff, b)
    report = services.demand_report(region, next_week, next_week + timedelta(days=6))
    row = [r for r in report["rows"] if r["week"] == _week(next_week)][0]
    assert row["municipality"] == "Deventer" and row["kind"] == "place"
    assert row["capacity"] == 14  # 2 places x 7 nights
    assert row["requested"] == 12 and row["booked"] == 10
    assert report["providers"][0]["occupancy"] == round(100 * 12 / 14)


def test_small_cells_are_suppressed(region, offer, parent, book, next_week):
    book(parent, offer, next_week)
    report = services.demand_report(region, next_week, next_week + timedelta(days=6))
    row = report["rows"][0]
    assert row["requested"] == "<10" and row["booked"] == 0
    assert report["providers"][0]["held"] == "<10" and report["providers"][0]["occupancy"] is None


def test_the_region_page_and_csv_export(login, coordinator, region, offer, next_week):
    c = login(coordinator)
    params = {"start": next_week, "end": next_week + timedelta(days=6)}
    page = c.get("/respijt/regio/", params)
    assert page.status_code == 200 and "Bezetting per aanbieder" in page.content.decode()
    csv = c.get("/respijt/regio/vraag.csv", params)
    assert csv["Content-Type"].startswith("text/csv")
    text = csv.content.decode("utf-8-sig")
    assert text.splitlines()[0] == "week;gemeente;soort;capaciteit;aangevraagd;geboekt;onvervulde vraag"
    assert f"{_week(next_week)};Deventer;" in text


def test_only_coordinators_see_the_demand_map(login, staff, parent):
    assert login(staff).get("/respijt/regio/").status_code == 403
    assert login(parent).get("/respijt/regio/vraag.csv").status_code == 403
