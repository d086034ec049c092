"""A visitor finds an evening from the home page, registers, and sees the confirmation."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def foster_demo(demo_site):
    from foster import demo

    demo.load(demo_site)
    return demo_site


def test_a_visitor_finds_an_evening_registers_and_sees_the_confirmation(
    page, live_server, foster_demo, axe, screenshot
):
    page.goto(live_server.url + "/")
    page.get_by_role("link", name="Bekijk de avonden").click()
    page.wait_for_url("**/informatieavonden/")
    assert page.get_by_role("heading", name="Informatieavonden", level=1).is_visible()
    axe(page)
    page.get_by_role("link", name="Informatieavond pleegzorg Apeldoorn").first.click()
    page.wait_for_url("**/informatieavond-apeldoorn/")
    axe(page)
    screenshot(page, "foster-evening-page")

    page.get_by_label("Naam").fill("Lotte Visser")
    page.get_by_label("E-mailadres").fill("lotte@example.org")
    page.get_by_label("Postcode").fill("7322")
    page.get_by_label("2 personen").check()
    page.get_by_label("Voltijdpleegzorg").check()
    page.get_by_label("Hoe heb je van de avond gehoord?").select_option("friend")
    page.get_by_label("Ik geef toestemming om mijn gegevens te bewaren").check()
    page.get_by_role("button", name="Aanmelden").click()

    page.wait_for_url("**/avonden/inschrijving/**")
    assert page.get_by_role("heading", name="Je bent aangemeld").is_visible()
    assert page.get_by_text("Lotte Visser").is_visible()
    axe(page)
    screenshot(page, "foster-confirmation")

    from foster.models import Registration

    reg = Registration.objects.get(email="lotte@example.org")
    assert reg.status == "confirmed" and reg.attendees == 2


def test_the_evening_page_fits_a_320px_phone_and_shows_errors_accessibly(
    page, live_server, foster_demo, axe, screenshot
):
    page.set_viewport_size({"width": 320, "height": 800})
    page.goto(live_server.url + "/informatieavonden/wervingsavond-voorjaar/")
    page.get_by_label("Postcode").fill("12")
    page.get_by_role("button", name="Aanmelden").click()
    expect(page.get_by_text("Vul een postcode in van 4 cijfers").first).to_be_visible()
    expect(page.get_by_text("Geef toestemming om je aan te melden.").first).to_be_visible()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 320
    axe(page)
    screenshot(page, "foster-evening-page-320-errors")


def test_an_organiser_checks_people_in_on_a_phone(
    page, live_server, foster_demo, browser_login, axe, screenshot
):
    from foster.models import EveningSession

    session = EveningSession.objects.get(page__slug="informatieavond-apeldoorn")
    # Checking in is open on the evening's own day only: make the evening start within the hour.
    from datetime import timedelta

    from django.utils import timezone

    starts = timezone.now() + timedelta(minutes=30)
    EveningSession.objects.filter(pk=session.pk).update(starts_at=starts, ends_at=starts + timedelta(hours=2))
    browser_login(page, "medewerker@veluwejeugdzorg.example")
    page.set_viewport_size({"width": 360, "height": 780})
    page.goto(f"{live_server.url}/avonden/beheer/{session.pk}/")
    screenshot(page, "foster-manage-session-phone")
    assert page.url.endswith(f"/avonden/beheer/{session.pk}/"), page.url
    axe(page)
    page.get_by_role("link", name="Inchecken").click()
    first = page.locator(".checkin").first
    first.get_by_role("button").click()
    expect(page.locator(".checkin--present")).to_have_count(1)
    axe(page)
    screenshot(page, "foster-check-in-phone")
    assert session.registrations.filter(attended_at__isnull=False).count() == 1
