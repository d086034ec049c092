"""Search as a parent: the ask form shows the duplicate next to the title while typing; the
search page finds plurals, shows facets and narrows by kind. Every page passes axe-core."""

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

DUPLICATE = "Valt een nieuwe bril onder bijzondere kosten?"


@pytest.fixture
def knowledge_demo(demo_site):
    from knowledge import demo

    demo.load(demo_site)
    return demo_site


def test_the_duplicate_shows_next_to_the_title_while_typing(
    page, live_server, knowledge_demo, browser_login, axe, screenshot
):
    browser_login(page, "pleegouder@thuisnet.example")
    page.goto(live_server.url + "/kennis/vragen/stellen/")
    title = page.get_by_label("Je vraag")
    title.press_sequentially("Krijg ik een vergoeding voor een bril", delay=20)
    box = page.locator("#knowledge-suggestions")
    box.get_by_role("link", name=DUPLICATE).wait_for()
    # Between the title and the next field: in view while typing, not below the fold.
    title_box, list_box = title.bounding_box(), box.bounding_box()
    next_field = page.get_by_label("Toelichting").bounding_box()
    assert title_box["y"] < list_box["y"] < next_field["y"]
    assert box.locator("li").count() <= 5
    axe(page)
    screenshot(page, "search-ask-duplicate")


def test_the_search_page_finds_plurals_and_filters_by_kind(
    page, live_server, knowledge_demo, browser_login, axe, screenshot
):
    browser_login(page, "pleegouder@thuisnet.example")
    page.goto(live_server.url + "/zoeken/?q=vergoedingen")
    first = page.locator("ol.search-results li").first
    assert "vergoeding" in first.locator("h3").inner_text().lower()
    axe(page)
    screenshot(page, "search-results")
    page.locator(".search-facets").get_by_role("link", name="Vraag").click()
    badges = page.locator("ol.search-results .badge").all_inner_texts()
    assert badges and set(badges) == {"Vraag"}
    axe(page)


def test_the_search_box_suggests_titles_as_a_keyboard_combobox(
    page, live_server, knowledge_demo, browser_login, axe, screenshot
):
    browser_login(page, "pleegouder@thuisnet.example")
    page.goto(live_server.url + "/zoeken/")
    box = page.get_by_role("combobox", name="Waar zoek je naar?")
    assert box.get_attribute("aria-expanded") == "false"
    box.press_sequentially("bijzon", delay=30)
    listbox = page.get_by_role("listbox")
    option = listbox.get_by_role("option", name=DUPLICATE)
    option.wait_for()
    assert box.get_attribute("aria-expanded") == "true"
    count = listbox.get_by_role("option").count()
    assert 1 <= count <= 6
    status = page.locator(".search-suggest [role=status]")
    assert status.inner_text().startswith(str(count))
    axe(page)
    screenshot(page, "search-suggest-open")
    # Down selects the first option (announced through aria-activedescendant), Up wraps.
    box.press("ArrowDown")
    first = listbox.get_by_role("option").first
    assert box.get_attribute("aria-activedescendant") == first.get_attribute("id")
    assert first.get_attribute("aria-selected") == "true"
    box.press("ArrowUp")
    last = listbox.get_by_role("option").last
    assert box.get_attribute("aria-activedescendant") == last.get_attribute("id")
    # Escape closes; Down reopens; Enter on an option opens it (same host).
    box.press("Escape")
    assert box.get_attribute("aria-expanded") == "false" and not listbox.is_visible()
    assert box.get_attribute("aria-activedescendant") is None
    box.press("ArrowDown")
    assert box.get_attribute("aria-expanded") == "true"
    while box.get_attribute("aria-activedescendant") != option.get_attribute("id"):
        box.press("ArrowDown")
    with page.expect_navigation():
        box.press("Enter")
    assert page.url.startswith(live_server.url) and "/zoeken/" not in page.url
    assert DUPLICATE in page.locator("h1").inner_text()
