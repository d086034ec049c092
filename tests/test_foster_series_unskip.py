"""A date taken out of a series and put back: the session the skip cancelled reopens.

Its former registrants are told once that the evening goes ahead after all, with a link to
register again; they are not registered again without asking. A session an organiser
cancelled by hand, or a date already past, stays as it is.
"""

from __future__ import annotations

import importlib
from datetime import timedelta

import icalendar
import pytest

from foster import services
from foster.models import EveningPage, EveningSession, Registration
from thuisnet.accounts.inbox import inbox_of
from thuisnet.core.ics import AMSTERDAM

pytestmark = pytest.mark.django_db


def _weekly(make_evening, weeks: int = 4, **fields):
    from tests.fixtures_foster import at

    return make_evening(days=10, repeat="WEEKLY", repeat_until=at(10 + 7 * weeks).date(), **fields)


def _edit(page, **changes) -> EveningPage:
    page = EveningPage.objects.get(pk=page.pk)
    for k, v in changes.items():
        setattr(page, k, v)
    page.full_clean()
    page.save_revision().publish()
    return page


def _d(dt) -> str:
    return dt.astimezone(AMSTERDAM).strftime("%d-%m-%Y")


def _subjects(mails) -> list[tuple[str, str]]:
    return sorted((m.to[0], m.subject.split(":")[0]) for m in mails)


def _feed_status(client, region, uid: str) -> str:
    body = client.get(f"/avonden/agenda/{region.slug}.ics").content
    (event,) = [e for e in icalendar.Calendar.from_ical(body).walk("VEVENT") if str(e["UID"]) == uid]
    return str(event.get("STATUS", ""))


def test_it_reopens_a_skipped_date_that_comes_back_and_tells_former_registrants_once(
    make_evening, person, sent_mail, client, login, staff, region
):
    page = _weekly(make_evening, capacity=12)
    second = page.sessions.order_by("starts_at")[1]
    uid = second.uid
    a = services.register(second, person(1)).registration
    b = services.register(second, person(2, attendees=2)).registration
    gone = services.register(second, person(3)).registration
    services.cancel(gone)  # cancelled herself before the skip: nothing to tell her
    _edit(page, skip_dates=_d(second.starts_at))
    second.refresh_from_db()
    assert second.cancelled_at and second.cancelled_by_series
    public = f"{page.url}?bijeenkomst={second.pk}"
    assert "Deze avond gaat niet door." in client.get(public).content.decode()  # now cached
    assert "Afgelast" in login(staff).get(f"/avonden/beheer/{second.pk}/").content.decode()
    client.logout()
    n = len(sent_mail())

    _edit(page, skip_dates="")

    second.refresh_from_db()
    assert second.cancelled_at is None and second.cancel_reason == "" and not second.cancelled_by_series
    assert (second.capacity, second.held) == (12, 0)
    assert (
        second.uid == uid
        and second.pk == EveningSession.objects.get(page=page, starts_at=second.starts_at).pk
    )
    mails = sent_mail()[n:]
    assert _subjects(mails) == [
        ("bezoeker1@example.org", "Gaat toch door"),
        ("bezoeker2@example.org", "Gaat toch door"),
    ]
    body = mails[0].body
    assert f"?bijeenkomst={second.pk}" in body and "opnieuw aan" in body
    assert not mails[0].attachments  # no calendar file: their registration stays cancelled
    for reg in (a, b, gone):
        reg.refresh_from_db()
        assert reg.status == "cancelled"
    # Publishing again tells nobody a second time.
    _edit(page, intro="<p>Nog een keer.</p>")
    assert len(sent_mail()) == n + 2
    # The public page (cached before), the organiser's screen and the feed show it open.
    text = client.get(public).content.decode()
    assert "Deze avond gaat niet door." not in text and "Gaat niet door" not in text
    assert "Afgelast" not in login(staff).get(f"/avonden/beheer/{second.pk}/").content.decode()
    assert _feed_status(client, region, uid) != "CANCELLED"
    # A new visitor can register, and so can a former registrant who wants to come after all.
    assert services.register(second, person(4)).registration.status == "confirmed"
    again = services.register(second, person(1)).registration
    assert again.pk == a.pk and again.status == "confirmed"
    second.refresh_from_db()
    assert second.held == 2


def test_it_puts_a_notice_in_the_inbox_of_a_registrant_with_an_account(make_evening, parent, sent_mail):
    page = _weekly(
        make_evening,
        title="Thema-avond omgang",
        kind="theme",
        theme="birth_parents",
        family_forms=["full_time", "support", "family_home"],
    )
    second = page.sessions.order_by("starts_at")[1]
    reg = services.register_parent(second, parent).registration
    _edit(page, skip_dates=_d(second.starts_at))
    _edit(page, skip_dates="")
    _edit(page, intro="<p>Nog een keer.</p>")
    titles = [n.title for n in inbox_of(parent)]
    assert titles.count("Gaat toch door: Thema-avond omgang") == 1
    notice = inbox_of(parent).first()
    assert notice.url.endswith(f"?bijeenkomst={second.pk}")
    reg.refresh_from_db()
    assert reg.status == "cancelled"
    assert [m.subject for m in sent_mail() if m.subject.startswith("Gaat toch door")] == [
        "Gaat toch door: Thema-avond omgang"
    ]


