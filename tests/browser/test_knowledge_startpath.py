"""Issue 16 "done means": a starting family-home parent sees their path at step four, adds a
document, marks the step done and asks a question on the next step; the coach sees the
progress; the region sees suppressed counts; a reader who chose Zutphen sees Zutphen first.
Every page passes axe-core; screenshots at 360 and 1280 px in var/screenshots/."""

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def startpath_demo(demo_site):
    from knowledge import demo

    demo.load(demo_site)
    return demo_site


def _both_widths(page, screenshot, name):
    for width in (360, 1280):
        page.set_viewport_size({"width": width, "height": 900})
        screenshot(page, f"{name}-{width}")
    page.set_viewport_size({"width": 1280, "height": 900})


def test_the_start_path_journey(page, live_server, startpath_demo, browser_login, axe, screenshot):
    browser_login(page, "startgezinshuis@thuisnet.example")
    page.goto(live_server.url + "/kennis/startpad/")
    assert "Je bent bij stap 4: Melding Wtza en registratie Jeugdwet" in page.locator("main").inner_text()
    axe(page)
    _both_widths(page, screenshot, "startpath-starter")

    step = page.locator("li[aria-current=step]")
    step.get_by_text("Document uploaden of linken").click()
    step.get_by_label("Of een link naar het document").fill("https://delinde.example/wtza-bevestiging")
    step.get_by_label("Korte omschrijving").fill("Bevestiging Wtza-melding")
    axe(page)
    step.get_by_role("button", name="Document opslaan").click()
    assert page.get_by_text("Document opgeslagen.").is_visible()
    page.locator("li[aria-current=step]").get_by_role("button", name="Stap 4 is klaar").click()
    assert "Je bent bij stap 5: Contract met de aanbieder" in page.locator("main").inner_text()

    page.locator("li[aria-current=step]").get_by_role("link", name="Stel een vraag over deze stap").click()
    assert "Je vraag gaat over stap 5" in page.locator("main").inner_text()
    page.get_by_label("Je vraag").fill("Wat moet er minimaal in het contract met de aanbieder staan?")
    page.get_by_label("Toelichting").fill("Ik wil weten welke afspraken over tarieven gebruikelijk zijn.")
    axe(page)
    page.get_by_role("button", name="Vraag plaatsen").click()
    assert page.locator("h1").inner_text() == "Wat moet er minimaal in het contract met de aanbieder staan?"
    assert "Starten als gezinshuis" in page.locator("main").inner_text()

    page.context.clear_cookies()
    browser_login(page, "medewerker@delinde.example")
    page.goto(live_server.url + "/kennis/startpad/coach/")
    text = page.locator("main").inner_text()
    assert "Nadia" in text and "5 van 9: Contract met de aanbieder" in text
    assert "staat stil" in text  # Lisa, 40 days on step seven
    axe(page)
    _both_widths(page, screenshot, "startpath-coach")

    page.context.clear_cookies()
    browser_login(page, "coordinator@thuisnet.example")
    page.goto(live_server.url + "/kennis/startpad/regio/")
    text = page.locator("main").inner_text()
    assert "<10" in text and "Nadia" not in text
    axe(page)
    _both_widths(page, screenshot, "startpath-region")


def test_a_reader_who_chose_zutphen_sees_zutphen_first(page, live_server, startpath_demo, axe, screenshot):
    page.goto(live_server.url + "/kennisbank/")
    page.get_by_label("Jouw gemeente").select_option("zutphen")
    page.get_by_role("button", name="Toon").click()
    assert "gemeente=zutphen" in page.url
    main = page.locator("main").inner_text()
    assert "Je ziet eerst wat in Zutphen geldt." in main
    money = page.locator("li.card", has=page.locator("#thema-money"))
    titles = money.locator(".knowledge-article-list a").all_inner_texts()
    assert titles[0] == "Vergoedingen en bijzondere bijstand in Zutphen" and len(titles) > 1
    assert "Regels per gemeente" in main
    axe(page)
    _both_widths(page, screenshot, "knowledge-zutphen")
    # Remembered on this device: the plain URL comes back with the choice.
    page.goto(live_server.url + "/kennisbank/")
    page.wait_for_url("**gemeente=zutphen**")


def test_finished_steps_are_folded_and_open_by_keyboard(
    page, live_server, startpath_demo, browser_login, axe, screenshot
):
    """At step four the three finished steps are one line each (title and date); the current
    step stands out; a keyboard user opens and closes a finished step with Enter and Space."""
    browser_login(page, "startgezinshuis@thuisnet.example")
    page.set_viewport_size({"width": 360, "height": 800})
    page.goto(live_server.url + "/kennis/startpad/")
    folded = page.locator("li.startpath-step--done > details")
    assert folded.count() == 3
    assert page.locator("li.startpath-step--done > details[open]").count() == 0
    first = folded.first.locator("summary")
    summary_text = " ".join(first.inner_text().split())
    assert (
        summary_text.startswith("Stap 1") and "Oriëntatie" in summary_text and "afgerond op" in summary_text
    )
    reopen = page.get_by_role("button", name="Stap 1 weer openzetten")
    assert not reopen.is_visible()
    # The current step is the first step with a heading after the progress summary.
    headings = page.locator("main h2:not(.visually-hidden)").all_inner_texts()
    assert headings[0].startswith("Stap 4") and "nu bezig" in headings[0]
    current = page.locator("li[aria-current=step]").bounding_box()
    assert current["y"] < 1600, "at 360 px the current step is near the top, not after three long cards"
    screenshot(page, "startpath-folded-360", full_page=False)
    page.locator("li[aria-current=step]").scroll_into_view_if_needed()
    screenshot(page, "startpath-current-360", full_page=False)
    axe(page)

    # Keyboard: Tab reaches the summary; Enter opens it, Space closes it again.
    first.focus()
    assert page.evaluate("document.activeElement.tagName") == "SUMMARY"
    page.keyboard.press("Enter")
    assert folded.first.get_attribute("open") is not None
    assert reopen.is_visible()
    screenshot(page, "startpath-unfolded-360", full_page=False)
    axe(page)
    page.keyboard.press("Space")
    assert folded.first.get_attribute("open") is None

    # "Ga naar stap 4" jumps to the current step's heading.
    page.get_by_role("link", name="Ga naar stap 4").click()
    assert page.url.endswith("#huidige-stap")


def test_the_municipality_choice_fits_360_px(page, live_server, startpath_demo, axe, screenshot):
    page.set_viewport_size({"width": 360, "height": 800})
    page.goto(live_server.url + "/kennisbank/")
    select = page.get_by_label("Jouw gemeente")
    hint = page.locator("#k-gemeente-hint")
    button = page.get_by_role("button", name="Toon")
    assert hint.bounding_box()["width"] >= select.bounding_box()["width"] - 1
    assert button.bounding_box()["y"] > select.bounding_box()["y"], "the button goes under the choice"
    # The choice is announced with its hint, and keyboard-only users can choose and submit.
    assert select.get_attribute("aria-describedby") == "k-gemeente-hint"
    select.focus()
    select.select_option("zutphen")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent.trim()") == "Toon"
    page.keyboard.press("Enter")
    page.wait_for_url("**gemeente=zutphen**")
    screenshot(page, "knowledge-municipality-360", full_page=False)
    axe(page)
