"""Browser: a parent searches, requests and sees the request; the provider accepts it. axe-core."""

from __future__ import annotations

from datetime import time, timedelta

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PARENT = "pleegouder@thuisnet.example"
STAFF = "medewerker@pleegzorg-ijsselland.example"
COORDINATOR = "coordinator@thuisnet.example"


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    """Dutch, as the parents of the region see it."""
    return {**browser_context_args, "locale": "nl-NL"}


def _sign_in(page, live_server, email: str) -> None:
    """A signed-in session (second factor done) as a cookie; the login form has its own tests."""
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


@pytest.fixture
def respite_offer(demo_site):
    from django.utils import timezone

    from respite import services
    from respite.models import WorkingAgreement
    from thuisnet.accounts.models import Municipality, Organisation

    WorkingAgreement.objects.get_or_create(region=demo_site)
    provider = Organisation.objects.get(slug="pleegzorg-ijsselland")
    offer = services.create_offer(
        provider,
        capacity=2,
        kind="host_family",
        title="Weekendgezin Van der Berg",
        municipality=Municipality.objects.get(slug="deventer"),
        postcode="7411",
        age_min=4,
        age_max=12,
        handles=["behaviour"],
        max_stay=3,
        min_notice_hours=24,
        description="Rustig huis met een grote tuin.",
    )
    today = timezone.localdate()
    services.add_pattern(
        offer,
        start=services.local_dt(today, time(17)),
        end=services.local_dt(today + timedelta(days=1), time(12)),
        repeat="daily",
    )
    return offer


def test_parent_requests_and_provider_accepts(page, browser, live_server, axe, screenshot, respite_offer):
    from django.utils import timezone

    start = timezone.localdate() + timedelta(days=10)
    end = start + timedelta(days=2)

    _sign_in(page, live_server, PARENT)
    page.goto(f"{live_server.url}/respijt/")
    page.fill("#id_start", start.isoformat())
    page.fill("#id_end", end.isoformat())
    page.fill("#id_age", "9")
    page.check("input[name=needs][value=behaviour]")
    page.click("button:has-text('Zoeken')")
    page.wait_for_selector("text=Weekendgezin Van der Berg")
    axe(page)
    screenshot(page, "respite-1-search-results")

    page.click("a.card__link")
    page.wait_for_selector("#request-title")
    axe(page)
    screenshot(page, "respite-2-offer")
    page.fill("#id_child_ref", "Oudste")
    page.click("button:has-text('Aanvraag versturen')")
    page.wait_for_selector("text=Je aanvraag is verstuurd")
    assert "aangevraagd" in page.inner_text("main")
    axe(page)
    screenshot(page, "respite-3-request-sent")

    page.goto(f"{live_server.url}/respijt/mijn-aanvragen/")
    assert "Weekendgezin Van der Berg" in page.inner_text("main")
    axe(page)

    page.set_viewport_size({"width": 320, "height": 800})
    page.goto(f"{live_server.url}/respijt/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    screenshot(page, "respite-4-search-320px")

    staff_page = browser.new_page(locale="nl-NL")
    _sign_in(staff_page, live_server, STAFF)
    staff_page.goto(f"{live_server.url}/respijt/beheer/")
    axe(staff_page)
    screenshot(staff_page, "respite-5-provider-manage")
    staff_page.click("table a:has-text('#')")
    staff_page.wait_for_selector("#decide-title")
    axe(staff_page)
    staff_page.click("button:has-text('Accepteren')")
    staff_page.wait_for_selector("text=Geaccepteerd. De ouder krijgt")
    assert "geaccepteerd" in staff_page.inner_text("main")
    assert "Oudste" in staff_page.inner_text("main")  # child details visible from acceptance
    screenshot(staff_page, "respite-6-provider-accepted")

    staff_page.goto(f"{live_server.url}/respijt/beheer/aanbod/{respite_offer.pk}/")
    axe(staff_page)
    screenshot(staff_page, "respite-7-offer-edit")
    staff_page.close()

    coordinator_page = browser.new_page(locale="nl-NL")
    _sign_in(coordinator_page, live_server, COORDINATOR)
    coordinator_page.goto(f"{live_server.url}/respijt/regio/")
    axe(coordinator_page)
    screenshot(coordinator_page, "respite-8-demand-map")
    coordinator_page.close()
