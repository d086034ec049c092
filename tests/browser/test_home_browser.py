"""The home page in a real Chromium: accessible (axe-core, WCAG 2.1 AA), responsive, offline."""

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_the_home_page_is_accessible_and_loads_nothing_from_elsewhere(
    page, live_server, demo_site, axe, screenshot
):
    other_hosts = []
    page.on(
        "request",
        lambda r: (
            other_hosts.append(r.url)
            if not r.url.startswith(live_server.url) and not r.url.startswith("data:")
            else None
        ),
    )
    page.goto(live_server.url + "/")
    assert page.locator("h1").inner_text() == "Ieder kind een thuis, dichtbij"
    axe(page)
    screenshot(page, "home")
    assert other_hosts == []


def test_the_home_page_works_at_320_pixels_wide(page, live_server, demo_site, axe, screenshot):
    page.set_viewport_size({"width": 320, "height": 800})
    page.goto(live_server.url + "/")
    # Nothing forces a horizontal scrollbar.
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    axe(page)
    screenshot(page, "home-320")


def test_the_skip_link_and_language_switch_work_from_the_keyboard(page, live_server, demo_site):
    page.goto(live_server.url + "/")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Naar de inhoud"
    page.get_by_role("link", name="English").click()
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.get_by_role("link", name="Skip to content").count() == 1


def test_the_login_page_is_accessible(page, live_server, demo_site, axe, screenshot):
    page.goto(live_server.url + "/accounts/login/")
    axe(page)
    screenshot(page, "login")
