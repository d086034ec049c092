"""Write to the append-only audit log. Every read of placement or child data by staff."""

from __future__ import annotations

from django.http import HttpRequest

from .models import AuditLog
from .net import client_ip


def record(
    actor,
    action: str,
    object_type: str,
    object_ref: str = "",
    *,
    request: HttpRequest | None = None,
    **detail,
) -> AuditLog:
    ip = None
    if request is not None:
        ip = client_ip(request) or None
    authenticated = actor is not None and getattr(actor, "is_authenticated", False)
    return AuditLog.objects.create(
        actor=actor if authenticated else None,
        actor_label=str(actor.email) if authenticated else "system",
        action=action,
        object_type=object_type,
        object_ref=str(object_ref)[:255],
        detail=detail,
        ip=ip,
    )
