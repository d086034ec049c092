"""The API documentation renders in the browser from this host, under the site's CSP."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_the_api_docs_are_readable_without_other_hosts_or_csp_violations(page, live_server):
    foreign, violations = [], []
    page.on(
        "request",
        lambda req: (
            foreign.append(req.url) if not req.url.startswith((live_server.url, "data:", "blob:")) else None
        ),
    )
    page.on(
        "console",
        lambda msg: violations.append(msg.text) if "Content Security Policy" in msg.text else None,
    )
    page.goto(live_server.url + "/api/v1/docs/")
    # ReDoc renders the schema's title and its operations once the bundle has run.
    expect(page.get_by_role("heading", name="Thuisnet API").first).to_be_visible(timeout=20_000)
    # ReDoc adds its menu footer (with the logo it would fetch from a CDN) after the first
    # render: wait until the page is quiet before judging what it asked for.
    page.wait_for_load_state("networkidle")
    page.wait_for_timeout(500)
    assert foreign == []
    assert violations == []


def test_the_favicon_is_served(page, live_server):
    response = page.goto(live_server.url + "/favicon.ico")
    assert response.status == 200
    assert response.headers["content-type"] in {"image/x-icon", "image/vnd.microsoft.icon"}
