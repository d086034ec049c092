"""The header of each role in a real browser (issue 16 item 3, issue 13 item 2): a few main
items and a "Meer" group that works from the keyboard, the unread badge read as words,
at 360 and 1280 px, axe-clean, and the aria-describedby check itself."""

from __future__ import annotations

import pytest

ROLES = {
    "bezoeker": None,
    "pleegouder": "pleegouder@thuisnet.example",
    "medewerker": "medewerker@pleegzorg-ijsselland.example",
    "coordinator": "coordinator@thuisnet.example",
    "redacteur": "redacteur@thuisnet.example",
}


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


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.parametrize("role", list(ROLES))
def test_each_role_sees_a_short_menu_with_more_behind_meer(
    role, page, live_server, demo_site, axe, screenshot
):
    from thuisnet.accounts.inbox import notify
    from thuisnet.accounts.models import User

    email = ROLES[role]
    if email:
        notify(User.objects.get(email=email), kind="message", title="Welkom bij je meldingen")
        _sign_in(page, live_server, email)
    for width in (1280, 360):
        page.set_viewport_size({"width": width, "height": 800})
        page.goto(f"{live_server.url}/zoeken/")
        nav = page.get_by_role("navigation", name="Hoofdmenu")
        top_items = nav.locator(".main-nav__list > li:not(.nav-more) > a")
        assert top_items.count() <= 6  # at most five items plus search
        assert "Breakdownmonitor" not in nav.inner_text()
        if email:
            badge = page.locator(".inbox-link")
            assert "1 ongelezen melding" in badge.inner_text()
        screenshot(page, f"a11y-header-{role}-{width}", full_page=False)
        axe(page)
    more = page.locator("[data-nav-more] > summary")
    if more.count():
        page.set_viewport_size({"width": 1280, "height": 800})
        more.focus()
        page.keyboard.press("Enter")
        first = page.locator(".nav-more__list a").first
        assert first.is_visible()
        screenshot(page, f"a11y-header-{role}-meer-open", full_page=False)
        axe(page)
        page.keyboard.press("Escape")
        assert not first.is_visible()
        assert page.evaluate("document.activeElement.tagName") == "SUMMARY"


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_inbox_page_is_accessible_and_marks_read(page, live_server, demo_site, axe, screenshot):
    from thuisnet.accounts.inbox import notify
    from thuisnet.accounts.models import User

    parent = User.objects.get(email="pleegouder@thuisnet.example")
    for i in range(3):
        notify(
            parent, kind="booking", title=f"Je aanvraag {i} is geaccepteerd", url="/respijt/mijn-aanvragen/"
        )
    _sign_in(page, live_server, parent.email)
    page.set_viewport_size({"width": 360, "height": 800})
    page.goto(f"{live_server.url}/meldingen/")
    assert "3 ongelezen meldingen" in page.locator(".inbox-link").inner_text()
    screenshot(page, "a11y-inbox-360")
    axe(page)
    page.get_by_role("button", name="Alles als gelezen markeren").click()
    assert page.locator(".inbox-link__count").count() == 0
    axe(page)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_dutch_cms_content_is_marked_dutch_in_the_english_interface(page, live_server, demo_site, axe):
    page.goto(f"{live_server.url}/")
    assert page.locator("main [lang]").count() == 0  # Dutch interface: nothing to mark
    page.get_by_role("link", name="English").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.locator("main [lang=nl]").count() >= 1
    axe(page)


@pytest.mark.browser
def test_the_idref_check_finds_a_hint_that_points_nowhere(page):
    from tests.browser.conftest import check_idrefs

    page.set_content(
        '<label for="n">Naam</label><input id="n" aria-describedby="n_hint n_error">'
        '<p id="n_hint">Nooit een naam</p>'
        '<section aria-labelledby="kop"><h2 id="kop">Kop</h2></section>'
    )
    assert check_idrefs(page) == ['aria-describedby="n_error" on <input n>']


SCROLLERS = """() => Array.from(document.querySelectorAll('.table-wrap'))
  .filter(w => w.scrollWidth > w.clientWidth + 1)
  .map(w => ({tabindex: w.getAttribute('tabindex'), role: w.getAttribute('role'),
              name: w.getAttribute('aria-label') || w.getAttribute('aria-labelledby') || ''}))"""


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.parametrize(
    ("email", "path"),
    [
        ("coordinator@thuisnet.example", "/respijt/regio/"),
        ("coordinator@thuisnet.example", "/kennis/moderatie/"),
    ],
)
def test_scrolling_tables_are_reachable_by_keyboard_at_360_px(
    email, path, page, live_server, demo_site, axe, screenshot
):
    _sign_in(page, live_server, email)
    page.set_viewport_size({"width": 360, "height": 800})
    response = page.goto(f"{live_server.url}{path}")
    assert response.status == 200, path
    for wrap in page.evaluate(SCROLLERS):
        assert wrap["tabindex"] == "0" and wrap["role"] == "region" and wrap["name"], (path, wrap)
    screenshot(page, f"a11y-tables-{path.strip('/').replace('/', '-')}-360")
    axe(page)
