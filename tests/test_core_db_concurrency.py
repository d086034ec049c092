"""thuisnet.core.db: the retry on deadlock / serialization failure, and the advisory lock."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, OperationalError

from thuisnet.core import db as dbhelpers


class _PgError(Exception):
    def __init__(self, sqlstate: str) -> None:
        super().__init__(sqlstate)
        self.sqlstate = sqlstate


def _conflict(sqlstate: str = "40P01") -> OperationalError:
    """What Django raises for psycopg's DeadlockDetected: the driver error is the cause."""
    exc = OperationalError("deadlock detected")
    exc.__cause__ = _PgError(sqlstate)
    return exc


@pytest.fixture
def no_sleep(monkeypatch):
    slept = []
    monkeypatch.setattr(dbhelpers.time, "sleep", slept.append)
    return slept


@pytest.mark.django_db
@pytest.mark.parametrize("sqlstate", ["40P01", "40001"])
def test_it_runs_the_transaction_again_after_a_deadlock_or_serialization_failure(no_sleep, sqlstate):
    calls = []

    @dbhelpers.retry_on_conflict
    def work():
        calls.append(1)
        if len(calls) < 3:
            raise _conflict(sqlstate)
        return "done"

    assert work() == "done"
    assert len(calls) == 3 and len(no_sleep) == 2
    assert 0 < no_sleep[0] < no_sleep[1]  # backs off, more each time


@pytest.mark.django_db
def test_it_gives_up_after_the_last_attempt(no_sleep):
    calls = []

    @dbhelpers.retry_on_conflict(attempts=3)
    def work():
        calls.append(1)
        raise _conflict()

    with pytest.raises(OperationalError):
        work()
    assert len(calls) == 3


@pytest.mark.django_db
@pytest.mark.parametrize(
    "error", [OperationalError("database is locked"), IntegrityError("duplicate"), ValueError("domain")]
)
def test_it_does_not_retry_other_errors(no_sleep, error):
    calls = []

    @dbhelpers.retry_on_conflict
    def work():
        calls.append(1)
        raise error

    with pytest.raises(type(error)):
        work()
    assert len(calls) == 1 and no_sleep == []


@pytest.mark.django_db
def test_a_failed_attempt_leaves_nothing_behind(no_sleep):
    """Each attempt is its own transaction (or savepoint): rows of a failed one are gone."""
    from thuisnet.accounts.models import Region

    attempts = []

    @dbhelpers.retry_on_conflict
    def work():
        attempts.append(1)
        Region.objects.create(name=f"Regio {len(attempts)}", slug=f"regio-{len(attempts)}")
        if len(attempts) == 1:
            raise _conflict()

    work()
    assert list(Region.objects.filter(slug__startswith="regio-").values_list("slug", flat=True)) == [
        "regio-2"
    ]


@pytest.mark.django_db
def test_the_advisory_lock_is_harmless_outside_postgresql():
    dbhelpers.advisory_xact_lock("respite.child", 1, "k1")  # no error on SQLite or PostgreSQL
