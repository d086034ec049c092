"""Issue 15 item 4: a household answers its thank-you invitation without an account, and the
organiser sees the answers (axe-core, screenshots at 360 and 1280 px)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def foster_demo(demo_site):
    from foster import demo

    demo.load(demo_site)
    return demo_site


def test_a_household_answers_its_invitation_and_the_organiser_sees_it(
    page, live_server, foster_demo, browser_login, axe, screenshot
):
    from foster import services
    from foster.models import EveningPage, Invitation
    from thuisnet.accounts.models import Household, Municipality

    thanks = EveningPage.objects.get(kind="thanks")
    household = Household.objects.create(
        region=foster_demo,
        municipality=Municipality.objects.filter(region=foster_demo).first(),
        family_form="foster",
        display_name="Gezin Smit",
    )
    services.invite(thanks, ["foster"])
    inv = Invitation.objects.select_related("page").get(household=household)
    for width in (360, 1280):
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(live_server.url + inv.get_absolute_url())
        expect(page.get_by_role("heading", name=inv.page.title)).to_be_visible()
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        axe(page)
        screenshot(page, f"foster-invitation-{width}")
    page.get_by_label("Ja, we komen").check()
    page.get_by_label("Met hoeveel personen kom je?").fill("3")
    page.get_by_label("Dieetwensen").fill("Bel me op 06 12345678")
    page.get_by_label("E-mailadres voor de bevestiging").fill("gezin@example.org")
    page.get_by_role("button", name="Antwoord versturen").click()
    # The phone number is refused at the field, the input kept.
    expect(page.get_by_label("Met hoeveel personen kom je?")).to_have_value("3")
    axe(page)
    screenshot(page, "foster-invitation-error")
    page.get_by_label("Dieetwensen").fill("1 keer vegetarisch")
    page.get_by_role("button", name="Antwoord versturen").click()
    expect(page.get_by_text("Fijn dat jullie komen!")).to_be_visible()

    browser_login(page, "coordinator@thuisnet.example")
    for width in (360, 1280):
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(f"{live_server.url}/avonden/beheer/bedankmoment/{inv.page_id}/")
        expect(page.get_by_role("heading", name="Dieetwensen")).to_be_visible()
        expect(page.get_by_text("1 keer vegetarisch").first).to_be_visible()
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        axe(page)
        screenshot(page, f"foster-invite-{width}")