def test_it_leaves_a_session_an_organiser_cancelled_by_hand(make_evening, person, sent_mail):
    page = _weekly(make_evening)
    second = page.sessions.order_by("starts_at")[1]
    services.register(second, person(1))
    services.cancel_session(second, "De spreker is ziek.")
    n = len(sent_mail())
    _edit(page, skip_dates=_d(second.starts_at))
    _edit(page, skip_dates="")
    second.refresh_from_db()
    assert second.cancelled_at and second.cancel_reason == "De spreker is ziek."
    assert sent_mail()[n:] == []


def test_it_does_not_reopen_a_date_that_has_passed(make_evening, person, sent_mail):
    page = _weekly(make_evening)
    second = page.sessions.order_by("starts_at")[1]
    services.register(second, person(1))
    _edit(page, skip_dates=_d(second.starts_at))
    n = len(sent_mail())
    # The date is put back only after it took place (the live page's text, synced "then").
    EveningPage.objects.filter(pk=page.pk).update(skip_dates="")
    services.sync_evening(page, now=second.starts_at + timedelta(hours=3))
    second.refresh_from_db()
    assert second.cancelled_at and second.cancelled_by_series
    assert sent_mail()[n:] == []


def test_it_brings_back_a_skipped_date_nobody_was_on_as_a_new_session(make_evening, sent_mail):
    page = _weekly(make_evening)
    second = page.sessions.order_by("starts_at")[1]
    _edit(page, skip_dates=_d(second.starts_at))
    assert not EveningSession.objects.filter(pk=second.pk).exists()
    _edit(page, skip_dates="")
    back = EveningSession.objects.get(page=page, starts_at=second.starts_at)
    assert back.cancelled_at is None and back.capacity == page.capacity
    assert page.sessions.count() == 5
    assert sent_mail() == []


def test_it_reopens_a_date_the_rule_brings_back(make_evening, person, sent_mail):
    from tests.fixtures_foster import at

    page = make_evening(days=10, repeat="WEEKLY", repeat_until=at(10 + 7 * 2).date())
    last = page.sessions.order_by("starts_at").last()
    reg = services.register(last, person(1)).registration
    _edit(page, repeat_until=at(10 + 7).date())
    last.refresh_from_db()
    assert last.cancelled_at and last.cancelled_by_series
    n = len(sent_mail())
    _edit(page, repeat_until=at(10 + 7 * 2).date())
    last.refresh_from_db()
    assert last.cancelled_at is None
    assert _subjects(sent_mail()[n:]) == [("bezoeker1@example.org", "Gaat toch door")]
    reg.refresh_from_db()
    assert reg.status == "cancelled"


def test_it_reopens_a_skipped_date_that_comes_back_moved(make_evening, person, sent_mail):
    page = _weekly(make_evening)
    second = page.sessions.order_by("starts_at")[1]
    uid = second.uid
    services.register(second, person(1))
    _edit(page, skip_dates=_d(second.starts_at))
    n = len(sent_mail())
    new_start = second.starts_at.astimezone(AMSTERDAM) + timedelta(days=1)
    _edit(page, skip_dates="", moved_dates=f"{_d(second.starts_at)} naar {new_start:%d-%m-%Y}")
    second.refresh_from_db()
    assert second.cancelled_at is None and second.starts_at == new_start and second.uid == uid
    mails = sent_mail()[n:]
    assert _subjects(mails) == [("bezoeker1@example.org", "Gaat toch door")]
    assert f"{new_start:%H:%M}" in mails[0].body


def test_it_marks_sessions_a_skip_cancelled_before_the_marker_existed(make_evening, person):
    page = _weekly(make_evening)
    second, third = list(page.sessions.order_by("starts_at"))[1:3]
    told = services.register(second, person(1)).registration
    left = services.register(second, person(2)).registration
    services.cancel(left)
    services.register(third, person(3))
    services.cancel_session(second, "De datum is uit de reeks gehaald.")
    services.cancel_session(third, "De spreker is ziek.")
    EveningSession.objects.update(cancelled_by_series=False)
    Registration.objects.update(cancelled_with_session=False)
    migration = importlib.import_module("foster.migrations.0007_series_reopen")
    from django.apps import apps

    migration.mark_series_cancellations(apps, None)
    assert set(EveningSession.objects.filter(cancelled_by_series=True)) == {second}
    assert list(Registration.objects.filter(cancelled_with_session=True)) == [told]
