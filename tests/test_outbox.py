"""Email goes through the outbox: queued with its cause, sent by the worker, retried, never lost."""

from datetime import timedelta

import pytest
from django.core import mail
from django.db import transaction
from django.utils import timezone

from thuisnet.core.ics import IcsEvent, ics_attachment
from thuisnet.core.mail import queue_email, send_pending
from thuisnet.core.models import OutboxEmail

pytestmark = pytest.mark.django_db


def test_it_sends_a_queued_email_once(sent_mail):
    queue_email("ouder@example.org", "Welkom", "Hallo!")
    emails = sent_mail()
    assert [e.subject for e in emails] == ["Welkom"]
    assert OutboxEmail.objects.get().status == "sent"
    assert send_pending() == {"sent": 0, "failed": 0}
    assert len(mail.outbox) == 1


def test_an_email_queued_in_a_rolled_back_transaction_is_never_sent(sent_mail):
    with pytest.raises(RuntimeError), transaction.atomic():
        queue_email("ouder@example.org", "Bevestiging", "Je bent aangemeld")
        raise RuntimeError("the registration failed")
    assert sent_mail() == []


def test_a_dedupe_key_makes_a_second_queue_a_no_op(sent_mail):
    assert queue_email("a@example.org", "Herinnering", "Morgen!", dedupe_key="reminder:1")
    assert queue_email("a@example.org", "Herinnering", "Morgen!", dedupe_key="reminder:1") is None
    assert len(sent_mail()) == 1


def test_it_retries_when_the_mail_server_is_down(settings, sent_mail):
    queue_email("ouder@example.org", "Bevestiging", "Je bent aangemeld")
    settings.EMAIL_BACKEND = "tests.test_outbox.BrokenBackend"
    assert send_pending() == {"sent": 0, "failed": 1}
    row = OutboxEmail.objects.get()
    assert row.status == "pending" and row.attempts == 1 and "ConnectionRefused" in row.last_error
    assert row.next_attempt_at > timezone.now()

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    OutboxEmail.objects.update(next_attempt_at=timezone.now() - timedelta(seconds=1))
    assert [e.subject for e in sent_mail()] == ["Bevestiging"]
    assert OutboxEmail.objects.get().status == "sent"


def test_it_gives_up_visibly_after_the_maximum_attempts(settings, client):
    settings.EMAIL_BACKEND = "tests.test_outbox.BrokenBackend"
    settings.OUTBOX_MAX_ATTEMPTS = 2
    queue_email("ouder@example.org", "Bevestiging", "Je bent aangemeld")
    for _ in range(2):
        OutboxEmail.objects.update(next_attempt_at=timezone.now() - timedelta(seconds=1))
        send_pending()
    assert OutboxEmail.objects.get().status == "failed"
    assert client.get("/healthz").json()["outbox"]["failed"] == 1


def test_it_carries_attachments(sent_mail):
    start = timezone.now() + timedelta(days=3)
    queue_email(
        "ouder@example.org",
        "Afspraak",
        "Zie bijlage",
        attachments=[
            ics_attachment(
                [
                    IcsEvent(
                        uid="evening-1@thuisnet", summary="Avond", start=start, end=start + timedelta(hours=2)
                    )
                ]
            )
        ],
    )
    (email,) = sent_mail()
    filename, content, mimetype = email.attachments[0]
    assert filename == "afspraak.ics" and mimetype.startswith("text/calendar")
    text = content.decode() if isinstance(content, bytes) else content
    assert "UID:evening-1@thuisnet" in text


class BrokenBackend:
    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise ConnectionRefusedError("SMTP server unreachable")


def render_greeting(payload: dict):
    """A renderer for the deferred-email tests (dotted path: tests.test_outbox.render_greeting)."""
    from thuisnet.core.mail import Dropped, Rendered

    if payload.get("gone"):
        raise Dropped("the facts are gone")
    return Rendered(subject=f"Hallo {payload['name']}", text=f"Dag {payload['name']}!")


def test_a_deferred_email_is_rendered_by_the_worker_once(sent_mail):
    from thuisnet.core.mail import RENDER_KEY, queue_deferred

    queue_deferred("ouder@example.org", "tests.test_outbox.render_greeting", {"name": "Sam"})
    row = OutboxEmail.objects.get()
    assert row.body_text == "" and RENDER_KEY in row.headers
    (email,) = sent_mail()
    assert (email.subject, email.body) == ("Hallo Sam", "Dag Sam!")
    assert RENDER_KEY not in email.extra_headers
    row.refresh_from_db()
    assert row.status == "sent" and row.body_text == "Dag Sam!"


def test_a_deferred_email_whose_facts_are_gone_is_closed_unsent(sent_mail):
    from thuisnet.core.mail import queue_deferred

    queue_deferred("ouder@example.org", "tests.test_outbox.render_greeting", {"gone": True})
    assert sent_mail() == []
    row = OutboxEmail.objects.get()
    assert row.sent_at is not None and "Niet verstuurd" in row.last_error


def test_a_deferred_email_rolled_back_with_its_cause_is_never_sent(sent_mail):
    from thuisnet.core.mail import queue_deferred

    with pytest.raises(RuntimeError), transaction.atomic():
        queue_deferred("ouder@example.org", "tests.test_outbox.render_greeting", {"name": "Sam"})
        raise RuntimeError("the registration failed")
    assert sent_mail() == []
