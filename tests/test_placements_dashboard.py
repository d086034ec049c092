"""The dashboard: region aggregates for coordinators, own provider beside it for staff."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from thuisnet.core.models import AuditLog

pytestmark = pytest.mark.django_db

URL = "/monitor/?cohort_start=2024-01-01&cohort_end=2025-12-31&as_of=2026-01-01"


@pytest.fixture
def big_cohort(make_placement, other_provider):
    """30 placements of ``provider`` (9 break down early) and 5 of the other provider."""
    s = date(2024, 1, 1)
    for i in range(30):
        if i < 9:
            make_placement(s + timedelta(days=i), 60 + i, "02")
        elif i < 15:
            make_placement(s + timedelta(days=i), 300, "01")
        else:
            make_placement(s + timedelta(days=i))
    for i in range(5):
        make_placement(s, 40, "03", provider=other_provider, placement_type="kinship")


def test_the_coordinator_sees_the_region_with_intervals_and_a_chart(login, coordinator, big_cohort, target):
    response = login(coordinator).get(URL)
    assert response.status_code == 200
    body = response.content.decode()
    assert "<svg" in body and "De curve in cijfers" in body
    assert "95%-interval" in body
    # 35 placements, 14 breakdowns: shown; the other provider's 5 are hidden as "<10".
    assert ">35<" in body and ">14<" in body
    assert "&lt;10" in body
    assert "Regionaal doel" in body
    assert "K-0001" not in body  # never rows


def test_small_groups_get_no_rate(login, coordinator, big_cohort):
    data = login(coordinator).get(URL).context["data"]["region"]
    kinship = next(r for r in data["by_type"] if r["label"] == "Netwerkpleegzorg")
    assert kinship["n_text"] == "<10"
    assert kinship["cif12"].hidden
    regular = next(r for r in data["by_type"] if r["label"] == "Reguliere pleegzorg")
    assert regular["n_text"] == "*"  # the only other type: it would reveal kinship's count
    # Its 9 breakdowns are hidden, so its share is too (9/30 would give them back).
    assert regular["breakdowns_text"] == "<10"
    assert regular["cif12"].hidden


def test_the_coordinator_sees_the_funnel_of_providers(
    login, coordinator, big_cohort, make_placement, other_provider
):
    # Enough breakdowns on both sides that neither provider's counts are hidden.
    make_placement(date(2024, 1, 1), 50, "02")
    for _i in range(10):
        make_placement(date(2024, 1, 1), 45, "02", provider=other_provider)
    data = login(coordinator).get(URL).context["data"]["region"]
    labels = [p["label"] for p in data["funnel"]["points"]]
    assert labels == ["Pleegzorg IJsselland"]  # the other provider has fewer than 20


def test_staff_see_their_own_provider_beside_the_region(login, staff, big_cohort):
    response = login(staff).get(URL)
    data = response.context["data"]
    assert data["own"]["n"] == "30"
    # Staff know their own 30: the region's 35 would give the other provider's 5 away.
    assert data["region"]["n"] == "*"
    names = [r["label"] for r in data["region"]["by_provider"]]
    assert "Veluwe Jeugdzorg" not in names  # other providers are not named to staff
    assert "Pleegzorg IJsselland" in names


def test_every_dashboard_read_is_audited(login, coordinator, big_cohort):
    login(coordinator).get(URL)
    log = AuditLog.objects.get(object_type="placement_report")
    assert log.actor == coordinator
    assert log.detail["cohort_start"] == "2024-01-01"


def test_a_reversed_cohort_shows_a_dutch_error(login, coordinator):
    response = login(coordinator).get("/monitor/?cohort_start=2025-01-01&cohort_end=2024-01-01")
    assert "Het einde van de cohort ligt voor het begin." in response.content.decode()


def test_parents_and_outsiders_cannot_open_the_monitor(login, parent, outsider):
    assert login(parent).get("/monitor/").status_code == 403
    assert login(outsider).get("/monitor/").status_code == 403


def test_the_data_quality_table_counts_problems(login, coordinator, make_placement):
    s = date(2024, 1, 1)
    for i in range(12):
        make_placement(s + timedelta(days=i), 100, "")  # ended without a reason
    make_placement(s, None, placement_type="crisis")  # open for two years
    data = login(coordinator).get(URL).context["data"]["region"]
    quality = {q["label"]: q["count"] for q in data["quality"]}
    assert quality["Beëindigd zonder bekende reden (CBS-code)"] == "12"
    assert quality["Onwaarschijnlijk lang open"] == "<10"


def test_the_coordinator_sets_the_target(login, coordinator, region):
    from foster.placements.models import Target

    client = login(coordinator)
    response = client.post(
        "/monitor/doel/",
        {
            "cohort_start": "2025-01-01",
            "cohort_end": "2026-12-31",
            "horizon_months": 12,
            "max_percentage": "20",
        },
    )
    assert response.status_code == 302
    t = Target.objects.get(region=region)
    assert float(t.max_share) == 0.2 and t.horizon_months == 12
    response = client.post(
        "/monitor/doel/",
        {
            "cohort_start": "2025-01-01",
            "cohort_end": "2024-12-31",
            "horizon_months": 12,
            "max_percentage": "20",
        },
    )
    assert "ligt voor het begin" in response.content.decode()


def test_staff_cannot_set_the_target(login, staff):
    assert login(staff).get("/monitor/doel/").status_code == 403
