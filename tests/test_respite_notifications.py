"""Booking emails are rendered by the worker from the booking's facts, status changes reach
"Mijn meldingen", and changes to free places invalidate the cached public offers."""

from __future__ import annotations

import pytest

from respite import services

pytestmark = pytest.mark.django_db


def test_a_request_queues_its_emails_as_facts_without_rendering_them(
    offer, parent, book, next_week, sent_mail
):
    from thuisnet.core.mail import RENDER_KEY
    from thuisnet.core.models import OutboxEmail

    b = book(parent, offer, next_week)
    rows = list(OutboxEmail.objects.order_by("pk"))
    assert len(rows) == 2
    assert all(r.body_text == "" and r.headers[RENDER_KEY]["payload"]["booking"] == b.pk for r in rows)
    mails = sent_mail()
    assert any(parent.email in m.to and m.body for m in mails)


def test_status_changes_reach_the_inbox(offer, parent, staff, book, next_week):
    from thuisnet.accounts.models import Notification

    b = book(parent, offer, next_week)
    assert not Notification.objects.filter(recipient=parent).exists()
    services.accept(staff, b)
    note = Notification.objects.get(recipient=parent)
    assert (
        note.kind == "booking" and "geaccepteerd" in note.title and note.url == f"/respijt/aanvragen/{b.pk}/"
    )


def test_a_parent_cancelling_tells_the_provider_staff(offer, parent, staff, book, next_week):
    from datetime import timedelta

    from thuisnet.accounts.models import Notification

    b = book(parent, offer, next_week)
    services.cancel_by_parent(parent, b, now=services.parent_cutoff(b) - timedelta(hours=1))
    assert Notification.objects.filter(recipient=staff, kind="booking").count() == 1
    assert Notification.objects.filter(recipient=parent, kind="booking").count() == 1


def test_booking_and_release_invalidate_the_public_offers(offer, parent, staff, book, next_week, monkeypatch):
    from respite.services import availability, booking

    tags = []
    monkeypatch.setattr(booking, "invalidate", lambda *t: tags.extend(t))
    monkeypatch.setattr(availability, "invalidate", lambda *t: tags.extend(t))
    b = book(parent, offer, next_week)
    assert tags == ["respite"]
    services.decline(staff, b, "Vol")
    assert tags == ["respite", "respite"]
    services.set_capacity(offer, 3)
    assert tags == ["respite", "respite", "respite"]
