# ruff: noqa: F811  (fixtures imported from tests.payouts_support)
"""Browser: with payouts on, a host family sees its Stripe status, the provider confirms a
stay (and sees a cap refusal at the field), the region sees its payouts. axe-core; 360/1280 px."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest

from tests.payouts_support import enable_account, payouts_on, stripe_stub  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PARENT = "pleegouder@thuisnet.example"
STAFF = "medewerker@pleegzorg-ijsselland.example"
COORDINATOR = "coordinator@thuisnet.example"
HOST = "gastgezin@thuisnet.example"


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "locale": "nl-NL"}


def _sign_in(page, live_server, email: str) -> None:
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
def stays(demo_site, payouts_on):
    from django.utils import timezone

    from respite.models import Booking, Offer
    from respite.payouts.models import RateCard
    from thuisnet.accounts.models import Municipality, Organisation, User

    host = User.objects.create_user(HOST, "x", full_name="Gastgezin Jansen", region=demo_site)
    parent = User.objects.get(email=PARENT)
    offer = Offer.objects.create(
        provider=Organisation.objects.get(slug="pleegzorg-ijsselland"),
        kind="host_family",
        title="Weekendgezin Jansen",
        municipality=Municipality.objects.get(slug="deventer"),
        postcode="7411",
        host_user=host,
    )
    today = timezone.localdate()
    out = []
    for i in range(3):
        out.append(
            Booking.objects.create(
                offer=offer,
                household=parent.household,
                start=today - timedelta(days=8 - 2 * i),
                end=today - timedelta(days=6 - 2 * i),
                units=2,
                age_band="8-11",
                status=Booking.Status.ACCEPTED,
                decide_by=timezone.now(),
            )
        )
    for unit, cents in (("night", 4500), ("hour", 500)):
        RateCard.objects.create(
            region=demo_site, unit=unit, amount_cents=cents, valid_from=today - timedelta(days=365)
        )
    return {"host": host, "stays": out}


# Elements in main that reach past the viewport (a table scrolls inside its .table-wrap).
WIDE_ELEMENTS = """(w) => [...document.querySelectorAll('main *')]
  .filter(e => !e.closest('.table-wrap table') && e.getBoundingClientRect().right > w + 1)
  .slice(0, 20).map(e => e.tagName + '.' + e.className + ' ' + Math.round(e.getBoundingClientRect().right))"""


def _both_widths(page, screenshot, name):
    for width in (1280, 360):
        page.set_viewport_size({"width": width, "height": 900})
        page.reload()
        wide = page.evaluate(WIDE_ELEMENTS, width)
        # Our pages (main) fit; the site header is not this app's (see the report).
        assert wide == [], (name, width, wide)
        screenshot(page, f"payouts-{name}-{width}")
    page.set_viewport_size({"width": 1280, "height": 900})


def test_host_provider_and_region_pages(page, browser, live_server, axe, screenshot, stays, payouts_on):
    from respite.payouts import services

    _sign_in(page, live_server, HOST)
    page.goto(f"{live_server.url}/respijt/uitbetalingen/")
    assert "nog geen account" in page.inner_text("main")
    axe(page)
    _both_widths(page, screenshot, "1-host-not-onboarded")

    enable_account(payouts_on, stays["host"])
    staff = browser.new_page(locale="nl-NL")
    _sign_in(staff, live_server, STAFF)
    staff.goto(f"{live_server.url}/respijt/uitbetalingen/aanbieder/")
    axe(staff)
    _both_widths(staff, screenshot, "2-provider-stays")
    from thuisnet.accounts.models import User

    staff_user = User.objects.get(email=STAFF)
    for stay in stays["stays"][:2]:
        services.confirm_stay(stay, by=staff_user, unit="night", quantity=Decimal(2))
    staff.goto(f"{live_server.url}/respijt/uitbetalingen/verblijf/{stays['stays'][2].pk}/bevestigen/")
    staff.fill("#id_quantity", "2")
    staff.click("button:has-text('Bevestigen en uitbetalen')")
    staff.wait_for_selector("#id_quantity_error")
    assert "per maand" in staff.inner_text("#id_quantity_error")
    assert staff.input_value("#id_quantity") == "2"
    axe(staff)
    for width in (1280, 360):
        staff.set_viewport_size({"width": width, "height": 900})
        assert staff.evaluate("document.querySelector('main').scrollWidth") <= width
        screenshot(staff, f"payouts-3-cap-refused-{width}")
    staff.close()

    page.goto(f"{live_server.url}/respijt/uitbetalingen/")
    assert "klaar voor uitbetalingen" in page.inner_text("main")
    axe(page)
    _both_widths(page, screenshot, "4-host-paid")

    coordinator = browser.new_page(locale="nl-NL")
    _sign_in(coordinator, live_server, COORDINATOR)
    coordinator.goto(f"{live_server.url}/respijt/uitbetalingen/regio/")
    assert "€ 90,00" in coordinator.inner_text("main")
    axe(coordinator)
    _both_widths(coordinator, screenshot, "5-region")
    coordinator.close()


def test_staff_read_why_a_payout_failed_and_send_it_again(
    page, live_server, axe, screenshot, stays, payouts_on
):
    """A transfer Stripe refused (platform balance too low): staff see the cause in Dutch on
    their payouts page, open "Opnieuw uitbetalen", read the facts and send it again."""
    from respite.payouts import services
    from respite.payouts.models import Payout
    from tests.test_payouts_retry import BALANCE, refuse_transfers
    from thuisnet.accounts.models import User

    enable_account(payouts_on, stays["host"])
    refuse_transfers(payouts_on, BALANCE, times=1)
    staff_user = User.objects.get(email=STAFF)
    failed = services.confirm_stay(stays["stays"][0], by=staff_user, unit="night", quantity=Decimal(2))
    assert failed.status == Payout.Status.FAILED

    _sign_in(page, live_server, STAFF)
    page.goto(f"{live_server.url}/respijt/uitbetalingen/aanbieder/")
    assert "te weinig geld op de Stripe-rekening" in page.inner_text("main")
    axe(page)
    page.get_by_role("link", name="Opnieuw uitbetalen").first.click()
    assert page.locator("h1").inner_text().startswith("Opnieuw uitbetalen")
    axe(page)
    _both_widths(page, screenshot, "6-retry")
    page.get_by_role("button", name="Opnieuw uitbetalen").click()
    assert "is overgemaakt" in page.inner_text("main")
    axe(page)
    assert Payout.objects.get(pk=failed.pk).status == Payout.Status.PAID
