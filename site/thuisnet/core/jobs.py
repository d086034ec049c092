"""Periodic jobs run by the worker (``manage.py worker``).

Apps register jobs in their own ``jobs.py``::

    from thuisnet.core.jobs import periodic

    @periodic("foster.send_reminders", every=timedelta(minutes=15))
    def send_reminders() -> None: ...

A job is claimed with a conditional UPDATE on its row (``next_run_at <= now``), so two
workers, or a slow run overlapping the next tick, never run the same job twice at once.
Jobs must still be idempotent: a crash mid-run means it runs again next tick.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from .models import PeriodicJob, WorkerHeartbeat

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Job:
    name: str
    every: timedelta
    fn: Callable[[], object]


REGISTRY: dict[str, Job] = {}


def periodic(name: str, *, every: timedelta) -> Callable:
    def register(fn: Callable[[], object]) -> Callable[[], object]:
        REGISTRY[name] = Job(name, every, fn)
        return fn

    return register


def _claim(job: Job) -> bool:
    now = timezone.now()
    PeriodicJob.objects.get_or_create(name=job.name, defaults={"next_run_at": now})
    claimed = PeriodicJob.objects.filter(name=job.name, next_run_at__lte=now).update(
        next_run_at=now + job.every, last_started_at=now
    )
    return claimed == 1


def run_job(job: Job) -> bool:
    """Run one job now (without claiming). Returns True if it succeeded."""
    started = time.monotonic()
    try:
        result = job.fn()
    except Exception as exc:  # noqa: BLE001 - one failing job must not stop the others
        log.exception("periodic job failed", extra={"job": job.name})
        PeriodicJob.objects.filter(name=job.name).update(
            last_error=f"{type(exc).__name__}: {exc}"[:2000], last_finished_at=timezone.now()
        )
        return False
    PeriodicJob.objects.filter(name=job.name).update(last_error="", last_finished_at=timezone.now())
    from django.db.models import F

    PeriodicJob.objects.filter(name=job.name).update(runs=F("runs") + 1)
    log.info(
        "periodic job done",
        extra={"job": job.name, "result": str(result)[:200], "seconds": round(time.monotonic() - started, 3)},
    )
    return True


def run_due_jobs(worker_id: str = "worker") -> list[str]:
    """Run every registered job whose time has come. Returns the names that ran."""
    ran = []
    for job in list(REGISTRY.values()):
        with transaction.atomic():
            claimed = _claim(job)
        if claimed:
            run_job(job)
            ran.append(job.name)
    beat(worker_id, job_ran=bool(ran))
    return ran


def beat(worker_id: str, *, job_ran: bool = False) -> None:
    now = timezone.now()
    defaults = {"seen_at": now}
    if job_ran:
        defaults["last_job_at"] = now
    WorkerHeartbeat.objects.update_or_create(worker_id=worker_id, defaults=defaults)


@periodic("core.send_outbox", every=timedelta(seconds=5))
def _send_outbox() -> dict:
    from .mail import send_pending

    return send_pending()


@periodic("core.prune_idempotency", every=timedelta(hours=6))
def _prune_idempotency() -> int:
    from .models import IdempotencyRecord

    cutoff = timezone.now() - timedelta(days=2)
    return IdempotencyRecord.objects.filter(created_at__lt=cutoff).delete()[0]
