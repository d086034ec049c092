"""Charts people can read (issue 17, item 6): target line, labelled funnel with axis values
and a legend, data tables, and the target badge only where the target applies."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

pytestmark = pytest.mark.django_db

URL = "/monitor/?cohort_start=2024-01-01&cohort_end=2025-12-31&as_of=2026-06-01"


@pytest.fixture
def two_providers(make_placement, other_provider):
    """30 placements per provider in early 2024, 10 and 14 breakdowns, the rest planned."""
    s = date(2024, 1, 1)
    for prov, breakdowns in ((None, 10), (other_provider, 14)):
        extra = {"provider": prov} if prov else {}
        for i in range(30):
            ref = f"{'O' if prov else 'P'}-{i}"
            if i < breakdowns:
                make_placement(
                    s + timedelta(days=i), 60 + i, "02", child_ref=f"K{ref}", carer_ref=f"G{ref}", **extra
                )
            else:
                make_placement(
                    s + timedelta(days=i), 500, "01", child_ref=f"K{ref}", carer_ref=f"G{ref}", **extra
                )


def test_the_curve_carries_the_target_line(login, coordinator, two_providers, target):
    response = login(coordinator).get(URL)
    chart = response.context["data"]["region"]["chart"]
    assert chart["target"]["label"] == "doel 20,0%"
    body = response.content.decode()
    assert "chart__line--target" in body and "De curve in cijfers" in body  # data table kept


def test_a_filtered_subset_gets_no_target_badge_or_line(login, coordinator, two_providers, target):
    response = login(coordinator).get(URL + "&type=crisis")
    assert response.context["data"]["target"] is None
    body = response.content.decode()
    assert "Op koers" not in body and "chart__line--target" not in body


def test_the_funnel_names_providers_for_the_region(
    login, coordinator, two_providers, provider, other_provider
):
    response = login(coordinator).get(URL)
    funnel = response.context["data"]["region"]["funnel"]
    assert {p["label"] for p in funnel["points"]} == {provider.name, other_provider.name}
    assert [t["label"] for t in funnel["xticks"]][:2] == ["0", "10"]
    body = response.content.decode()
    assert "chart__label--point" in body
    assert "95%-grenzen" in body and "99,8%-grenzen" in body and "regiogemiddelde" in body


def test_staff_see_their_own_point_as_jouw_organisatie(login, staff, two_providers, provider):
    funnel = login(staff).get(URL).context["data"]["region"]["funnel"]
    labels = {p["label"]: p["own"] for p in funnel["points"]}
    assert labels["jouw organisatie"] is True
    assert provider.name not in labels


def test_the_dashboard_is_kept_between_data_changes(
    login, coordinator, two_providers, make_placement, monkeypatch
):
    from foster.placements import dashboard

    calls = []
    real = dashboard.build
    monkeypatch.setattr(dashboard, "build", lambda *a, **k: calls.append(1) or real(*a, **k))
    client = login(coordinator)
    first = client.get(URL).context["data"]["region"]["n"]
    client.get(URL)
    assert len(calls) == 1  # the second view came from the cache
    make_placement(date(2024, 3, 1), 100, "02")  # a change: the next view rebuilds
    assert client.get(URL).context["data"]["region"]["n"] != first
    assert len(calls) == 2
