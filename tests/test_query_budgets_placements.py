"""Query budgets of the placement register's lists (issue 10, item 9): the same number of
queries with 2 placements as with 20."""

from __future__ import annotations

from datetime import date

import pytest

from tests.query_budget import same_budget as _same_budget

pytestmark = pytest.mark.django_db


def _grow(make_placement, municipalities, start: int, n: int):
    def grow():
        for i in range(start, start + n):
            make_placement(
                date(2025, 1, 1 + i),
                days=30 if i % 2 else None,
                code="02" if i % 2 else "",
                municipality=municipalities["deventer"] if i % 3 else None,
            )

    return grow


def test_the_register_costs_the_same_with_20_placements(
    login, staff, make_placement, municipalities, django_assert_max_num_queries
):
    _grow(make_placement, municipalities, 0, 2)()
    _same_budget(
        login(staff),
        "/monitor/plaatsingen/",
        _grow(make_placement, municipalities, 2, 18),
        django_assert_max_num_queries,
    )


def test_the_api_list_costs_the_same_with_20_placements(
    login, staff, make_placement, municipalities, django_assert_max_num_queries
):
    _grow(make_placement, municipalities, 0, 2)()
    client = login(staff)
    url = "/api/v1/placements/?provider=pleegzorg-ijsselland"
    _same_budget(client, url, _grow(make_placement, municipalities, 2, 18), django_assert_max_num_queries)
    assert client.get(url).json()["count"] == 20
