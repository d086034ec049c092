"""The background worker: periodic jobs (outbox, reminders, expiries) and queued tasks."""

from __future__ import annotations

import os
import signal
import socket
import time

from django.conf import settings
from django.core.management.base import BaseCommand

from thuisnet.core.jobs import beat, run_due_jobs


class Command(BaseCommand):
    help = "Runs periodic jobs and the django-tasks database queue until stopped."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--interval", type=float, default=2.0, help="Seconds to sleep when there is nothing to do."
        )
        parser.add_argument(
            "--once", action="store_true", help="Run what is due once and exit (for cron or tests)."
        )

    def handle(self, *args, interval: float, once: bool, **options) -> None:
        worker_id = f"{socket.gethostname()}-{os.getpid()}"[:64]
        self.running = True

        def stop(signum, frame) -> None:
            self.running = False

        signal.signal(signal.SIGINT, stop)
        signal.signal(signal.SIGTERM, stop)
        self.stdout.write(f"Thuisnet worker {worker_id} started.")
        while self.running:
            run_due_jobs(worker_id)
            ran_tasks = self._run_queued_tasks(worker_id)
            if ran_tasks:
                beat(worker_id, job_ran=True)
            if once:
                break
            time.sleep(interval)
        self.stdout.write("Thuisnet worker stopped.")

    def _run_queued_tasks(self, worker_id: str) -> int:
        if "django_tasks_db" not in settings.TASKS["default"]["BACKEND"]:
            return 0
        from django_tasks_db.management.commands.db_worker import Worker

        worker = Worker(
            queue_names=["*"],
            excluded_queue_names=[],
            interval=0,
            batch=True,
            backend_name="default",
            startup_delay=False,
            max_tasks=None,
            worker_id=worker_id,
        )
        worker.run()
        return worker._run_tasks
