"""Shared API pieces: errors with a code and a Dutch message, and idempotent writes.

Every error body has the shape ``{"code": str, "message": str, "errors": {...}?}``.
Validation errors answer 422 (the request was understood but cannot be done).
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from .idempotency import once, principal_of


class ApiError(exceptions.APIException):
    """Raise with a stable code and a Dutch message: ``ApiError(409, "no_capacity", msg)``."""

    def __init__(self, status_code: int, code: str, message: str, **extra) -> None:
        self.status_code = status_code
        self.code = code
        self.message = message
        self.extra = extra
        super().__init__(detail=message, code=code)


def _flatten(detail) -> dict:
    if isinstance(detail, dict):
        return {k: [str(x) for x in (v if isinstance(v, list) else [v])] for k, v in detail.items()}
    if isinstance(detail, list):
        return {"non_field_errors": [str(x) for x in detail]}
    return {"non_field_errors": [str(detail)]}


def exception_handler(exc, context):
    if isinstance(exc, ApiError):
        return Response({"code": exc.code, "message": exc.message, **exc.extra}, status=exc.status_code)
    if isinstance(exc, exceptions.ValidationError):
        errors = _flatten(exc.detail)
        first = next(iter(errors.values()), [""])[0]
        return Response(
            {
                "code": "invalid",
                "message": _("De invoer klopt niet: %(first)s") % {"first": first},
                "errors": errors,
            },
            status=status.HTTP_422_UNPROCESSABLE_ENTITY,
        )
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    messages = {
        401: ("not_authenticated", _("Log in of stuur een geldig token mee.")),
        403: ("permission_denied", _("Je hebt geen toestemming voor deze handeling.")),
        404: ("not_found", _("Dit bestaat niet (meer).")),
        405: ("method_not_allowed", _("Deze methode is hier niet toegestaan.")),
        429: ("throttled", _("Te veel verzoeken; probeer het later opnieuw.")),
    }
    code, message = messages.get(response.status_code, (getattr(exc, "default_code", "error"), str(exc)))
    response.data = {"code": code, "message": message}
    return response


def idempotent_response(request, scope: str, produce) -> Response:
    """Run ``produce() -> (status, body)`` once per ``Idempotency-Key`` header and caller."""
    key = request.headers.get("Idempotency-Key")
    status_code, body = once(scope, key, principal_of(request.user), produce)
    return Response(body, status=status_code)


def only_public_api(endpoints):
    """drf-spectacular hook: document /api/v1/ only."""
    return [e for e in endpoints if e[0].startswith("/api/v1/")]
