"""Flexible stays keep the ledger's guarantee under real concurrency (PostgreSQL, threads):
overlapping stays of different lengths racing for one place never overbook a single day."""

from __future__ import annotations

from datetime import timedelta

import pytest

from respite import services
from respite.models import Booking, Slot
from tests.race import race

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True, serialized_rollback=True)]
CLIENTS = 16


def test_overlapping_flexible_stays_never_overbook_a_day(make_offer, parent, next_week):
    offer = make_offer(capacity=2, kind="flexible", min_stay=2, max_stay=6)

    def stay(i):
        start = next_week + timedelta(days=i % 3)  # overlapping stays of 3 to 5 days
        end = start + timedelta(days=2 + i % 3)
        return services.request_booking(
            parent, offer, start=start, end=end, child=services.Child(f"R{i}", 9, [])
        )

    results = race(CLIENTS, stay)
    unexpected = [r for r in results if not isinstance(r, Booking | services.NoCapacity)]
    assert not unexpected, unexpected  # no IntegrityError, no crash: every loser is told why
    won = [r for r in results if isinstance(r, Booking)]
    lost = [r for r in results if isinstance(r, services.NoCapacity)]
    assert len(results) == CLIENTS and won and lost  # a real race: some stays did not fit
    for slot in Slot.objects.filter(offer=offer, day__range=(next_week, next_week + timedelta(days=8))):
        holding = sum(1 for b in won if slot.day in b.days())
        assert slot.held == holding <= slot.capacity, (slot.day, slot.held, holding)
