"""The breakdown monitor in a real browser, as the demo region's coordinator."""

from __future__ import annotations

import pytest


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    """Dutch, as the region's staff use it (the interface text is Dutch first)."""
    return {**browser_context_args, "locale": "nl-NL"}


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_coordinator_reads_the_dashboard(page, live_server, demo_site, browser_login, axe, screenshot):
    from foster.placements import demo

    demo.load(demo_site)
    browser_login(page, "coordinator@thuisnet.example")
    page.goto(f"{live_server.url}/monitor/")
    assert page.get_by_role("heading", name="Breakdownmonitor", level=1).is_visible()
    assert page.locator("svg.chart__svg").count() >= 3  # curve, funnel, trend
    assert page.get_by_text("Regionaal doel").is_visible()
    axe(page)
    screenshot(page, "placements-dashboard-coordinator")
    page.set_viewport_size({"width": 320, "height": 800})
    axe(page)
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    assert scroll_width <= 320 + 1
    screenshot(page, "placements-dashboard-320")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_provider_staff_import_page_is_accessible(
    page, live_server, demo_site, browser_login, axe, screenshot
):
    browser_login(page, "medewerker@pleegzorg-ijsselland.example")
    page.goto(f"{live_server.url}/monitor/import/")
    assert page.get_by_role("heading", name="Kolomspecificatie").is_visible()
    axe(page)
    screenshot(page, "placements-import")
