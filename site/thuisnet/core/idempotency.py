"""Replays return the first answer: for API writes (Idempotency-Key) and public forms.

Usage::

    status, body = once("respite.booking", key, principal, lambda: (201, {"id": booking.pk}),
                        fingerprint=request_fingerprint(...))

How a key is kept safe:

- **Scoped to the caller.** A record is found by (scope, key, principal). The principal is
  the signed-in user (session or token: a token belongs to one user), else a client-held
  token (the ``Idempotency-Client`` header, hashed), else the request's own fingerprint. So
  an anonymous caller can only ever get back the answer to a request with exactly the body
  it sent itself: knowing someone's key is not enough to read their answer.
- **Bound to the request.** The record keeps a fingerprint (sha256 of method, path and
  canonical body). The same key with another request raises ``IdempotencyConflict`` (the
  API answers 422) instead of silently replaying the old answer.
- **Safe under concurrent replay.** The record is inserted *first*, in the transaction that
  then runs the producer and stores its answer. A concurrent request with the same key
  blocks on the unique constraint until that transaction ends (PostgreSQL waits for the
  uncommitted row; SQLite serialises write transactions): if it committed, the waiter reads
  and returns the stored answer; if it rolled back (the producer raised), the waiter runs the
  producer itself. The wait is bounded (``IDEMPOTENCY_WAIT_SECONDS``, PostgreSQL's
  ``lock_timeout``); past it, ``IdempotencyBusy`` (the API answers 409 ``request_in_progress``).
  Because answer and effect commit together, no half-done "in progress" row outlives a crash.

Errors raised by the producer are not stored: a retry with the same key runs again.
"""

from __future__ import annotations

import hashlib
import json
import secrets
from collections.abc import Callable

from django.conf import settings
from django.db import IntegrityError, OperationalError, connection, transaction
from django.utils.translation import gettext as _

from .models import IdempotencyRecord


class IdempotencyConflict(Exception):
    """The key was used before for a different request."""


class IdempotencyBusy(Exception):
    """The first request with this key is still running after the bounded wait."""


def form_fingerprint(request) -> str:
    """The fingerprint of a form POST, without its one-time token: the same token sent again
    with other details (a shared tablet at an evening, a back button) is another request,
    never a replay of someone else's answer."""
    data = request.POST.copy()
    data.pop("form_token", None)
    return fingerprint("POST", request.path, data)


def form_replay_message(exc: Exception) -> str:
    """What a page says when a form's one-time token cannot be used (Dutch, at the form)."""
    if isinstance(exc, IdempotencyConflict):
        return _(
            "Dit formulier is al eens verstuurd met andere gegevens. Controleer wat je invulde en "
            "verstuur het opnieuw."
        )
    return _("We verwerken dit formulier nog. Wacht even en verstuur het dan opnieuw.")


def principal_of(user) -> str:
    if user is not None and getattr(user, "is_authenticated", False):
        return f"user:{user.pk}"
    return ""


def new_form_token() -> str:
    return secrets.token_urlsafe(24)


def _canonical(value):
    if hasattr(value, "lists"):  # QueryDict: every value, in a stable order
        return {k: sorted(str(v) for v in vs) for k, vs in sorted(value.lists())}
    if isinstance(value, dict):
        return {str(k): _canonical(v) for k, v in sorted(value.items(), key=lambda kv: str(kv[0]))}
    if isinstance(value, list | tuple):
        return [_canonical(v) for v in value]
    if hasattr(value, "read") and hasattr(value, "size"):  # an uploaded file
        return {"file": getattr(value, "name", ""), "size": value.size}
    return value


def fingerprint(method: str, path: str, body) -> str:
    """sha256 over method, path (with sorted query) and the body with keys in order."""
    data = json.dumps(
        [method.upper(), path, _canonical(body)], sort_keys=True, separators=(",", ":"), default=str
    )
    return hashlib.sha256(data.encode()).hexdigest()


def lookup(scope: str, key: str, principal: str = "", fingerprint: str = "") -> tuple[int, dict] | None:
    rec = (
        IdempotencyRecord.objects.filter(scope=scope, key=key[:255], principal=principal)
        .only("status_code", "body", "fingerprint")
        .first()
    )
    if rec is None:
        return None
    if fingerprint and rec.fingerprint and fingerprint != rec.fingerprint:
        raise IdempotencyConflict(key)
    return rec.status_code, rec.body


def _wait_seconds() -> int:
    return int(getattr(settings, "IDEMPOTENCY_WAIT_SECONDS", 20))


def _claim(scope: str, key: str, principal: str, fp: str) -> IdempotencyRecord | None:
    """Insert the record (inside the caller's transaction); None when another holds the key."""
    bounded = connection.vendor == "postgresql"
    if bounded:
        with connection.cursor() as cur:
            cur.execute(
                "SELECT current_setting('lock_timeout'), set_config('lock_timeout', %s, true)",
                [f"{_wait_seconds()}s"],
            )
            previous = cur.fetchone()[0]
    try:
        with transaction.atomic():
            return IdempotencyRecord.objects.create(
                scope=scope, key=key, principal=principal, fingerprint=fp, status_code=0, body={}
            )
    except IntegrityError:
        return None
    except OperationalError as exc:
        if getattr(exc.__cause__, "sqlstate", None) == "55P03":  # lock_not_available
            raise IdempotencyBusy(key) from exc
        raise
    finally:
        if bounded:
            with connection.cursor() as cur:
                cur.execute("SELECT set_config('lock_timeout', %s, true)", [previous])


def once(
    scope: str,
    key: str | None,
    principal: str,
    produce: Callable[[], tuple[int, dict]],
    *,
    fingerprint: str = "",
) -> tuple[int, dict]:
    """Run ``produce() -> (status, body)`` once per (scope, key, principal); replay after."""
    if not key:
        return produce()
    key = key[:255]
    for _attempt in range(3):
        previous = lookup(scope, key, principal, fingerprint)
        if previous is not None:
            return previous
        with transaction.atomic():
            record = _claim(scope, key, principal, fingerprint)
            if record is not None:
                status, body = produce()
                record.status_code, record.body = status, body
                record.save(update_fields=["status_code", "body"])
                return status, body
        # Another request with this key committed first: loop to read its answer. (Only a
        # purge of old records between the insert and the read makes a second round needed.)
    raise IdempotencyBusy(key)
