"""Shared API pieces: errors with a code and a Dutch message, and idempotent writes.

Every error body has the shape ``{"code": str, "message": str, "errors": {...}?}``.
Validation errors answer 422 (the request was understood but cannot be done).
"""

from __future__ import annotations

import hashlib
import json

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from .idempotency import IdempotencyBusy, IdempotencyConflict, fingerprint, once, principal_of


class ApiError(exceptions.APIException):
    """Raise with a stable code and a Dutch message: ``ApiError(409, "no_capacity", msg)``."""

    def __init__(
        self, status_code: int, code: str, message: str, *, retry_after: int | None = None, **extra
    ) -> None:
        self.status_code = status_code
        self.code = code
        self.message = message
        self.extra = extra
        self.retry_after = retry_after
        super().__init__(detail=message, code=code)


def _flatten(detail) -> dict:
    if isinstance(detail, dict):
        return {k: [str(x) for x in (v if isinstance(v, list) else [v])] for k, v in detail.items()}
    if isinstance(detail, list):
        return {"non_field_errors": [str(x) for x in detail]}
    return {"non_field_errors": [str(detail)]}


def exception_handler(exc, context):
    if isinstance(exc, ApiError):
        response = Response({"code": exc.code, "message": exc.message, **exc.extra}, status=exc.status_code)
        if exc.retry_after:
            response["Retry-After"] = str(exc.retry_after)
        return response
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


def request_fingerprint(request) -> str:
    """Method, path with its query sorted, and the parsed body: what makes two requests one."""
    query = sorted(request.query_params.lists()) if hasattr(request, "query_params") else []
    path = request.path + ("?" + json.dumps(query) if query else "")
    return fingerprint(request.method, path, request.data)


def caller_principal(request, request_fp: str) -> str:
    """Whose key this is. See ``thuisnet.core.idempotency`` for why each choice is safe."""
    principal = principal_of(request.user)
    if principal:
        return principal
    client = request.headers.get("Idempotency-Client", "")
    if client:
        if not 16 <= len(client) <= 200:
            raise ApiError(
                422,
                "invalid_idempotency_client",
                _("Idempotency-Client moet een willekeurige code van 16 tot 200 tekens zijn."),
            )
        return "client:" + hashlib.sha256(client.encode()).hexdigest()[:40]
    # No client token: the key is bound to this exact request, so nobody who sends another
    # body can ever see this answer (and whoever sends this body learns nothing new).
    return "anon:" + request_fp[:40]


def idempotent_response(request, scope: str, produce) -> Response:
    """Run ``produce() -> (status, body)`` once per ``Idempotency-Key`` header and caller.

    A replay answers with the stored status and body and the header ``Idempotent-Replayed:
    true``. The same key with another method, path or body answers 422
    ``idempotency_key_reused``; a replay that arrives while the first request still runs waits
    for its answer.
    """
    key = request.headers.get("Idempotency-Key")
    if not key:
        status_code, body = produce()
        return Response(body, status=status_code)
    fp = request_fingerprint(request)
    principal = caller_principal(request, fp)
    ran = []

    def produce_once():
        ran.append(True)
        return produce()

    try:
        status_code, body = once(scope, key, principal, produce_once, fingerprint=fp)
    except IdempotencyConflict:
        raise ApiError(
            422,
            "idempotency_key_reused",
            _(
                "Deze Idempotency-Key is al gebruikt voor een ander verzoek. Gebruik voor elk "
                "nieuw verzoek een nieuwe sleutel."
            ),
        ) from None
    except IdempotencyBusy:
        raise ApiError(
            409,
            "request_in_progress",
            _("Een verzoek met deze Idempotency-Key wordt nog verwerkt. Probeer het zo opnieuw."),
            retry_after=2,
        ) from None
    response = Response(body, status=status_code)
    if not ran:
        response["Idempotent-Replayed"] = "true"
    return response


def only_public_api(endpoints):
    """drf-spectacular hook: document /api/v1/ only."""
    return [e for e in endpoints if e[0].startswith("/api/v1/")]
