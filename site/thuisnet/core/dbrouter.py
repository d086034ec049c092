"""Report reads on a PostgreSQL read replica (``DATABASE_REPLICA_URL``), opt-in per call site.

The same tables are read by the register (which must see the row just saved: the primary) and
by region-wide reports (a minute old is fine: the replica), so routing is not by model but by
what is running: code inside ``with report_reads():`` reads from the replica when one is
configured, reachable and at most ``REPORT_REPLICA_MAX_LAG_SECONDS`` behind; otherwise, and
always inside a transaction on the primary (which must read its own writes), everything stays
on ``default``. Writes always go to ``default``: an audit row written while reporting too.

A dead or lagging replica makes reports slower, never broken: the freshness check falls back
to the primary on any error. It runs at most every ``_CHECK_SECONDS`` per process.

Who reads inside ``report_reads()`` today: ``foster.placements.report.build_report`` (the
``breakdown_report`` command and the report API). The monitor's dashboard is kept in the cache
under the region's data version and is built from the primary: a copy built from a replica that
had not yet replayed the change would be kept as if it were current (docs/SCALE.md).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections

log = logging.getLogger(__name__)

REPLICA = "replica"
_CHECK_SECONDS = 10.0
_reporting: ContextVar[bool] = ContextVar("thuisnet_report_reads", default=False)
_checked: dict[str, float | bool] = {"at": float("-inf"), "fresh": False}


@contextmanager
def report_reads() -> Iterator[None]:
    """Reads inside go to the replica when it is configured, reachable and fresh enough."""
    token = _reporting.set(True)
    try:
        yield
    finally:
        _reporting.reset(token)


def replica_configured() -> bool:
    return REPLICA in settings.DATABASES


def replica_fresh() -> bool:
    """Is the replica reachable and at most ``REPORT_REPLICA_MAX_LAG_SECONDS`` behind?

    ``now() - pg_last_xact_replay_timestamp()`` on the replica (NULL on a server that is not a
    standby: then it is the primary itself, and fresh). Asked at most every 10 seconds per
    process; any error counts as not fresh, and the connection is closed so the next check
    starts clean.
    """
    now = time.monotonic()
    if now - float(_checked["at"]) < _CHECK_SECONDS:
        return bool(_checked["fresh"])
    fresh = False
    try:
        with connections[REPLICA].cursor() as cursor:
            cursor.execute("SELECT COALESCE(EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp()), 0)")
            (lag,) = cursor.fetchone()
        fresh = float(lag) <= settings.REPORT_REPLICA_MAX_LAG_SECONDS
        if not fresh:
            log.warning("read replica %.0f s behind: reports read the primary", float(lag))
    except Exception:  # noqa: BLE001 - a replica outage must never break a report
        log.warning("read replica unreachable: reports read the primary", exc_info=True)
        connections[REPLICA].close()
    _checked.update(at=now, fresh=fresh)
    return fresh


def forget_freshness() -> None:
    """Ask the replica again on the next report read (tests, and after a failover)."""
    _checked.update(at=float("-inf"), fresh=False)


class ReportRouter:
    """``DATABASE_ROUTERS`` entry: only reads inside ``report_reads()`` may leave ``default``."""

    def db_for_read(self, model, **hints) -> str | None:
        if not _reporting.get() or not replica_configured():
            return None
        if connections[DEFAULT_DB_ALIAS].in_atomic_block:
            return None  # a transaction reads its own writes
        return REPLICA if replica_fresh() else None

    def db_for_write(self, model, **hints) -> str:
        return DEFAULT_DB_ALIAS  # never write to the replica

    def allow_relation(self, obj1, obj2, **hints) -> bool:
        return True  # the same data on both

    def allow_migrate(self, db, app_label, model_name=None, **hints) -> bool:
        return db == DEFAULT_DB_ALIAS
