"""Region-wide reports read a PostgreSQL replica when one is configured and fresh; everything
else, every write and every read inside a transaction stays on the primary."""

from contextlib import contextmanager
from datetime import date

import pytest

from thuisnet.core import dbrouter
from thuisnet.core.dbrouter import ReportRouter, report_reads

router = ReportRouter()


@pytest.fixture
def replica(monkeypatch):
    """A configured replica whose freshness the test decides (no second server here)."""
    monkeypatch.setattr(dbrouter, "replica_configured", lambda: True)
    state = {"fresh": True}
    monkeypatch.setattr(dbrouter, "replica_fresh", lambda: state["fresh"])
    return state


def test_reads_stay_on_the_primary_without_a_replica():
    with report_reads():
        assert router.db_for_read(object) is None


def test_report_reads_go_to_a_fresh_replica(replica):
    with report_reads():
        assert router.db_for_read(object) == "replica"


def test_other_reads_stay_on_the_primary(replica):
    assert router.db_for_read(object) is None


def test_a_lagging_or_dead_replica_sends_reports_to_the_primary(replica):
    replica["fresh"] = False
    with report_reads():
        assert router.db_for_read(object) is None


@pytest.mark.django_db
def test_a_transaction_reads_its_own_writes(replica):
    from django.db import transaction

    with transaction.atomic(), report_reads():
        assert router.db_for_read(object) is None


def test_writes_and_migrations_never_go_to_the_replica(replica):
    with report_reads():
        assert router.db_for_write(object) == "default"
    assert router.allow_migrate("replica", "placements") is False
    assert router.allow_migrate("default", "placements") is True


class _Cursor:
    def __init__(self, lag):
        self.lag = lag

    def execute(self, sql):
        if isinstance(self.lag, Exception):
            raise self.lag

    def fetchone(self):
        return (self.lag,)


class _Replica:
    def __init__(self, lag):
        self.lag, self.asked, self.closed = lag, 0, False

    @contextmanager
    def cursor(self):
        self.asked += 1
        yield _Cursor(self.lag)

    def close(self):
        self.closed = True


@pytest.mark.parametrize(("lag", "fresh"), [(0, True), (60, True), (61, False), (OSError("down"), False)])
def test_it_measures_the_replica_lag_against_the_limit(settings, monkeypatch, lag, fresh):
    settings.REPORT_REPLICA_MAX_LAG_SECONDS = 60
    fake = _Replica(lag)
    monkeypatch.setattr(dbrouter, "connections", {"replica": fake})
    dbrouter.forget_freshness()
    try:
        assert dbrouter.replica_fresh() is fresh
        assert fake.closed is isinstance(lag, Exception)  # a failed check starts clean next time
    finally:
        dbrouter.forget_freshness()


def test_it_asks_the_replica_at_most_every_ten_seconds(settings, monkeypatch):
    settings.REPORT_REPLICA_MAX_LAG_SECONDS = 60
    fake = _Replica(5)
    clock = [1000.0]
    monkeypatch.setattr(dbrouter, "connections", {"replica": fake})
    monkeypatch.setattr(dbrouter.time, "monotonic", lambda: clock[0])
    dbrouter.forget_freshness()
    try:
        for _ in range(3):
            assert dbrouter.replica_fresh()
        assert fake.asked == 1
        clock[0] += 10
        fake.lag = 600
        assert dbrouter.replica_fresh() is False
        assert fake.asked == 2
    finally:
        dbrouter.forget_freshness()


@pytest.mark.django_db
def test_the_breakdown_report_reads_inside_report_reads(monkeypatch):
    from foster.placements import report
    from thuisnet.accounts.models import Region

    seen = []

    def cohort_result(*args, **kwargs):
        seen.append(dbrouter._reporting.get())
        return report.analyse(report.load_grouped_frame(*args[:4]), args[3])

    monkeypatch.setattr(report, "cohort_result", cohort_result)
    region = Region.objects.create(name="Testregio", slug="testregio")
    body = report.build_report(region, date(2024, 1, 1), date(2024, 12, 31), date(2026, 6, 30))
    assert seen == [True]
    assert "placements" in body
    assert dbrouter._reporting.get() is False  # and not after it
