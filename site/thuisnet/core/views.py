from __future__ import annotations

from django.conf import settings
from django.db import connection
from django.db.models import Max
from django.http import HttpResponseRedirect, JsonResponse
from django.templatetags.static import static
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from .models import OutboxEmail, WorkerHeartbeat

# The worker beats every tick (a few seconds); five minutes of silence means it is down.
WORKER_STALE_SECONDS = 300


@never_cache
def healthz(request) -> JsonResponse:
    """Is the database answering, and when did the worker last run a job?

    503 when the database does not answer, and, where ``HEALTHZ_REQUIRE_WORKER`` is on
    (production), when the worker has not been seen for five minutes: a load balancer or
    Docker then sees the site as unhealthy instead of a page that queues mail nobody sends.
    """
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # noqa: BLE001 - report, don't crash
        return JsonResponse({"status": "error", "database": f"error: {type(exc).__name__}"}, status=503)
    beats = WorkerHeartbeat.objects.aggregate(seen=Max("seen_at"), job=Max("last_job_at"))
    seen = beats["seen"]
    stale = seen is None or (timezone.now() - seen).total_seconds() > WORKER_STALE_SECONDS
    worker_down = stale and getattr(settings, "HEALTHZ_REQUIRE_WORKER", False)
    return JsonResponse(
        {
            "status": "error" if worker_down else "ok",
            "database": "ok",
            "worker": {
                "last_seen": seen.isoformat() if seen else None,
                "last_job": beats["job"].isoformat() if beats["job"] else None,
                "stale": stale,
            },
            "search_index": __import__("search.indexing", fromlist=["index_lag"]).index_lag(),
            "outbox": {
                "pending": OutboxEmail.objects.filter(sent_at__isnull=True, failed_at__isnull=True).count(),
                "failed": OutboxEmail.objects.filter(failed_at__isnull=False).count(),
            },
        },
        status=503 if worker_down else 200,
    )


def favicon(request) -> HttpResponseRedirect:
    """Browsers ask for /favicon.ico on every site; send them to the static file (cached)."""
    response = HttpResponseRedirect(static("thuisnet/img/favicon.ico"))
    response["Cache-Control"] = "public, max-age=86400"
    return response


@require_GET
def switch_language(request, code: str) -> HttpResponseRedirect:
    """The header's language switch: a link, not a form.

    Django's ``set_language`` takes a POST, so every page carried a form with a CSRF token
    for it, and every anonymous visitor got a csrftoken cookie and a token drawn from the
    system's randomness on every page, cached or not. A language is a display preference,
    harmless to set from a link (``rel="nofollow"`` keeps crawlers off it). Same cookie, same
    checks on ``next`` as ``set_language``; an unknown language changes nothing.
    """
    target = request.GET.get("next") or "/"
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = "/"
    response = HttpResponseRedirect(target)
    if code in dict(settings.LANGUAGES):
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            code,
            max_age=settings.LANGUAGE_COOKIE_AGE,
            path=settings.LANGUAGE_COOKIE_PATH,
            domain=settings.LANGUAGE_COOKIE_DOMAIN,
            secure=settings.LANGUAGE_COOKIE_SECURE,
            httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
            samesite=settings.LANGUAGE_COOKIE_SAMESITE,
        )
    response["Cache-Control"] = "no-store"
    return response
