"""PostgreSQL: parallel registrations for the last seats never confirm more than fit.

Every test races the product's own services; where a test shows why a guard exists, it takes
that one step out with monkeypatch and shows the race it then loses.
"""

from __future__ import annotations

import time

import pytest
from django.db.models import Sum

from foster import services
from foster.models import EveningSession, Registration
from tests.race import errors, race

THREADS = 16


def _race(fn, n=THREADS):
    """The exceptions of ``n`` simultaneous calls of ``fn(i)`` (``tests.race``)."""
    return errors(race(n, fn))


def _confirmed(session) -> int:
    return (
        Registration.objects.filter(session=session, status="confirmed").aggregate(s=Sum("attendees"))["s"]
        or 0
    )


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_parallel_registrations_for_the_last_seats_never_overbook(make_evening, person):
    page = make_evening(capacity=7)
    session = page.sessions.get()
    services.register(session, person(100, attendees=2))  # 5 seats left
    errors = _race(lambda i: services.register(session, person(i, attendees=1 + i % 2)))
    assert errors == []
    session.refresh_from_db()
    assert _confirmed(session) == session.held <= session.capacity == 7
    assert session.held >= 6  # the seats did get used
    assert Registration.objects.filter(session=session).count() == THREADS + 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_without_the_ledger_guard_the_same_race_overbooks(make_evening, person, monkeypatch):
    """The product's own register() with its guard taken out (no session lock, and the seat
    taken by read-then-write instead of the conditional UPDATE): it confirms more people
    than fit. This is what the ledger prevents; the test fails if the race were not real."""
    page = make_evening(capacity=5)
    session = page.sessions.get()

    def unlocked(session_id):
        return EveningSession.objects.select_related("page", "page__region").get(pk=session_id)

    def read_then_write(session_id, n):
        s = EveningSession.objects.get(pk=session_id)
        time.sleep(0.05)  # the usual gap between reading and writing, made visible
        if s.held + n > s.capacity:
            return False
        EveningSession.objects.filter(pk=session_id).update(held=s.held + n)
        return True

    monkeypatch.setattr(services, "_lock_session", unlocked)
    monkeypatch.setattr(services, "_take", read_then_write)
    assert _race(lambda i: services.register(session, person(i))) == []
    session.refresh_from_db()
    assert _confirmed(session) > session.capacity  # overbooked


def _positions() -> list[int]:
    """The waiting-list places told to registrants in their emails."""
    import re

    from thuisnet.core.models import OutboxEmail

    told = []
    for body in OutboxEmail.objects.values_list("body_text", flat=True):
        m = re.search(r"plaats (\d+) van de wachtlijst", body)
        if m:
            told.append(int(m.group(1)))
    return sorted(told)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.parametrize("with_session_lock", [True, False])
def test_people_who_join_a_full_evening_at_once_are_told_distinct_places(
    make_evening, person, monkeypatch, with_session_lock
):
    """Each registrant is told their place on the waiting list in the same transaction that
    puts them there. With the session lock that place is final: 1, 2, 3, ... Without it
    (the position was counted before the others committed) places were told twice."""
    page = make_evening(capacity=1)
    session = page.sessions.get()
    services.register(session, person(100))  # the evening is full
    real_mail = services._mail

    def slow_mail(*args, **kwargs):
        real_mail(*args, **kwargs)
        time.sleep(0.1)  # place counted and told, not yet committed

    monkeypatch.setattr(services, "_mail", slow_mail)
    if not with_session_lock:
        monkeypatch.setattr(
            services,
            "_lock_session",
            lambda pk: EveningSession.objects.select_related("page", "page__region").get(pk=pk),
        )
    assert _race(lambda i: services.register(session, person(i))) == []
    told = _positions()
    assert len(told) == THREADS
    if with_session_lock:
        assert told == list(range(1, THREADS + 1))
        in_order = Registration.objects.filter(session=session, status="waiting").order_by("created_at", "pk")
        assert [services.waiting_position(r) for r in in_order] == told
    else:
        assert len(set(told)) < THREADS  # the defect: the same place told to several people


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_cancelling_and_changing_through_personal_links_at_once_keeps_the_ledger(make_evening, person):
    """Cancels free seats that go to the waiting list while others change their numbers:
    every transaction queues on the session row first, so none deadlocks (they did when a
    cancel locked the registration, then the session, and the page with it)."""
    page = make_evening(capacity=8)
    session = page.sessions.get()
    regs = [services.register(session, person(i, attendees=1 + i % 2)).registration for i in range(THREADS)]

    def actor(i):
        reg = regs[i]
        if i % 3 == 0:
            services.cancel(reg)
        else:
            services.change_attendees(reg, 2 if reg.attendees == 1 else 1)

    errors = _race(actor)
    assert [e for e in errors if not isinstance(e, services.RegistrationError)] == []
    session.refresh_from_db()
    assert _confirmed(session) + _offered(session) == session.held <= session.capacity


def _offered(session) -> int:
    return (
        Registration.objects.filter(session=session, status="offered").aggregate(s=Sum("attendees"))["s"] or 0
    )
