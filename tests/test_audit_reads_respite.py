"""Every read of a child's details by someone outside the child's household writes ONE audit
row per request listing the bookings shown: pages, API lists, API details and action answers."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from respite.models import Booking
from thuisnet.core.models import AuditLog

pytestmark = pytest.mark.django_db

CHILD = "respite.booking.child"


def _api(login, user):
    return login(user, APIClient())


def _visible_to_staff(world):
    """Accepted bookings of ``provider`` whose child the staff still see (not scrubbed, recent)."""
    from datetime import timedelta

    from django.utils import timezone

    return set(
        Booking.objects.filter(
            offer__provider=world["offers"]["a"].provider,
            status="accepted",
            scrubbed_at__isnull=True,
            end__gte=timezone.localdate() - timedelta(days=30),
        ).values_list("pk", flat=True)
    )


def test_an_api_list_with_children_writes_one_row_listing_them(login, staff, respite_world):
    before = AuditLog.objects.count()
    r = _api(login, staff).get("/api/v1/respite/bookings/?status=accepted")
    assert r.status_code == 200
    with_child = {b["id"] for b in r.json() if b["child"] is not None}
    assert with_child == _visible_to_staff(respite_world) and len(with_child) > 1
    assert AuditLog.objects.count() == before + 1
    row = AuditLog.objects.latest("pk")
    assert row.object_type == CHILD and row.actor == staff and row.action == "read"
    assert set(map(int, row.detail["refs"])) == with_child


def test_a_parent_reading_their_own_children_is_not_logged(login, parent, respite_world):
    r = _api(login, parent).get("/api/v1/respite/bookings/")
    assert r.status_code == 200 and any(b["child"] for b in r.json())
    assert not AuditLog.objects.filter(object_type=CHILD).exists()


def test_a_list_without_children_writes_nothing(login, staff, respite_world):
    r = _api(login, staff).get("/api/v1/respite/bookings/?status=requested")
    assert r.status_code == 200 and r.json() and all(b["child"] is None for b in r.json())
    assert not AuditLog.objects.filter(object_type=CHILD).exists()


def test_a_host_family_reading_a_child_is_logged(login, support_parent, respite_world):
    r = _api(login, support_parent).get("/api/v1/respite/bookings/?status=accepted")
    shown = {
        b["id"]
        for b in r.json()
        if b["child"] is not None and b["offer"] == respite_world["offers"]["host"].pk
    }
    assert shown
    row = AuditLog.objects.get(object_type=CHILD)
    assert set(map(int, row.detail["refs"])) == shown


def test_the_api_detail_and_the_page_each_write_one_row(login, staff, respite_world):
    pk = min(_visible_to_staff(respite_world))
    c = _api(login, staff)
    assert c.get(f"/api/v1/respite/bookings/{pk}/").json()["child"]["ref"]
    assert c.get(f"/respijt/aanvragen/{pk}/").status_code == 200
    rows = AuditLog.objects.filter(object_type=CHILD)
    assert rows.count() == 2 and {r.object_ref for r in rows} == {str(pk)}


def test_an_accept_answer_that_shows_the_child_is_logged(login, staff, parent, offer, book, next_week):
    booking = book(parent, offer, next_week)
    r = _api(login, staff).post(f"/api/v1/respite/bookings/{booking.pk}/accept/")
    assert r.status_code == 200 and r.json()["child"]["ref"] == "K1"
    row = AuditLog.objects.get(object_type=CHILD)
    assert row.detail["refs"] == [str(booking.pk)] and row.actor == staff


def test_a_decline_answer_without_the_child_is_not_logged(login, staff, parent, offer, book, next_week):
    booking = book(parent, offer, next_week)
    r = _api(login, staff).post(f"/api/v1/respite/bookings/{booking.pk}/decline/", {"reason": "vol"})
    assert r.status_code == 200 and r.json()["child"] is None
    assert not AuditLog.objects.filter(object_type=CHILD).exists()
