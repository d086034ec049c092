"""Replays return the first answer: for API writes (Idempotency-Key) and public forms.

Usage::

    status, body = once("respite.booking", key, principal_of(request.user),
                        lambda: (201, {"id": booking.pk}))

The record is written in the caller's transaction, after the producer ran. Two
concurrent first requests with one key: the unique constraint lets one commit; the
other rolls back with IntegrityError, and ``once`` answers with the stored result.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable

from django.db import IntegrityError, transaction

from .models import IdempotencyRecord


def principal_of(user) -> str:
    if user is not None and getattr(user, "is_authenticated", False):
        return f"user:{user.pk}"
    return ""


def new_form_token() -> str:
    return secrets.token_urlsafe(24)


def lookup(scope: str, key: str, principal: str = "") -> tuple[int, dict] | None:
    rec = IdempotencyRecord.objects.filter(scope=scope, key=key, principal=principal).first()
    return (rec.status_code, rec.body) if rec else None


def once(
    scope: str, key: str | None, principal: str, produce: Callable[[], tuple[int, dict]]
) -> tuple[int, dict]:
    if not key:
        return produce()
    key = key[:255]
    previous = lookup(scope, key, principal)
    if previous is not None:
        return previous
    try:
        with transaction.atomic():
            status, body = produce()
            IdempotencyRecord.objects.create(
                scope=scope, key=key, principal=principal, status_code=status, body=body
            )
    except IntegrityError:
        previous = lookup(scope, key, principal)
        if previous is None:
            raise
        return previous
    return status, body
