"""Reminders go out a configurable number of days before, exactly once."""

from __future__ import annotations

from datetime import timedelta

import pytest

from foster import services
from thuisnet.core.models import OutboxEmail


@pytest.mark.django_db
def test_a_reminder_goes_out_once_even_when_the_job_runs_twice(make_evening, person, sent_mail):
    page = make_evening(days=3)
    session = page.sessions.get()
    services.register(session, person(1))
    services.register(session, person(2))
    early = session.starts_at - timedelta(days=3)
    assert services.send_reminders(now=early) == 0
    due = session.starts_at - timedelta(days=1, hours=23)
    assert services.send_reminders(now=due) == 2
    assert services.send_reminders(now=due) == 0
    assert services.send_reminders(now=due + timedelta(hours=1)) == 0
    reminders = [m for m in sent_mail() if m.subject.startswith("Herinnering")]
    assert sorted(m.to[0] for m in reminders) == ["bezoeker1@example.org", "bezoeker2@example.org"]


@pytest.mark.django_db
def test_the_outbox_refuses_a_second_reminder_for_the_same_registration(session, person):
    reg = services.register(session, person()).registration
    services._mail(reg, "reminder", dedupe_key=f"foster-reminder-{reg.pk}")
    services._mail(reg, "reminder", dedupe_key=f"foster-reminder-{reg.pk}")
    assert OutboxEmail.objects.filter(dedupe_key=f"foster-reminder-{reg.pk}").count() == 1


@pytest.mark.django_db
def test_reminder_days_are_configurable(make_evening, person, settings):
    settings.FOSTER_REMINDER_DAYS = 5
    page = make_evening(days=6)
    session = page.sessions.get()
    services.register(session, person())
    assert services.send_reminders(now=session.starts_at - timedelta(days=4, hours=23)) == 1


@pytest.mark.django_db
def test_no_reminder_for_the_waiting_list_or_a_cancelled_evening(make_evening, person):
    page = make_evening(days=1, capacity=1, deadline_hours=1)
    session = page.sessions.get()
    services.register(session, person(1))
    waiting = services.register(session, person(2)).registration
    assert waiting.status == "waiting"
    services.cancel_session(session, "Ziekte")
    assert services.send_reminders(now=session.starts_at - timedelta(hours=12)) == 0
