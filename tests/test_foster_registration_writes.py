"""Issue 14 item 4: the registration POST keeps its guarantees but does no work that can wait.

The confirmation is queued as facts in the registration's transaction and rendered (text and
calendar file) by the worker; the transaction itself is a few statements; pages that show
seats are invalidated when seats change.
"""

from __future__ import annotations

import icalendar
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from foster import services
from foster.models import Registration
from thuisnet.core.mail import RENDER_KEY, send_pending
from thuisnet.core.models import OutboxEmail

pytestmark = pytest.mark.django_db


def _calendar(email) -> icalendar.Calendar:
    (att,) = [a for a in email.attachments if a[0].endswith(".ics")]
    return icalendar.Calendar.from_ical(att[1])


def test_the_confirmation_is_queued_as_facts_and_rendered_by_the_worker(session, person, sent_mail):
    reg = services.register(session, person()).registration
    row = OutboxEmail.objects.get()
    assert row.to == [reg.email]
    assert row.body_text == "" and row.attachments == []  # nothing rendered in the request
    assert row.headers[RENDER_KEY]["payload"]["registration"] == reg.pk

    (email,) = sent_mail()
    assert email.subject.startswith("Je bent aangemeld")
    assert reg.personal_url in email.body
    event = _calendar(email).walk("VEVENT")[0]
    assert str(event["UID"]) == session.uid
    row.refresh_from_db()
    assert row.body_text == email.body and RENDER_KEY not in row.headers  # rendered once, kept


def test_registering_builds_no_calendar_file_in_the_request(session, person, monkeypatch):
    def boom(*args, **kwargs):
        raise AssertionError("a calendar file was built inside the registration")

    monkeypatch.setattr("thuisnet.core.ics.build_calendar", boom)
    monkeypatch.setattr("foster.services.emails.ics_attachment", boom)
    result = services.register(session, person())
    assert result.registration.status == "confirmed"


def test_the_registration_transaction_takes_few_statements(session, person):
    services.register(session, person(0))  # warm caches (site, content types)
    with CaptureQueriesContext(connection) as ctx:
        services.register(session, person(1, interests=["full_time", "support"]))
    sql = [q["sql"] for q in ctx.captured_queries]
    # Outside: the postcode's municipality, the organisers. Inside: the lock (with the earlier
    # registration), the seats, the registration, the prospects and their steps, the email.
    # (SQLite takes the portable path: a get_or_create per family form.)
    limit = 9 if connection.vendor == "postgresql" else 20
    assert len(sql) <= limit, "\n".join(sql)


def test_an_email_whose_registration_was_removed_meanwhile_is_not_sent(session, person, sent_mail):
    reg = services.register(session, person()).registration
    services.remove_data(reg)
    assert sent_mail() == []
    row = OutboxEmail.objects.get()
    assert row.sent_at is not None and "Niet verstuurd" in row.last_error


def test_a_rendering_error_is_retried_and_the_email_is_not_lost(session, person, monkeypatch, sent_mail):
    from datetime import timedelta

    from django.utils import timezone

    reg = services.register(session, person()).registration
    real = services.emails._render

    def broken(*args, **kwargs):
        raise RuntimeError("template went missing")

    monkeypatch.setattr(services.emails, "_render", broken)
    assert send_pending() == {"sent": 0, "failed": 1}
    row = OutboxEmail.objects.get()
    assert row.status == "pending" and "template went missing" in row.last_error
    monkeypatch.setattr(services.emails, "_render", real)
    OutboxEmail.objects.update(next_attempt_at=timezone.now() - timedelta(seconds=1))
    (email,) = sent_mail()
    assert email.to == [reg.email]


def test_the_waiting_list_email_tells_its_place_in_the_registrations_transaction(make_evening, person):
    session = make_evening(capacity=1).sessions.get()
    services.register(session, person(1))
    services.register(session, person(2))
    waiting = OutboxEmail.objects.get(to=["bezoeker2@example.org"])
    assert "plaats 1 van de wachtlijst" in waiting.body_text


def test_each_calendar_file_for_a_registrant_has_a_higher_sequence(session, person, sent_mail):
    reg = services.register(session, person()).registration
    services.cancel(reg)
    first, second = sent_mail()
    one, two = (_calendar(m).walk("VEVENT")[0] for m in (first, second))
    assert str(one["UID"]) == str(two["UID"]) == session.uid
    assert int(two["SEQUENCE"]) > int(one["SEQUENCE"])
    assert str(two["STATUS"]) == "CANCELLED"


def test_seat_changes_invalidate_the_cached_evening_pages_of_their_region(
    session, person, monkeypatch, django_capture_on_commit_callbacks
):
    from thuisnet.core.pagecache import evenings_tag

    calls = []
    monkeypatch.setattr("foster.services.common.invalidate", lambda *tags: calls.append(tags))
    with django_capture_on_commit_callbacks(execute=True):
        reg = services.register(session, person()).registration
    region_tag = (evenings_tag(session.page.region_id),)
    assert region_tag in calls
    calls.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.cancel(reg)
    assert region_tag in calls


def test_a_full_evening_puts_people_on_the_waiting_list_without_touching_the_seats(make_evening, person):
    session = make_evening(capacity=1).sessions.get()
    services.register(session, person(1))
    result = services.register(session, person(2))
    assert result.registration.status == "waiting"
    session.refresh_from_db()
    assert session.held == 1
    assert Registration.objects.filter(session=session).count() == 2
