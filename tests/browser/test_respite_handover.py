"""Browser: booking and handover. A parent requests with a phone number, the provider
accepts, the parent sees address, times and contact, both exchange a message. axe-core on every
page; screenshots at 360 and 1280 px."""

from __future__ import annotations

from datetime import time, timedelta

import pytest

from tests.browser.test_respite import COORDINATOR, PARENT, STAFF, _sign_in, respite_offer  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "locale": "nl-NL"}


@pytest.mark.parametrize("width", [360, 1280])
def test_booking_and_handover_journey(page, browser, live_server, axe, screenshot, respite_offer, width):  # noqa: F811
    from django.utils import timezone

    from respite.models import Offer

    Offer.objects.filter(pk=respite_offer.pk).update(
        address="Brinkgreverweg 12",
        arrival_time=time(16, 30),
        departure_time=time(10, 0),
        what_to_bring="Pyjama en knuffel",
        contact_phone="0570 123 456",
    )
    start = timezone.localdate() + timedelta(days=10)
    page.set_viewport_size({"width": width, "height": 900})
    _sign_in(page, live_server, PARENT)
    end = start + timedelta(days=2)
    page.goto(f"{live_server.url}/respijt/aanbod/{respite_offer.pk}/?start={start}&end={end}&age=9")
    page.wait_for_selector("#request-title")
    page.check("input[name=needs][value=behaviour]")
    page.fill("#id_child_ref", "Oudste")
    page.fill("#id_contact_phone", "06 1234 5678")
    page.click("button:has-text('Aanvraag versturen')")
    page.wait_for_selector("text=Je aanvraag is verstuurd")
    assert "Brinkgreverweg" not in page.inner_text("main")  # not before acceptance
    axe(page)
    screenshot(page, f"respite-handover-1-requested-{width}")
    booking_url = page.url

    staff_page = browser.new_page(locale="nl-NL", viewport={"width": width, "height": 900})
    _sign_in(staff_page, live_server, STAFF)
    staff_page.goto(booking_url)
    staff_page.click("button:has-text('Accepteren')")
    staff_page.wait_for_selector("#household-title")
    main = staff_page.inner_text("main")
    assert "06 1234 5678" in main
    staff_page.fill("#id_body", "Welkom! Neem gerust zijn eigen kussen mee.")
    staff_page.click("button:has-text('Bericht versturen')")
    staff_page.wait_for_selector("text=Je bericht is verstuurd")
    axe(staff_page)
    screenshot(staff_page, f"respite-handover-2-provider-{width}")
    if width == 360:
        assert staff_page.evaluate("document.documentElement.scrollWidth") <= 360
    staff_page.close()

    page.goto(booking_url)
    main = page.inner_text("main")
    assert "Brinkgreverweg 12" in main and "16:30" in main and "0570 123 456" in main
    assert "Neem gerust zijn eigen kussen mee." in main
    page.fill("#id_body", "Dank je, tot vrijdag!")
    page.click("button:has-text('Bericht versturen')")
    page.wait_for_selector("text=Je bericht is verstuurd")
    axe(page)
    screenshot(page, f"respite-handover-3-parent-{width}")
    if width == 360:
        assert page.evaluate("document.documentElement.scrollWidth") <= 360
        page.goto(f"{live_server.url}/respijt/mijn-aanvragen/")
        assert page.evaluate("document.documentElement.scrollWidth") <= 360
        axe(page)
        screenshot(page, "respite-handover-4-my-bookings-360")


@pytest.mark.parametrize("width", [360, 1280])
def test_demand_map_page(page, live_server, axe, screenshot, respite_offer, width):  # noqa: F811
    page.set_viewport_size({"width": width, "height": 900})
    _sign_in(page, live_server, COORDINATOR)
    page.goto(f"{live_server.url}/respijt/regio/")
    page.wait_for_selector("#map-title")
    assert page.locator("svg path").count() >= 8
    axe(page)
    screenshot(page, f"respite-map-{width}")
    if width == 360:
        assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.click("a:has-text('Werkafspraken')")
    page.wait_for_selector("#agreements-title")
    axe(page)
    screenshot(page, f"respite-map-agreements-{width}")
