"""Answer ``/healthz`` before any other middleware looks at the request.

The health check comes from inside the container network (Docker, compose, a load
balancer) over plain HTTP and with whatever Host header it likes (``127.0.0.1:8000``).
Further down, ``SECURE_SSL_REDIRECT`` would answer 301 (so a dead database looks healthy)
and ``ALLOWED_HOSTS`` would answer 400. The endpoint reads nothing from the request and
sets no cookie, so serving it first is safe.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

HEALTH_PATH = "/healthz"


class HealthCheckMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path_info == HEALTH_PATH:
            from .views import healthz

            return healthz(request)
        return self.get_response(request)
