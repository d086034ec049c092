"""Issue 11, item 7: the region's view, through the shared suppression rules."""

from datetime import timedelta

import pytest
from django.utils import timezone

from matching import selectors
from matching.models import Mentee

pytestmark = pytest.mark.django_db


def test_small_counts_are_hidden_and_no_share_gives_them_back(coordinator, make_family, region):
    for i in range(3):
        Mentee.objects.create(household=make_family(f"n{i}@example.org").household)
    figures = selectors.region_figures(coordinator, region)
    assert figures["total"]["asked"] == "<10"
    assert figures["total"]["share"] is None
    assert figures["median_wait_days"] is None
    assert all(r["asked"] in ("<10", "0", "*") for r in figures["by_provider"])


def test_large_enough_groups_show_counts_and_the_share_within_30_days(coordinator, make_family, region):
    now = timezone.now()
    for i in range(22):
        paired = now - timedelta(days=5) if i < 12 else None
        Mentee.objects.create(
            household=make_family(f"n{i}@example.org").household,
            asked_at=now - timedelta(days=20),
            paired_at=paired,
            status="paired" if paired else "waiting",
        )
    figures = selectors.region_figures(coordinator, region)
    assert figures["total"] == {"asked": "22", "within": "12", "share": "54,5%"}
    assert figures["median_wait_days"] == 15
    (row,) = figures["by_form"]
    assert row["asked"] == "22" and row["share"] == "54,5%"


def test_a_share_is_withheld_when_its_count_is_hidden_by_the_totals(coordinator, make_family, region):
    now = timezone.now()
    for i in range(20):  # 12 within 30 days, 8 not: the 8 is hidden, so the 12 must be too
        Mentee.objects.create(
            household=make_family(f"n{i}@example.org").household,
            asked_at=now - timedelta(days=20),
            paired_at=now if i < 12 else None,
        )
    total = selectors.region_figures(coordinator, region)["total"]
    assert total["within"] == "*" and total["share"] is None


def test_the_region_page_is_for_its_coordinator_only(login, coordinator, staff, parent):
    assert login(coordinator).get("/mentoren/regio/").status_code == 200
    assert login(staff).get("/mentoren/regio/").status_code == 403
    assert login(parent).get("/mentoren/regio/").status_code == 403
