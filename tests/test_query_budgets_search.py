"""Query budgets: the site search costs the same with 2 matching items per source as with 20."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

pytestmark = pytest.mark.django_db


def _queries(client, url: str) -> int:
    client.get(url)
    with CaptureQueriesContext(connection) as ctx:
        r = client.get(url)
    assert r.status_code == 200
    return len(ctx.captured_queries)


def test_the_search_page_costs_the_same_with_2_and_20_hits(
    login, parent, make_article, make_question, home_page
):
    made = []

    def grow(n):
        while len(made) < n:
            i = len(made)
            make_article(title=f"Pleegvergoeding deel {i}", slug=f"pleegvergoeding-{i}")
            made.append(make_question(parent, title=f"Pleegvergoeding vraag {i}", status="visible"))

    client = login(parent)
    grow(2)
    small = _queries(client, "/zoeken/?q=pleegvergoeding")
    grow(20)
    large = _queries(client, "/zoeken/?q=pleegvergoeding")
    assert small == large
    page = client.get("/zoeken/?q=pleegvergoeding").content.decode()
    assert page.count("Pleegvergoeding vraag") >= 10 and page.count("Pleegvergoeding deel") >= 10
