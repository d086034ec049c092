"""The dashboard as pages get it (issue 14: logged-in pages at most 64 times a bare view):
kept between data changes, a coordinator's view costs a fixed, small number of queries,
however many placements and providers the region has."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from tests.query_budget import count_queries

pytestmark = pytest.mark.django_db

URL = "/monitor/?cohort_start=2024-01-01&cohort_end=2025-12-31&as_of=2026-06-01"
# The view's own: region, target, audit row (the kept data and page fragment come from the
# cache); the rest is the site's (session, user, memberships, MFA, navigation, inbox, footer),
# measured at 15 on 2026-12-01 with one to spare for the site's own changes.
BUDGET = 16


def _grow(make_placement, provider_count: int, per_provider: int, region, municipalities):
    from thuisnet.accounts.models import Organisation

    first = Organisation.objects.count()
    for p in range(first, first + provider_count):
        org = Organisation.objects.create(
            region=region, kind="provider", name=f"Aanbieder {p}", slug=f"aanbieder-{p}"
        )
        for i in range(per_provider):
            make_placement(
                date(2024, 1, 1) + timedelta(days=i),
                60 + i if i % 3 else None,
                "02" if i % 3 == 1 else "01" if i % 3 == 2 else "",
                provider=org,
                child_ref=f"K{p}-{i}",
                carer_ref=f"G{p}-{i}",
            )


def test_the_kept_dashboard_costs_a_fixed_number_of_queries(
    login, coordinator, region, municipalities, make_placement, django_assert_max_num_queries
):
    client = login(coordinator)
    _grow(make_placement, 1, 3, region, municipalities)
    small = count_queries(client, URL)  # the warm-up view builds and keeps the dashboard
    assert small <= BUDGET
    _grow(make_placement, 6, 25, region, municipalities)
    client.get(URL)  # the data changed: this view rebuilds
    with django_assert_max_num_queries(small):
        response = client.get(URL)
    assert response.status_code == 200
    assert len(response.context["data"]["region"]["by_provider"]) == 7


def test_a_kept_dashboard_does_not_read_placements(login, coordinator, make_placement):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    make_placement(date(2024, 2, 1), 100, "02")
    client = login(coordinator)
    client.get(URL)
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(URL).status_code == 200
    assert not [q for q in ctx.captured_queries if "placements_placement" in q["sql"]]


def test_the_kept_page_changes_as_soon_as_the_data_change(login, coordinator, make_placement):
    """The rendered figures are kept with the data under the same key: a change shows at once."""
    make_placement(date(2024, 2, 1), 100, "01")
    client = login(coordinator)
    before = client.get(URL).content.decode()
    assert client.get(URL).status_code == 200  # from the kept data and fragment
    for i in range(30):
        make_placement(date(2024, 3, 1) + timedelta(days=i), 200, "01")
    after = client.get(URL)
    assert after.context["data"]["region"]["n"] == "31"
    assert "<dd>31</dd>" in after.content.decode() and "<dd>31</dd>" not in before
