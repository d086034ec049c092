"""Booking requests: hold at once, accept/decline/expire/cancel, emails with .ics, one booking per click."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from respite import services
from respite.models import Booking, Slot, UnmetDemand

pytestmark = pytest.mark.django_db


def _held(offer, day):
    return Slot.objects.get(offer=offer, day=day, part="night").held


def test_a_request_holds_capacity_at_once(offer, parent, book, next_week):
    b = book(parent, offer, next_week, nights=2)
    assert b.status == "requested"
    assert [_held(offer, d) for d in b.days()] == [1, 1]


def test_it_rejects_a_request_when_the_last_place_is_held(offer, parent, book, next_week):
    book(parent, offer, next_week)
    book(parent, offer, next_week, child=services.Child("K2", 4, []))
    with pytest.raises(services.NoCapacity) as err:
        book(parent, offer, next_week, child=services.Child("K3", 4, []))
    assert err.value.code == "no_capacity"
    assert next_week.strftime("%d-%m-%Y") in err.value.message
    assert _held(offer, next_week) == 2


def test_it_rejects_a_night_without_availability(offer, parent, book, next_week):
    services.block_date(offer, next_week + timedelta(days=1))
    with pytest.raises(services.NoCapacity):
        book(parent, offer, next_week, nights=2)
    assert _held(offer, next_week) == 0


def test_accepting_mails_the_parent_an_ics(offer, parent, staff, book, next_week, sent_mail):
    b = book(parent, offer, next_week, nights=2)
    services.accept(staff, b)
    mails = sent_mail()
    accepted = [m for m in mails if m.to == [parent.email] and "Geaccepteerd" in m.subject]
    assert len(accepted) == 1
    name, content, mimetype = accepted[0].attachments[0]
    content = content if isinstance(content, str) else content.decode()
    assert name == "respijt.ics" and "BEGIN:VEVENT" in content and f"respijt-{b.pk}@thuisnet" in content
    assert any(staff.email in m.to and "Nieuwe respijtaanvraag" in m.subject for m in mails)
    assert _held(offer, next_week) == 1


def test_declining_releases_and_records_unmet_demand(offer, parent, staff, book, next_week, sent_mail):
    b = book(parent, offer, next_week)
    services.decline(staff, b, "Geen begeleiding beschikbaar")
    assert _held(offer, next_week) == 0
    unmet = UnmetDemand.objects.get(booking=b)
    assert unmet.source == "declined" and unmet.age_band == "8-11" and unmet.kind == "place"
    assert any("Afgewezen" in m.subject and "Geen begeleiding" in m.body for m in sent_mail())


def test_the_expiry_job_releases_undecided_requests(offer, parent, book, next_week, sent_mail):
    b = book(parent, offer, next_week)
    assert services.expire_overdue(now=b.decide_by - timedelta(minutes=1)) == 0
    assert services.expire_overdue(now=b.decide_by + timedelta(minutes=1)) == 1
    assert services.expire_overdue(now=b.decide_by + timedelta(minutes=2)) == 0  # idempotent
    b.refresh_from_db()
    assert b.status == "expired" and _held(offer, next_week) == 0
    assert UnmetDemand.objects.filter(booking=b, source="expired").exists()
    assert any("Verlopen" in m.subject and parent.email in m.to for m in sent_mail())


def test_a_provider_cannot_accept_after_the_deadline(offer, parent, staff, book, next_week):
    b = book(parent, offer, next_week)
    with pytest.raises(services.RespiteError) as err:
        services.accept(staff, b, now=b.decide_by + timedelta(seconds=1))
    assert err.value.code == "expired"
    assert Booking.objects.get(pk=b.pk).status == "expired"


def test_parent_may_cancel_until_the_cut_off(offer, parent, book, next_week):
    b = book(parent, offer, next_week)
    late = services.parent_cutoff(b) + timedelta(minutes=1)
    with pytest.raises(services.RespiteError) as err:
        services.cancel_by_parent(parent, b, now=late)
    assert err.value.code == "cancel_cutoff" and "24 uur" in err.value.message
    services.cancel_by_parent(parent, b, now=services.parent_cutoff(b) - timedelta(minutes=1))
    assert Booking.objects.get(pk=b.pk).status == "cancelled" and _held(offer, next_week) == 0


def test_provider_cancel_needs_a_reason(offer, parent, staff, book, next_week, sent_mail):
    b = book(parent, offer, next_week)
    services.accept(staff, b)
    with pytest.raises(services.RespiteError) as err:
        services.cancel_by_provider(staff, b, "  ")
    assert err.value.code == "reason_required"
    services.cancel_by_provider(staff, b, "Gastgezin is ziek")
    mail = [m for m in sent_mail() if "Geannuleerd door de aanbieder" in m.subject][0]
    assert "Gastgezin is ziek" in mail.body
    ics = mail.attachments[0][1]
    assert "STATUS:CANCELLED" in (ics if isinstance(ics, str) else ics.decode())
    assert _held(offer, next_week) == 0


def test_releasing_twice_releases_once(offer, parent, staff, book, next_week):
    b = book(parent, offer, next_week)
    book(parent, offer, next_week, child=services.Child("K2", 4, []))
    services.decline(staff, b)
    with pytest.raises(services.RespiteError):
        services.decline(staff, b)
    assert _held(offer, next_week) == 1


def test_it_refuses_a_name_like_reference_with_a_phone_number(offer, parent, book, next_week):
    with pytest.raises(services.RespiteError) as err:
        book(parent, offer, next_week, child=services.Child("K1", 9, []), notes="bel 06-12345678")
    assert err.value.code == "personal_data"
    assert _held(offer, next_week) == 0


def test_it_refuses_an_age_outside_the_offer(make_offer, parent, book, next_week):
    offer = make_offer(age=(12, 17))
    with pytest.raises(services.RespiteError) as err:
        book(parent, offer, next_week)
    assert err.value.code == "age_out_of_range" and "12 tot en met 17" in err.value.message


def test_it_refuses_needs_the_offer_does_not_handle(make_offer, parent, book, next_week):
    offer = make_offer(handles=["lvb"])
    with pytest.raises(services.RespiteError) as err:
        book(parent, offer, next_week)
    assert err.value.code == "needs_not_handled" and "gedragsproblemen" in err.value.message


def test_a_stay_longer_than_the_maximum_is_refused(make_offer, parent, book, next_week):
    offer = make_offer(max_stay=2)
    with pytest.raises(services.RespiteError) as err:
        book(parent, offer, next_week, nights=3)
    assert err.value.code == "too_long"


def test_a_double_click_on_the_form_makes_one_booking(login, parent, offer, next_week):
    c = login(parent)
    page = c.get(f"/respijt/aanbod/{offer.pk}/?start={next_week}&end={next_week + timedelta(days=1)}&age=9")
    assert page.status_code == 200
    token = page.context["form"].initial["form_token"]
    data = {
        "start": next_week,
        "end": next_week + timedelta(days=1),
        "child_ref": "K1",
        "child_age": 9,
        "form_token": token,
    }
    first = c.post(f"/respijt/aanbod/{offer.pk}/aanvragen/", data)
    second = c.post(f"/respijt/aanbod/{offer.pk}/aanvragen/", data)
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"]
    assert Booking.objects.count() == 1 and _held(offer, next_week) == 1


def test_the_form_shows_a_dutch_message_when_full(login, parent, make_offer, book, next_week):
    offer = make_offer(capacity=1)
    book(parent, offer, next_week)
    r = login(parent).post(
        f"/respijt/aanbod/{offer.pk}/aanvragen/",
        {
            "start": next_week,
            "end": next_week + timedelta(days=1),
            "child_ref": "K2",
            "child_age": 5,
            "form_token": "abc",
        },
    )
    assert r.status_code == 422
    assert "Er is geen plek meer op" in r.content.decode()


def test_parent_sees_the_request_and_the_provider_decides(
    login, parent, staff, offer, book, next_week, client
):
    b = book(parent, offer, next_week)
    mine = login(parent).get("/respijt/mijn-aanvragen/").content.decode()
    assert offer.title in mine and "aangevraagd" in mine
    c = login(staff)
    assert f"#{b.pk}" in c.get("/respijt/beheer/").content.decode()
    r = c.post(f"/respijt/aanvragen/{b.pk}/accepteren/")
    assert r.status_code == 302
    assert Booking.objects.get(pk=b.pk).status == "accepted"


def test_an_unverified_household_cannot_book(login, parent, offer, next_week):
    parent.household.verified_at = None
    parent.household.save()
    r = login(parent).post(
        f"/respijt/aanbod/{offer.pk}/aanvragen/",
        {
            "start": next_week,
            "end": next_week + timedelta(days=1),
            "child_ref": "K1",
            "child_age": 9,
            "form_token": "x",
        },
    )
    assert r.status_code == 302
    assert not Booking.objects.exists()


def test_a_support_family_is_booked_per_day_part(make_offer, parent, book, next_week):
    offer = make_offer(kind="support_family", capacity=1)
    b = services.request_booking(
        parent,
        offer,
        start=next_week,
        end=next_week + timedelta(days=1),
        part="afternoon",
        child=services.Child("K1", 9, []),
    )
    assert b.units == 2
    assert Slot.objects.get(offer=offer, day=next_week, part="afternoon").held == 1
    assert Slot.objects.get(offer=offer, day=next_week, part="morning").held == 0
    assert timezone.localtime(services.stay_start(offer, next_week, "afternoon")).hour == 13
