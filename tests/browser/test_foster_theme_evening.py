"""Issue 15's done-means path for a theme evening.

An editor makes a monthly "second Wednesday" theme evening and submits it to the workflow
"Controle door moderator"; the demo moderator approves it; a parent registers with their
account and sees it under "Mijn activiteiten"; the editor moves the evening an hour, the
moderator approves again, and the parent gets one email with an updated calendar file.
The page is made and submitted with Wagtail's API (driving the page editor is slow); what
parents see is driven in the browser, checked with axe-core and photographed at 360 and
1280 px.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import icalendar
import pytest
from django.core import mail
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

TITLE = "Thema-avond: contact met ouders"


@pytest.fixture
def foster_demo(demo_site):
    from foster import demo

    demo.load(demo_site)
    return demo_site


def _second_wednesday_after(day: date) -> date:
    first = date(day.year + (day.month == 12), day.month % 12 + 1, 1)  # first of next month
    first_wednesday = first + timedelta(days=(2 - first.weekday()) % 7)
    return first_wednesday + timedelta(days=7)


def _user(email):
    from thuisnet.accounts.models import User

    return User.objects.get(email=email)


def _approve(page, editor, moderator):
    """Submit the latest revision to the page's workflow and let the moderator approve it."""
    workflow = page.get_workflow()
    assert workflow.name == "Controle door moderator"
    state = workflow.start(page, editor)
    task_state = state.current_task_state
    task = task_state.task.specific
    assert task.get_actions(page, editor) == []  # an editor does not approve their own page
    assert "approve" in [name for name, _label, _modal in task.get_actions(page, moderator)]
    task.on_action(task_state, moderator, "approve")


def _create_theme_evening(editor, moderator):
    from django.utils import timezone

    from foster.models import AMSTERDAM, EveningIndexPage, EveningPage
    from thuisnet.accounts.models import Municipality, Organisation, Region

    day = _second_wednesday_after(timezone.localdate())
    starts = datetime.combine(day, time(19, 30), tzinfo=AMSTERDAM)
    region = Region.objects.get(slug="midden-ijssel-oost-veluwe")
    page = EveningPage(
        title=TITLE,
        slug="thema-avond-contact-met-ouders",
        kind="theme",
        theme="birth_parents",
        childcare=True,
        region=region,
        starts_at=starts,
        ends_at=starts + timedelta(hours=2),
        repeat="MONTHLY_WD",
        repeat_until=day + timedelta(days=120),
        venue="Buurthuis De Boog",
        address="Brinkgreverweg 2, 7413 AB Deventer",
        municipality=Municipality.objects.get(slug="deventer"),
        family_forms=["full_time", "part_time", "weekend", "support", "family_home"],
        capacity=25,
        live=False,
    )
    index = EveningIndexPage.objects.get()
    index.add_child(instance=page)
    page.organisers.set([Organisation.objects.get(slug="pleegzorg-ijsselland")])
    page.save_revision(user=editor)
    assert not EveningPage.objects.get(pk=page.pk).live
    _approve(page, editor, moderator)
    page = EveningPage.objects.get(pk=page.pk)
    assert page.live and page.repeat_label == "Elke tweede woensdag van de maand"
    return page


def _ics_event(message):
    (att,) = [a for a in message.attachments if a[0].endswith(".ics")]
    return icalendar.Calendar.from_ical(att[1]).walk("VEVENT")[0]


def test_a_parent_registers_for_a_second_wednesday_theme_evening_and_hears_when_it_moves(
    page, live_server, foster_demo, browser_login, axe, screenshot
):
    from foster.models import EveningPage, Registration
    from thuisnet.core.mail import send_pending

    editor = _user("redacteur@thuisnet.example")
    moderator = _user("moderator@thuisnet.example")
    evening = _create_theme_evening(editor, moderator)
    sessions = list(evening.sessions.order_by("starts_at"))
    assert len(sessions) >= 3
    assert all(s.starts_at.astimezone(evening.starts_at.tzinfo).weekday() == 2 for s in sessions)
    assert all(8 <= s.starts_at.astimezone(evening.starts_at.tzinfo).day <= 14 for s in sessions)

    # A visitor without an account is asked to log in; there is no anonymous form.
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(live_server.url + evening.url)
    expect(page.get_by_role("link", name="Inloggen om je aan te melden")).to_be_visible()
    assert page.locator("input[name=email]").count() == 0

    browser_login(page, "pleegouder@thuisnet.example")
    for width in (360, 1280):
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(live_server.url + evening.url)
        expect(page.get_by_role("heading", name=TITLE, level=1)).to_be_visible()
        expect(page.get_by_text("Elke tweede woensdag van de maand")).to_be_visible()
        expect(page.get_by_text("Je meldt je aan als")).to_be_visible()
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        axe(page)
        screenshot(page, f"foster-theme-evening-{width}")

    page.get_by_label("Hoeveel kinderen hebben opvang nodig?").fill("2")
    page.get_by_role("button", name="Aanmelden").click()
    page.wait_for_url("**/avonden/mijn-activiteiten/")
    expect(page.get_by_role("heading", name="Mijn activiteiten", level=1)).to_be_visible()
    expect(page.get_by_role("link", name=TITLE, exact=True)).to_be_visible()
    expect(page.get_by_text("Je bent aangemeld.")).to_be_visible()
    for width in (360, 1280):
        page.set_viewport_size({"width": width, "height": 900})
        page.reload()
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        axe(page)
        screenshot(page, f"foster-my-activities-{width}")

    reg = Registration.objects.get(email="pleegouder@thuisnet.example")
    assert reg.status == "confirmed" and reg.user.email == reg.email and reg.childcare_children == 2
    assert reg.session_id == sessions[0].pk
    while send_pending(limit=100)["sent"]:
        pass
    (confirmation,) = [m for m in mail.outbox if m.to == [reg.email]]
    mail.outbox.clear()

    # The editor moves the evening an hour later; the moderator approves the change.
    draft = EveningPage.objects.get(pk=evening.pk)
    draft.starts_at += timedelta(hours=1)
    draft.ends_at += timedelta(hours=1)
    draft.save_revision(user=editor)
    _approve(draft, editor, moderator)
    while send_pending(limit=100)["sent"]:
        pass
    to_parent = [m for m in mail.outbox if m.to == [reg.email]]
    assert [m.subject for m in to_parent] == [f"Gewijzigd: {TITLE}"]
    before, after = _ics_event(confirmation), _ics_event(to_parent[0])
    assert str(after["UID"]) == str(before["UID"])
    assert int(after["SEQUENCE"]) > int(before["SEQUENCE"])
    assert after.decoded("DTSTART") == before.decoded("DTSTART") + timedelta(hours=1)

    # The parent's inbox has the change too, and Mijn activiteiten shows the new time.
    from thuisnet.accounts.inbox import inbox_of

    assert inbox_of(reg.user).filter(title=f"Gewijzigd: {TITLE}").exists()
    page.goto(live_server.url + "/avonden/mijn-activiteiten/")
    expect(page.get_by_text("20:30")).to_be_visible()
