from __future__ import annotations

from django.db import connection
from django.db.models import Max
from django.http import JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache

from .models import OutboxEmail, WorkerHeartbeat


@never_cache
def healthz(request) -> JsonResponse:
    """Is the database answering, and when did the worker last run a job?"""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # noqa: BLE001 - report, don't crash
        return JsonResponse({"status": "error", "database": f"error: {type(exc).__name__}"}, status=503)
    beats = WorkerHeartbeat.objects.aggregate(seen=Max("seen_at"), job=Max("last_job_at"))
    seen = beats["seen"]
    stale = seen is None or (timezone.now() - seen).total_seconds() > 300
    return JsonResponse(
        {
            "status": "ok",
            "database": "ok",
            "worker": {
                "last_seen": seen.isoformat() if seen else None,
                "last_job": beats["job"].isoformat() if beats["job"] else None,
                "stale": stale,
            },
            "outbox": {
                "pending": OutboxEmail.objects.filter(sent_at__isnull=True, failed_at__isnull=True).count(),
                "failed": OutboxEmail.objects.filter(failed_at__isnull=False).count(),
            },
        }
    )
