"""The breakdown monitor in a real browser, as the demo region's coordinator."""

from __future__ import annotations

import pytest


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    """Dutch, as the region's staff use it (the interface text is Dutch first)."""
    return {**browser_context_args, "locale": "nl-NL"}


def _sign_in(page, live_server, email: str) -> None:
    """A signed-in staff session (second factor done) as a cookie in the browser.

    The login form itself is covered by the foundation's browser tests; here the subject is
    the monitor, so the session is made directly, as ``tests/conftest.py``'s ``login`` does.
    """
    from django.conf import settings
    from django.test import Client

    from thuisnet.accounts.models import User

    client = Client()
    client.force_login(User.objects.get(email=email))
    session = client.session
    session["thuisnet_mfa_ok"] = True
    session.save()
    host = live_server.url.split("//", 1)[1].split(":")[0]
    page.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": session.session_key, "domain": host, "path": "/"}]
    )


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_coordinator_reads_the_dashboard(page, live_server, demo_site, axe, screenshot):
    from foster.placements import demo

    demo.load(demo_site)
    _sign_in(page, live_server, "coordinator@thuisnet.example")
    page.goto(f"{live_server.url}/monitor/")
    assert page.get_by_role("heading", name="Plaatsingsmonitor", level=1).is_visible()
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
def test_provider_staff_import_page_is_accessible(page, live_server, demo_site, axe, screenshot):
    _sign_in(page, live_server, "medewerker@pleegzorg-ijsselland.example")
    page.goto(f"{live_server.url}/monitor/import/")
    assert page.get_by_role("heading", name="Kolomspecificatie").is_visible()
    axe(page)
    screenshot(page, "placements-import")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_feasible_target_page_is_accessible_and_adopts(page, live_server, demo_site, axe, screenshot):
    from foster.placements import demo
    from foster.placements.models import Target

    demo.load(demo_site)
    _sign_in(page, live_server, "coordinator@thuisnet.example")
    page.goto(f"{live_server.url}/monitor/ambitie/")
    assert page.get_by_role("heading", name="Haalbare ambitie voor breakdown", level=1).is_visible()
    assert page.get_by_text("Voorstel:").is_visible()
    axe(page)
    screenshot(page, "placements-feasibility")
    page.get_by_label("Toelichting bij het besluit").fill("Besproken in het regio-overleg.")
    page.get_by_role("button", name="Ambitie vaststellen").click()
    page.wait_for_url(f"{live_server.url}/monitor/")
    assert Target.objects.filter(adopted_at__isnull=False, note__startswith="Besproken").exists()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_register_fits_a_320_px_screen(page, live_server, demo_site, axe, screenshot):
    from foster.placements import demo

    demo.load(demo_site)
    _sign_in(page, live_server, "medewerker@pleegzorg-ijsselland.example")
    page.set_viewport_size({"width": 320, "height": 800})
    page.goto(f"{live_server.url}/monitor/plaatsingen/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 321
    axe(page)
    screenshot(page, "placements-register-320")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_large_upload_shows_its_progress(page, live_server, demo_site, tmp_path):
    from foster.placements import services

    rows = [";".join(services.COLUMNS)]
    rows += [f"K-UP-{i};G-UP-{i};regulier;voltijd;4-7;;2025-01-10;;;" for i in range(3000)]
    path = tmp_path / "groot.csv"
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    _sign_in(page, live_server, "medewerker@pleegzorg-ijsselland.example")
    page.goto(f"{live_server.url}/monitor/import/")
    page.set_input_files("input[type=file]", str(path))
    page.get_by_role("button", name="Inlezen").click()
    page.wait_for_selector("#import-progress:not([hidden])")
    page.wait_for_selector(".message, .error-summary", timeout=60_000)
    assert "3000 regels gecontroleerd" in page.content()
