"""Issue 11 in the browser: a coordinator runs and confirms a round, a parent accepts, answers a
check-in through the one-click link, and the region's view shows the figures; axe on each page."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_a_coordinator_runs_a_round_and_a_parent_accepts(page, live_server, demo_site, browser_login, axe):
    from matching import demo, services
    from matching.models import CheckIn, Pairing
    from matching.pairings import checkin_link
    from thuisnet.accounts.models import User

    demo.load(demo_site)
    browser_login(page, "coordinator@thuisnet.example")
    page.goto(f"{live_server.url}/mentoren/rondes/")
    axe(page)
    page.get_by_role("button", name="Nieuwe ronde starten").click()
    expect(page.get_by_role("heading", name="Voorgestelde koppelingen")).to_be_visible()
    expect(page.get_by_text("zelfde gezinsvorm").first).to_be_visible()
    axe(page)
    page.get_by_role("button", name="Ronde bevestigen en berichten versturen").click()
    expect(page.get_by_text("Bevestigd:")).to_be_visible()

    pairing = Pairing.objects.select_related("mentor__user", "mentee").order_by("pk").first()
    services.answer(pairing.mentor.user, pairing.pk, accept=True)
    mentee = User.objects.filter(household_id=pairing.mentee.household_id).first()

    parent = page.context.browser.new_context().new_page()
    browser_login(parent, mentee.email)
    parent.goto(f"{live_server.url}/mentoren/koppelingen/")
    expect(parent.get_by_text("Contactgegevens zie je zodra")).to_be_visible()
    axe(parent)
    parent.get_by_role("button", name="Ja, graag").click()
    expect(parent.get_by_text(pairing.mentor.user.email)).to_be_visible()

    pairing.refresh_from_db()
    services.end_trials(pairing.trial_ends_on)
    checkin = CheckIn.objects.get(pairing=pairing, side="mentee")
    parent.goto(live_server.url + checkin_link(checkin, "goed"))
    axe(parent)
    parent.get_by_role("button", name="Verstuur mijn antwoord").click()
    expect(parent.get_by_text("is doorgegeven")).to_be_visible()

    page.goto(f"{live_server.url}/mentoren/regio/")
    expect(page.get_by_role("heading", name="Per aanbieder")).to_be_visible()
    axe(page)
