"""Query budgets of the foster app's lists (issue 10, item 9): the same number of queries
with 2 items as with 20. A list that queries per row fails here."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from foster.models import Prospect
from tests.query_budget import count_queries as _count
from tests.query_budget import same_budget as _same_budget

pytestmark = pytest.mark.django_db


def _prospects(region, providers, start: int, n: int) -> None:
    today = timezone.localdate()
    for i in range(start, start + n):
        Prospect.objects.create(
            region=region,
            provider=providers[i % len(providers)],
            family_form="full_time",
            name=f"Aspirant {i}",
            email=f"aspirant{i}@example.org",
            source="website",
            stage=["registered", "attended"][i % 2],
            stage_date=today,
        )


def test_the_organisers_list_costs_the_same_with_20_evenings(
    login, staff, make_evening, provider, other_provider, django_assert_max_num_queries
):
    for i in range(2):
        make_evening(days=10 + i, organisers=[provider, other_provider])
    client = login(staff)

    def grow():
        for i in range(18):
            make_evening(days=20 + i, organisers=[provider, other_provider])

    _same_budget(client, "/avonden/beheer/", grow, django_assert_max_num_queries)
    assert client.get("/avonden/beheer/").content.decode().count("/avonden/beheer/") >= 20


def test_registration_counts_are_not_doubled_by_two_organisers(
    login, coordinator, staff, make_evening, provider, other_provider, person
):
    """A join over the organisers counted every registration once per organiser."""
    from foster import selectors, services

    page = make_evening(organisers=[provider, other_provider], capacity=3)
    session = page.sessions.get()
    for i in range(4):  # 3 confirmed, 1 on the waiting list
        services.register(session, person(i))
    for user in (coordinator, staff):
        (row,) = selectors.organised_sessions(user)
        assert (row.confirmed, row.waiting) == (3, 1)


def test_a_session_page_and_its_check_in_cost_the_same_with_20_registrations(
    login, staff, session, person, django_assert_max_num_queries
):
    from foster import services

    for i in range(2):
        services.register(session, person(i))
    client = login(staff)

    def grow():
        for i in range(2, 20):
            services.register(session, person(i))

    manage, check_in = f"/avonden/beheer/{session.pk}/", f"/avonden/beheer/{session.pk}/inchecken/"
    _count(client, check_in)
    check_in_small = _count(client, check_in)
    _same_budget(client, manage, grow, django_assert_max_num_queries)
    with django_assert_max_num_queries(check_in_small):
        client.get(check_in)


def test_the_export_costs_the_same_with_20_registrations(login, staff, session, person):
    from foster import services

    client = login(staff)
    url = f"/avonden/beheer/{session.pk}/export.csv"
    for i in range(2):
        services.register(session, person(i))
    _count(client, url)
    small = _count(client, url)
    for i in range(2, 20):
        services.register(session, person(i))
    assert _count(client, url) == small


def test_the_prospect_list_costs_the_same_with_20_prospects(
    login, coordinator, region, provider, other_provider, django_assert_max_num_queries
):
    _prospects(region, [provider, other_provider], 0, 2)
    client = login(coordinator)
    _same_budget(
        client,
        "/avonden/aspiranten/",
        lambda: _prospects(region, [provider, other_provider], 2, 18),
        django_assert_max_num_queries,
    )
    assert client.get("/avonden/aspiranten/").content.decode().count("Aspirant 1") >= 1


def test_the_public_overview_costs_the_same_with_20_evenings(
    client, evening_index, make_evening, vacancy, django_assert_max_num_queries
):
    for i in range(2):
        make_evening(days=10 + i)

    def grow():
        for i in range(18):
            make_evening(days=20 + i)

    _same_budget(client, evening_index.url, grow, django_assert_max_num_queries)


def test_the_evening_api_costs_the_same_with_20_evenings(
    client, make_evening, provider, other_provider, django_assert_max_num_queries
):
    for i in range(2):
        make_evening(days=10 + i, organisers=[provider, other_provider])

    def grow():
        for i in range(18):
            make_evening(days=20 + i, organisers=[provider, other_provider])

    _same_budget(client, "/api/v1/avonden/", grow, django_assert_max_num_queries)
    assert len(client.get("/api/v1/avonden/").json()) == 20


def test_the_search_provider_costs_the_same_with_20_evenings(make_evening, django_assert_max_num_queries):
    from foster import search_provider

    for i in range(2):
        make_evening(days=10 + i, title=f"Informatieavond pleegzorg {i}")
    search_provider.search("pleegzorg")
    with CaptureQueriesContext(connection) as ctx:
        assert len(search_provider.search("pleegzorg")) == 2
    small = len(ctx.captured_queries)
    for i in range(2, 20):
        make_evening(days=10 + i, title=f"Informatieavond pleegzorg {i}")
    with django_assert_max_num_queries(small):
        assert len(search_provider.search("pleegzorg")) == 20
