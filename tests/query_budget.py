"""Query budgets (issue 10, item 9): a list costs the same number of queries with 2 items as
with 20. One helper for every app's ``tests/test_query_budgets_<app>.py``."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext


def count_queries(client, url: str, *, warm: bool = True) -> int:
    """Queries of one GET of ``url`` (after a warm-up GET that fills sessions, the site and
    translation caches, which a list's budget should not count)."""
    if warm:
        client.get(url)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return len(ctx.captured_queries)


def same_budget(client, url: str, grow, django_assert_max_num_queries) -> int:
    """Count with the small set, ``grow()`` it, and assert the page needs no more queries."""
    small = count_queries(client, url)
    grow()
    with django_assert_max_num_queries(small):
        response = client.get(url)
    assert response.status_code == 200, url
    return small
