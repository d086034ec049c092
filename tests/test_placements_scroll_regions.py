"""Every scrollable table on the monitor's pages is a named region a keyboard user can reach."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest

pytestmark = pytest.mark.django_db

URL = "/monitor/?cohort_start=2024-01-01&cohort_end=2025-12-31&as_of=2026-01-01"
WRAP = re.compile(r'<div class="table-wrap[^"]*"([^>]*)>', re.S)


@pytest.fixture
def cohort30(make_placement, other_provider):
    s = date(2024, 1, 1)
    for i in range(30):
        if i < 9:
            make_placement(s + timedelta(days=i), 60 + i, "02")
        else:
            make_placement(s + timedelta(days=i))
    for _ in range(5):
        make_placement(s, 40, "03", provider=other_provider, placement_type="kinship")


def _assert_named_regions(body: str) -> int:
    ids = set(re.findall(r'\bid="([^"]+)"', body))
    wraps = WRAP.findall(body)
    for attrs in wraps:
        assert 'tabindex="0"' in attrs
        assert 'role="region"' in attrs, attrs
        labelled = re.search(r'aria-labelledby="([^"]+)"', attrs)
        label = re.search(r'aria-label="([^"]+)"', attrs)
        assert labelled or label, attrs
        if labelled:
            assert labelled.group(1) in ids, f"no element with id {labelled.group(1)}"
    assert len(ids) == len(re.findall(r'\bid="', body)), "ids are unique"
    return len(wraps)


def test_the_dashboard_tables_are_named_regions_and_the_page_is_the_plaatsingsmonitor(
    login, coordinator, cohort30, target
):
    body = login(coordinator).get(URL).content.decode()
    assert "<h1>Plaatsingsmonitor</h1>" in body
    assert "<title>Plaatsingsmonitor" in body
    assert _assert_named_regions(body) >= 6


def test_staff_dashboard_with_own_figures_has_unique_region_names(login, staff, cohort30):
    body = login(staff).get(URL).content.decode()
    assert _assert_named_regions(body) >= 6


def test_the_register_and_import_tables_are_named_regions(login, staff, cohort30):
    c = login(staff)
    assert _assert_named_regions(c.get("/monitor/plaatsingen/").content.decode()) == 1
    assert _assert_named_regions(c.get("/monitor/import/").content.decode()) == 1
