"""The handover on acceptance and the message thread per booking."""

from __future__ import annotations

from datetime import time, timedelta

import pytest

from respite import services
from respite.models import Offer

pytestmark = pytest.mark.django_db


@pytest.fixture
def handover_offer(offer):
    Offer.objects.filter(pk=offer.pk).update(
        address="Brinkgreverweg 12",
        arrival_time=time(16, 30),
        departure_time=time(10, 0),
        what_to_bring="Pyjama, knuffel en medicijnen",
        contact_phone="0570 123 456",
    )
    offer.refresh_from_db()
    return offer


def test_the_accepted_parent_gets_address_times_and_phone_in_email_and_calendar(
    handover_offer, parent, staff, book, next_week, sent_mail
):
    b = book(parent, handover_offer, next_week, nights=2)
    services.accept(staff, b)
    mail = next(m for m in sent_mail() if m.to == [parent.email] and "Geaccepteerd" in m.subject)
    for text in ("Brinkgreverweg 12", "16:30", "10:00", "Pyjama, knuffel", "0570 123 456"):
        assert text in mail.body
    ics = mail.attachments[0][1]
    ics = ics if isinstance(ics, str) else ics.decode()
    unfolded = ics.replace("\r\n ", "")
    assert "LOCATION:Brinkgreverweg 12\\, 7411 Deventer" in unfolded
    assert "Aankomst vanaf 16:30" in unfolded and "0570 123 456" in unfolded


def test_the_address_is_not_in_the_request_email_nor_on_the_page_before_acceptance(
    login, handover_offer, parent, book, next_week, sent_mail
):
    b = book(parent, handover_offer, next_week)
    assert all("Brinkgreverweg" not in m.body for m in sent_mail())
    html = login(parent).get(f"/respijt/aanvragen/{b.pk}/").content.decode()
    assert "Brinkgreverweg" not in html


def test_booking_page_shows_each_side_what_it_needs_and_audits_the_provider(
    login, handover_offer, parent, staff, book, next_week
):
    from thuisnet.core.models import AuditLog

    b = book(parent, handover_offer, next_week, contact_phone="06 1234 5678")
    staff_page = login(staff).get(f"/respijt/aanvragen/{b.pk}/").content.decode()
    assert "06 1234 5678" not in staff_page  # not before acceptance
    services.accept(staff, b)
    html = login(parent).get(f"/respijt/aanvragen/{b.pk}/").content.decode()
    assert "Brinkgreverweg 12" in html and "0570 123 456" in html
    before = AuditLog.objects.filter(object_type=services.HOUSEHOLD_AUDIT_TYPE).count()
    staff_page = login(staff).get(f"/respijt/aanvragen/{b.pk}/").content.decode()
    assert (
        "Gezin Jansen" in staff_page and "06 1234 5678" in staff_page and "Pleegzorg IJsselland" in staff_page
    )
    assert AuditLog.objects.filter(object_type=services.HOUSEHOLD_AUDIT_TYPE).count() == before + 1


def test_the_household_is_hidden_30_days_after_the_stay(handover_offer, parent, staff, book, next_week):
    b = book(parent, handover_offer, next_week)
    services.accept(staff, b)
    b.refresh_from_db()
    assert services.for_provider(b, today=b.end + timedelta(days=30)) is not None
    assert services.for_provider(b, today=b.end + timedelta(days=31)) is None


def test_a_message_reaches_the_other_side_without_email_addresses(
    login, offer, parent, staff, book, next_week
):
    from thuisnet.accounts.models import Notification

    b = book(parent, offer, next_week)
    c = login(parent)
    r = c.post(f"/respijt/aanvragen/{b.pk}/bericht/", {"body": "Mail me op jan@example.org"})
    assert r.status_code == 422 and "e-mailadres" in r.content.decode()
    assert "Mail me op jan@example.org" in r.content.decode()  # the text is kept
    r = c.post(f"/respijt/aanvragen/{b.pk}/bericht/", {"body": "Hij slaapt graag met licht aan."})
    assert r.status_code == 302
    note = Notification.objects.get(recipient=staff, kind="message")
    assert note.url.endswith(f"/respijt/aanvragen/{b.pk}/#berichten")
    page = login(staff).get(f"/respijt/aanvragen/{b.pk}/").content.decode()
    assert "Hij slaapt graag met licht aan." in page and parent.email not in page
    login(staff).post(f"/respijt/aanvragen/{b.pk}/bericht/", {"body": "Prima, tot vrijdag!"})
    assert Notification.objects.filter(recipient=parent, kind="message").count() == 1


def test_strangers_cannot_write_in_a_thread(login, offer, parent, support_parent, book, next_week):
    b = book(parent, offer, next_week)
    r = login(support_parent).post(f"/respijt/aanvragen/{b.pk}/bericht/", {"body": "Hallo"})
    assert r.status_code in (403, 404)
