"""The guarantee: never more held than capacity, under real concurrency (PostgreSQL, threads).

Every test races the product's own services; where a test shows why a lock exists, it takes
that one step out with monkeypatch and shows the race it then loses.
"""

from __future__ import annotations

import threading
import time
from datetime import date, timedelta

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from respite import services
from respite.models import Booking, Slot
from tests.race import race

# serialized_rollback: a transactional test flushes the database, Wagtail root page included;
# restoring it keeps later tests (the demo, pages) working in the same run.
pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True, serialized_rollback=True)]
CLIENTS = 24


def test_many_parents_after_the_last_place_get_exactly_one(make_offer, parent, book, next_week):
    offer = make_offer(capacity=3)
    book(parent, offer, next_week, child=services.Child("A", 5, []))
    book(parent, offer, next_week, child=services.Child("B", 5, []))  # one place left
    results = race(CLIENTS, lambda i: book(parent, offer, next_week, child=services.Child(f"R{i}", 9, [])))
    won = [r for r in results if isinstance(r, Booking)]
    lost = [r for r in results if isinstance(r, services.NoCapacity)]
    assert len(won) == 1 and len(lost) == CLIENTS - 1, results
    assert Slot.objects.get(offer=offer, day=next_week).held == 3
    assert Booking.objects.filter(offer=offer, status="requested").count() == 3


def test_without_the_slot_lock_requests_get_past_the_capacity_check(
    make_offer, parent, book, next_week, monkeypatch
):
    """The product's own request_booking with its lock step taken out: many requests read a
    free place, and only the CHECK constraint stops the extra ones (a 500 for those parents).
    This is what the ledger lock prevents; the test fails if the race were not real."""
    offer = make_offer(capacity=1)

    def unlocked(offer, days, part):
        slots = list(Slot.objects.filter(offer=offer, day__in=days, part=part).order_by("day", "part"))
        time.sleep(0.05)  # the gap between reading and writing, made visible
        return slots

    monkeypatch.setattr(services, "_lock_slots", unlocked)
    results = race(12, lambda i: book(parent, offer, next_week, child=services.Child(f"R{i}", 9, [])))
    won = [r for r in results if isinstance(r, Booking)]
    stopped_by_constraint = [r for r in results if isinstance(r, IntegrityError)]
    assert len(won) == 1
    assert stopped_by_constraint, results  # more passed the check than there were places


def test_declining_while_another_parent_requests_the_same_night_does_not_deadlock(
    make_offer, parent, support_parent, staff, book, next_week, monkeypatch
):
    """The measured deadlock: a request holds the night's slot and, committing its booking,
    needs a KEY SHARE lock on the offer (the foreign key check), while decline (or cancel)
    locked the booking and, through select_related, the offer too, and then waits for the
    slot to release the hold. Failed with DeadlockDetected while those locked the offer row."""
    offer = make_offer(capacity=2)
    waiting = book(parent, offer, next_week, child=services.Child("A", 5, []))
    real_create = Booking.objects.create

    def slow_create(**kwargs):
        if threading.current_thread().name == "requester":
            time.sleep(0.6)  # slots locked and held: accept now queues behind us
        return real_create(**kwargs)

    monkeypatch.setattr(Booking.objects, "create", slow_create)

    def actor(i):
        if i == 0:
            threading.current_thread().name = "requester"
            return book(support_parent, offer, next_week, child=services.Child("B", 7, []))
        time.sleep(0.2)
        return services.decline(staff, waiting, "Geen begeleider vrij.")

    results = race(2, actor)
    assert all(isinstance(r, Booking) for r in results), results
    assert Booking.objects.get(pk=waiting.pk).status == "declined"
    assert Slot.objects.get(offer=offer, day=next_week).held == 1


def _in_one_quarter() -> date:
    """A Monday a week into the next quarter: a week-long stay stays inside that quarter."""
    today = timezone.localdate()
    q = (today.month - 1) // 3 * 3 + 4
    first = date(today.year + (q > 12), (q - 1) % 12 + 1, 1)
    return first + timedelta(days=7 + (7 - first.weekday()) % 7)


@pytest.mark.parametrize("with_child_lock", [True, False])
def test_two_offers_at_once_never_exceed_the_nights_per_quarter_of_one_child(
    make_offer, parent, book, monkeypatch, with_child_lock
):
    """Working agreement: 12 nights per child per quarter. Two requests of 7 nights for one
    child on two offers at the same moment: one may pass. Without the child lock (the check
    ran before the transaction) both passed."""
    offers = [make_offer(capacity=2, title="Logeerhuis"), make_offer(capacity=2, title="Weekendgezin")]
    start = _in_one_quarter()
    real_check = services._check_quarter_limit

    def slow_check(*args, **kwargs):
        real_check(*args, **kwargs)
        time.sleep(0.3)  # counted, not yet booked: the window the lock must cover

    monkeypatch.setattr(services, "_check_quarter_limit", slow_check)
    if not with_child_lock:
        monkeypatch.setattr(services, "_lock_child", lambda household, ref: None)
    child = services.Child("K1", 9, [])
    results = race(2, lambda i: book(parent, offers[i], start, nights=7, child=child))
    won = [r for r in results if isinstance(r, Booking)]
    if with_child_lock:
        assert len(won) == 1, results
        assert [r.code for r in results if isinstance(r, services.RespiteError)] == ["quarter_limit"]
    else:
        assert len(won) == 2  # the defect the lock removes: 14 nights in a quarter


def test_lowering_capacity_while_parents_book_never_overbooks(make_offer, parent, staff, next_week):
    offer = make_offer(capacity=5)

    def actor(i):
        if i == 0:
            time.sleep(0.01)
            try:
                services.set_capacity(offer, 2)
                return "lowered"
            except services.CapacityConflict as exc:
                return exc
        return services.request_booking(
            parent,
            offer,
            start=next_week,
            end=next_week + timedelta(days=1),
            child=services.Child(f"R{i}", 9, []),
        )

    results = race(21, actor)
    slot = Slot.objects.get(offer=offer, day=next_week)
    assert slot.held <= slot.capacity
    won = [r for r in results if isinstance(r, Booking)]
    assert all(
        isinstance(r, Booking | services.NoCapacity | services.CapacityConflict | str) for r in results
    ), results
    assert slot.held == len(won)
    offer.refresh_from_db()
    if "lowered" in results:
        assert offer.capacity == 2 and len(won) <= 2
    else:
        assert offer.capacity == 5 and len(won) == 5


def test_the_check_constraint_is_the_last_line_of_defence(offer, next_week):
    from django.db import IntegrityError
    from django.db.models import F

    with pytest.raises(IntegrityError), transaction.atomic():
        Slot.objects.filter(offer=offer, day=next_week).update(held=F("capacity") + 1)
