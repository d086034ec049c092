"""Completed stays: the public read payouts builds on, and the "Uitbetalen" link for provider
staff on a completed stay's page (only with payouts on)."""

from __future__ import annotations

import sys
from datetime import timedelta

import pytest
from django.utils import timezone

from respite import selectors
from respite.models import Booking

pytestmark = pytest.mark.django_db


@pytest.fixture
def stays(offer, parent):
    today = timezone.localdate()

    def make(start, nights, status="accepted", ref="K1"):
        return Booking.objects.create(
            offer=offer,
            household=parent.household,
            requested_by=parent,
            start=start,
            end=start + timedelta(days=nights),
            child_ref=ref,
            child_age=9,
            age_band="8-11",
            status=status,
            decide_by=timezone.now(),
        )

    return {
        "ended": make(today - timedelta(days=5), 2),
        "long_ago": make(today - timedelta(days=200), 1, ref="K2"),
        "declined": make(today - timedelta(days=5), 1, status="declined", ref="K3"),
        "future": make(today + timedelta(days=5), 1, ref="K4"),
        "ongoing": make(today - timedelta(days=1), 3, ref="K5"),
    }


def test_it_lists_accepted_stays_that_have_ended_newest_first(stays, staff, parent):
    assert list(selectors.completed_stays(staff)) == [stays["ended"], stays["long_ago"]]
    assert list(selectors.completed_stays(parent)) == [stays["ended"], stays["long_ago"]]
    since = timezone.localdate() - timedelta(days=120)
    assert list(selectors.completed_stays(staff, since=since)) == [stays["ended"]]


def test_other_providers_and_strangers_see_none(stays, other_staff, support_parent):
    assert list(selectors.completed_stays(other_staff)) == []
    assert list(selectors.completed_stays(support_parent)) == []


def test_the_query_count_does_not_grow_with_the_stays(stays, staff, offer, parent):
    _queries(staff)  # the user's roles are cached after the first read
    few = len(_queries(staff))
    for i in range(6):
        Booking.objects.create(
            offer=offer,
            household=parent.household,
            requested_by=parent,
            start=timezone.localdate() - timedelta(days=30 + i),
            end=timezone.localdate() - timedelta(days=29 + i),
            child_ref=f"M{i}",
            child_age=9,
            age_band="8-11",
            status="accepted",
            decide_by=timezone.now(),
        )
    assert len(_queries(staff)) == few


def _queries(user):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        [(b.offer.provider.name, b.offer.title) for b in selectors.completed_stays(user)]
    return ctx.captured_queries


def test_staff_see_uitbetalen_on_a_completed_stay_only_with_payouts_on(stays, staff, parent, login, settings):
    url = f"/respijt/aanvragen/{stays['ended'].pk}/"
    settings.PAYOUTS_ENABLED = False
    link = 'class="button" href="/respijt/uitbetalingen/aanbieder/">Uitbetalen'
    assert link not in login(staff).get(url).content.decode()
    settings.PAYOUTS_ENABLED = True
    assert link in login(staff).get(url).content.decode()
    assert link not in login(parent).get(url).content.decode()  # the parent: no link
    future = login(staff).get(f"/respijt/aanvragen/{stays['future'].pk}/").content.decode()
    assert link not in future  # not before the stay is over


def test_with_payouts_off_the_page_imports_nothing_of_stripe(stays, staff, login, settings):
    settings.PAYOUTS_ENABLED = False
    before = "stripe" in sys.modules
    assert login(staff).get(f"/respijt/aanvragen/{stays['ended'].pk}/").status_code == 200
    assert ("stripe" in sys.modules) == before
