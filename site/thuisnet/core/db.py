"""Concurrent writes: one lock order for the whole project, and a retry for what still conflicts.

The global lock order. A transaction takes row locks only in this order (skipping what it
does not need), so two transactions never wait for each other in a circle:

1. a per-child advisory lock (``advisory_xact_lock``), respite requests only: it serialises
   the "nights per child per quarter" count;
2. foster: the evening session's seat ledger row (``EveningSession``, ``FOR NO KEY UPDATE``),
   then its registrations (pk order), then the prospects made from them;
3. respite: the one booking being changed (``Booking``), then the offer (``FOR NO KEY
   UPDATE``, only when capacity or availability changes), then its ledger rows
   (``Slot``) in (day, part) order;
4. matching: the new parent's requests (pk order), then the mentor's profile;
5. placements: placements in pk order; targets one at a time;
6. knowledge: the author's user row (the per-user post limit), then the post.
7. payouts: the host's ``ConnectedAccount`` row (serialises the volunteer-allowance check),
   then the one ``Payout`` row being retried or confirmed again; respite rows are only read.

Rules that keep it true:

- ``select_for_update(of=("self",))`` whenever the query joins (``select_related``):
  otherwise PostgreSQL locks the joined rows too (the offer, the evening page), outside
  the order above. That was the deadlock between accepting a booking (booking + offer)
  and requesting one (slots, then a KEY SHARE on the offer for the new booking's
  foreign key).
- A row that new rows point at is locked ``FOR NO KEY UPDATE`` (``no_key=True``), which
  does not block the KEY SHARE lock an INSERT of a referencing row takes.
- Several rows of one table are locked in one statement with an ``ORDER BY``.

``retry_on_conflict`` runs one transaction and runs it again on a deadlock (40P01) or a
serialization failure (40001): the database rolled the attempt back whole, outbox rows
included, so nothing was half done. Inside an outer transaction it retries its savepoint.
"""

from __future__ import annotations

import functools
import hashlib
import logging
import random
import time
from collections.abc import Callable
from typing import TypeVar

from django.db import OperationalError, connection, transaction

log = logging.getLogger(__name__)
T = TypeVar("T")

CONFLICT_SQLSTATES = frozenset({"40001", "40P01"})  # serialization_failure, deadlock_detected
ATTEMPTS = 4
BASE_DELAY = 0.02  # seconds; doubled per attempt, with jitter


def is_conflict(exc: BaseException) -> bool:
    """A deadlock or serialization failure: the transaction was rolled back and may run again."""
    for err in (exc, exc.__cause__, exc.__context__):
        code = getattr(err, "sqlstate", None) or getattr(err, "pgcode", None)
        if code in CONFLICT_SQLSTATES:
            return True
    return False


def retry_on_conflict(
    fn: Callable[..., T] | None = None, *, attempts: int = ATTEMPTS, base_delay: float = BASE_DELAY
):
    """Decorator: run ``fn`` in ``transaction.atomic()``; on a conflict, back off and run again.

    Use it on a function that is exactly one transaction (it replaces ``@transaction.atomic``)
    and whose side effects are all in the database. Domain errors pass through at once.
    """

    def wrap(func: Callable[..., T]) -> Callable[..., T]:
        @functools.wraps(func)
        def run(*args, **kwargs) -> T:
            for attempt in range(1, attempts + 1):
                try:
                    with transaction.atomic():
                        return func(*args, **kwargs)
                except OperationalError as exc:
                    if attempt == attempts or not is_conflict(exc):
                        raise
                    # In [base·2^(n-1), base·2^n): random, so racers spread out, and still growing.
                    delay = base_delay * 2 ** (attempt - 1) * (1 + random.random())
                    log.warning(
                        "database conflict, retrying",
                        extra={"function": func.__qualname__, "attempt": attempt, "delay": round(delay, 3)},
                    )
                    time.sleep(delay)
            raise AssertionError("unreachable")

        return run

    return wrap(fn) if fn is not None else wrap


def advisory_xact_lock(*parts: object) -> None:
    """Hold a PostgreSQL advisory lock on ``parts`` until the transaction ends.

    For a thing that has no row to lock (a child's quarter across offers). SQLite runs write
    transactions one at a time, so nothing is needed there.
    """
    if connection.vendor != "postgresql":
        return
    digest = hashlib.blake2b(":".join(str(p) for p in parts).encode(), digest_size=8).digest()
    key = int.from_bytes(digest, "big", signed=True)
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", [key])
