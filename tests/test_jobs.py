"""Periodic jobs: claimed once per tick, even with two workers; the worker reports in /healthz."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from thuisnet.core import jobs
from thuisnet.core.models import PeriodicJob

pytestmark = pytest.mark.django_db


@pytest.fixture
def counting_job(monkeypatch):
    calls = []
    job = jobs.Job("test.count", timedelta(minutes=10), lambda: calls.append(1))
    monkeypatch.setattr(jobs, "REGISTRY", {"test.count": job})
    return calls


def test_a_job_runs_once_per_interval_however_often_workers_tick(counting_job):
    assert jobs.run_due_jobs("worker-a") == ["test.count"]
    assert jobs.run_due_jobs("worker-b") == []
    assert jobs.run_due_jobs("worker-a") == []
    assert counting_job == [1]


def test_it_runs_again_when_the_interval_has_passed(counting_job):
    jobs.run_due_jobs("worker-a")
    PeriodicJob.objects.update(next_run_at=timezone.now() - timedelta(seconds=1))
    jobs.run_due_jobs("worker-b")
    assert counting_job == [1, 1]


def test_a_failing_job_records_its_error_and_does_not_stop_the_others(monkeypatch):
    ran = []

    def boom():
        raise ValueError("kapot")

    monkeypatch.setattr(
        jobs,
        "REGISTRY",
        {
            "a.boom": jobs.Job("a.boom", timedelta(minutes=1), boom),
            "b.fine": jobs.Job("b.fine", timedelta(minutes=1), lambda: ran.append(1)),
        },
    )
    jobs.run_due_jobs("w")
    assert PeriodicJob.objects.get(name="a.boom").last_error == "ValueError: kapot"
    assert ran == [1]


def test_the_worker_command_runs_due_jobs_and_reports_in_healthz(client, counting_job):
    before = client.get("/healthz").json()
    assert before["worker"]["last_job"] is None and before["worker"]["stale"] is True
    call_command("worker", "--once")
    after = client.get("/healthz").json()
    assert counting_job == [1]
    assert after["status"] == "ok" and after["database"] == "ok"
    assert after["worker"]["last_job"] is not None and after["worker"]["stale"] is False


def test_the_outbox_job_is_registered():
    assert "core.send_outbox" in jobs.REGISTRY
