"""The one disclosure module: its rules, and the three leaks reported in issue 10 (recruitment
report, respite region page, breakdown monitor) closed by using it everywhere."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.utils import timezone

from respite import services as respite
from thuisnet.core import disclosure

URL = "/monitor/?cohort_start=2024-01-01&cohort_end=2025-12-31&as_of=2026-01-01"


def test_counts_from_one_to_nine_are_hidden_and_zero_is_shown():
    assert [disclosure.count(n) for n in (0, 1, 9, 10, 972)] == ["0", "<10", "<10", "10", "972"]


def test_a_share_over_a_hidden_count_is_not_shown():
    assert disclosure.share(7, 972) is None  # "0,7%" of 972 gives 7 back
    assert disclosure.share(20, 5) is None  # small denominator
    assert disclosure.share(14, 35) == "40,0%"
    assert disclosure.share(0, 35) == "0,0%"
    assert disclosure.share(20, 40, hidden=True) is None
    assert disclosure.share(5, 0) is None


def test_a_single_hidden_cell_takes_the_smallest_other_cell_with_it():
    shown = disclosure.series([4, 30, 12])
    assert shown.cells == ["<10", "30", "*"] and shown.total == "46"


def test_the_caller_can_keep_the_cell_that_matters():
    shown = disclosure.series([14, 6, 15], keep=[0])
    assert shown.cells == ["14", "<10", "*"] and shown.total == "35"


def test_a_two_way_table_hides_a_rectangle_not_everything():
    shown = disclosure.Table([[1, 20, 30], [15, 12, 40]]).protect()
    assert shown.cells == [["<10", "*", "30"], ["*", "*", "40"]]
    assert shown.row_totals == ["51", "67"] and shown.grand_total == "118"


def test_a_total_that_does_not_add_up_is_refused():
    with pytest.raises(ValueError):
        disclosure._System([1, 2, 4], [([0, 1], 2)])


# --- the recruitment report --------------------------------------------------------------


def _prospects(region, provider, municipality, n, start=0):
    from foster.models import Prospect

    for i in range(start, start + n):
        Prospect.objects.create(
            region=region,
            provider=provider,
            family_form="full_time",
            name=f"Aspirant {i}",
            email=f"a{i}@example.org",
            municipality=municipality,
            source="website",
            stage_date=timezone.localdate(),
        )


@pytest.mark.django_db
def test_the_recruitment_report_no_longer_gives_lochem_away(
    region, provider, municipalities, login, coordinator
):
    # Reported: total 6, Deventer 5, Lochem "< 3", so Lochem was 1.
    from foster import selectors

    _prospects(region, provider, municipalities["deventer"], 5)
    _prospects(region, provider, municipalities["lochem"], 1, start=5)
    report = selectors.funnel_report(region)
    shown = {m["name"]: m["shown"] for m in report["per_municipality"]}
    assert shown == {"Deventer": "<10", "Lochem": "<10"}
    assert report["total_shown"] == "<10"
    body = login(coordinator).get("/avonden/rapportage/").content.decode()
    assert "Lochem" in body and "&lt;10" in body and ">6<" not in body and ">5<" not in body


@pytest.mark.django_db
def test_the_recruitment_report_hides_a_second_municipality_when_the_total_is_shown(
    region, provider, municipalities
):
    from foster import selectors

    _prospects(region, provider, municipalities["deventer"], 15)
    _prospects(region, provider, municipalities["lochem"], 1, start=15)
    report = selectors.funnel_report(region)
    shown = {m["name"]: m["shown"] for m in report["per_municipality"]}
    assert shown == {"Deventer": "*", "Lochem": "<10"}
    assert report["total_shown"] == "16"
    for row in report["rows"]:  # no bar or share over a hidden stage count
        if row["shown"] == "<10":
            assert row["bar"] is None and row["conversion_text"] is None


# --- the respite region page -------------------------------------------------------------


@pytest.mark.django_db
def test_the_respite_region_page_no_longer_shows_six_booked_beside_hidden_providers(
    region, offer, parent, staff, book, next_week, login, coordinator
):
    # Reported: "Geboekt 6" beside providers at "<5".
    for i in range(6):
        b = book(parent, offer, next_week + timedelta(days=i % 3), child=respite.Child(f"K{i}", 9, []))
        respite.accept(staff, b)
    report = respite.demand_report(region, next_week, next_week + timedelta(days=6))
    assert report["totals"]["booked"] == "<10" and report["totals"]["requested"] == "<10"
    assert report["providers"][0]["held"] == "<10" and report["providers"][0]["occupancy"] is None
    body = login(coordinator).get(
        "/respijt/regio/", {"start": next_week, "end": next_week + timedelta(days=6)}
    )
    assert "<dd>6</dd>" not in body.content.decode()


@pytest.mark.django_db
def test_the_respite_rows_protect_a_small_municipality_from_the_total(
    region, make_offer, parent, book, next_week
):
    deventer = make_offer(capacity=4)
    zutphen = make_offer(capacity=2, municipality="zutphen")
    for i in range(11):
        book(parent, deventer, next_week + timedelta(days=i % 4), child=respite.Child(f"D{i}", 9, []))
    book(parent, zutphen, next_week, child=respite.Child("Z1", 9, []))
    report = respite.demand_report(region, next_week, next_week + timedelta(days=6))
    requested = {r["municipality"]: r["requested"] for r in report["rows"]}
    assert requested == {"Deventer": "*", "Zutphen": "<10"}
    assert report["totals"]["requested"] == 12


# --- the breakdown monitor ---------------------------------------------------------------


@pytest.mark.django_db
def test_the_monitor_shows_no_share_beside_a_hidden_count(login, coordinator, make_placement):
    # Reported: "<10" next to "0,7%" of 972.
    s = date(2024, 1, 1)
    for i in range(30):
        make_placement(s + timedelta(days=i), 100, "01")
    make_placement(s, None, placement_type="crisis")  # open for two years: one problem
    data = login(coordinator).get(URL).context["data"]["region"]
    row = next(q for q in data["quality"] if q["label"] == "Onwaarschijnlijk lang open")
    assert row["count"] == "<10" and row["share"] == "–"


@pytest.mark.django_db
def test_the_monitor_shows_no_incidence_or_rate_over_hidden_breakdowns(login, coordinator, make_placement):
    s = date(2024, 1, 1)
    for i in range(30):
        make_placement(s + timedelta(days=i), 100, "02" if i < 3 else "01")
    data = login(coordinator).get(URL).context["data"]["region"]
    assert data["counts"]["breakdowns"] == "<10"
    assert all(v.hidden for _m, v in data["incidence"])
    assert data["rate"] is None and data["chart"] is None
    assert all(e["share"] == "–" for e in data["exit"] if e["count"] in ("<10", "*"))


@pytest.mark.django_db
def test_staff_cannot_subtract_their_own_figures_from_the_region(
    login, staff, coordinator, make_placement, other_provider
):
    # Own provider: 30 placements, 12 planned endings; the other provider: 3 planned endings.
    s = date(2024, 1, 1)
    for i in range(30):
        make_placement(s + timedelta(days=i), 100 if i < 12 else None, "01" if i < 12 else "")
    for i in range(12):
        make_placement(s, 120 if i < 3 else None, "01" if i < 3 else "", provider=other_provider)
    staff_view = login(staff).get(URL).context["data"]
    assert staff_view["own"]["counts"]["planned"] == "12"
    assert staff_view["region"]["counts"]["planned"] != "15"  # 15 - 12 = the other provider's 3
    planned_exit = next(e for e in staff_view["region"]["exit"] if e["code"] == "01")
    assert planned_exit["count"] != "15"
    # The coordinator has no own figures to subtract: 15 may be shown to them.
    assert login(coordinator).get(URL).context["data"]["region"]["counts"]["planned"] == "15"


def test_linked_tables_share_a_total_safely():
    # Two breakdowns of the same total 18: both tables hide it, not just one.
    texts = disclosure.linked(
        {"n": 18, "a1": 9, "a2": 9, "b1": 14, "b2": 4},
        [(["a1", "a2"], "n"), (["b1", "b2"], "n")],
    )
    assert texts["n"] == "*" and texts["a1"] == texts["a2"] == "<10"
