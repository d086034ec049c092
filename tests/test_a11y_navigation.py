"""The main menu fits each role (issue 16 item 3): a few main items, the rest under "Meer",
no English "Breakdownmonitor", search on its own."""

from __future__ import annotations

import re

import pytest
from django.test import RequestFactory

from thuisnet.core.navigation import MAX_MAIN, menu

pytestmark = pytest.mark.django_db


def _menu(user, path="/"):
    request = RequestFactory().get(path)
    request.user = user
    from thuisnet.accounts.roles import forget_roles

    forget_roles(user)
    return menu(request)


def _labels(items):
    return [str(i.label) for i in items]


def test_a_visitor_sees_the_public_items_and_no_more_group(home_page):
    from django.contrib.auth.models import AnonymousUser

    m = _menu(AnonymousUser())
    assert _labels(m.main) == ["Informatieavonden", "Respijtopvang", "Kennisbank", "Mentoren"]
    assert m.more == []
    assert _labels(m.utility) == ["Zoeken"]


def test_a_parent_sees_their_requests_beside_the_public_items(parent):
    m = _menu(parent)
    assert "Mijn aanvragen" in _labels(m.main)
    assert len(m.main) <= MAX_MAIN


@pytest.mark.parametrize("who", ["staff", "coordinator", "editor", "admin_user"])
def test_staff_roles_see_their_tasks_first_and_the_rest_under_meer(who, request):
    user = request.getfixturevalue(who)
    m = _menu(user)
    assert 1 <= len(m.main) <= MAX_MAIN
    tasks = [i for i in m.main + m.more if i.task]
    # The role's tasks come first: no public item in the bar while a task waits under "Meer".
    if any(i.task for i in m.more):
        assert all(i.task for i in m.main)
    assert tasks, f"{who} has no tasks in the menu"
    assert "Breakdownmonitor" not in _labels(m.main + m.more)


def test_provider_staff_see_four_or_five_tasks_not_eleven_items(staff):
    m = _menu(staff)
    assert _labels(m.main) == [
        "Aspiranten",
        "Mijn avonden",
        "Respijt beheren",
        "Plaatsingen",
        "Plaatsingsmonitor",
    ]
    assert {"Informatieavonden", "Respijtopvang", "Kennisbank", "Mentoren", "Moderatie"} <= set(
        _labels(m.more)
    )


def test_the_current_page_under_meer_is_marked(staff):
    m = _menu(staff, "/kennis/vragen/")
    assert m.more_current
    assert [str(i.label) for i in m.more if i.current] == ["Kennisbank"]


def test_the_header_renders_meer_as_a_disclosure_with_the_current_page(login, staff, home_page):
    html = login(staff).get("/zoeken/").content.decode()
    nav = html[
        html.index('<nav class="main-nav"') : html.index("</nav>", html.index('<nav class="main-nav"'))
    ]
    assert "<details" in nav and "<summary" in nav and ">Meer<" in nav
    assert re.search(r'href="/zoeken/" aria-current="page"', nav)
    assert "Breakdownmonitor" not in nav


def test_the_english_menu_is_english(login, staff, home_page):
    client = login(staff)
    client.cookies["thuisnet_language"] = "en"
    html = client.get("/zoeken/").content.decode()
    assert ">More<" in html
    assert "Placement monitor" in html


def test_an_editors_tasks_lead_the_bar(editor):
    m = _menu(editor)
    assert str(m.main[0].label) == "Redactie (CMS)"
