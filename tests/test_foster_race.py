"""PostgreSQL: parallel registrations for the last seats never confirm more than fit."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, transaction
from django.db.models import Sum

from foster import services
from foster.models import EveningSession, Registration

THREADS = 16


def _race(fn, n=THREADS):
    barrier = threading.Barrier(n)
    errors = []

    def run(i):
        try:
            barrier.wait()
            fn(i)
        except Exception as exc:  # noqa: BLE001 - collected and shown by the test
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return errors


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
def test_without_the_conditional_update_the_race_is_real(make_evening, person):
    """The naive read-then-write version overbooks: this is what the ledger prevents."""
    import time

    page = make_evening(capacity=5)
    session = page.sessions.get()

    def naive(i):
        with transaction.atomic():
            s = EveningSession.objects.get(pk=session.pk)
            free = s.capacity - s.held
            time.sleep(0.05)  # the usual gap between reading and writing, made visible
            status = "confirmed" if free >= 1 else "waiting"
            Registration.objects.create(
                session=s,
                name=f"n{i}",
                email=f"n{i}@example.org",
                attendees=1,
                status=status,
                interests=["full_time"],
            )
            if status == "confirmed":
                s.held = s.held + 1
                s.save(update_fields=["held"])

    assert _race(naive) == []
    session.refresh_from_db()
    assert _confirmed(session) > session.capacity  # overbooked
