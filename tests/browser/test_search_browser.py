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
