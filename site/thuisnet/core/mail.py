"""The email outbox: queue in the caller's transaction, send from the worker.

A row is marked sent only after the mail server accepted it. If the worker dies
between the server's acceptance and the update, the email goes out again after the
lease expires: at-least-once, never silently lost.

Rendering need not happen in the request: ``queue_deferred(to, renderer, payload)`` stores
only the facts (a dotted path to a renderer and a JSON payload) in the caller's transaction;
the worker calls the renderer once, stores the text and attachments on the row, then sends.
A renderer raises ``Dropped`` when its facts are gone (the person removed their data
meanwhile): the row is closed without sending. Any other error is retried like a failed send.
"""

from __future__ import annotations

import base64
import logging
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMessage, EmailMultiAlternatives, get_connection
from django.db import IntegrityError, transaction
from django.template import TemplateDoesNotExist
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.module_loading import import_string

from .models import OutboxEmail

log = logging.getLogger(__name__)

LEASE = timedelta(minutes=5)
# The facts of a deferred email travel in the row's headers under this key until rendered.
RENDER_KEY = "X-Thuisnet-Render"


@dataclass(frozen=True)
class Attachment:
    filename: str
    content: bytes
    mimetype: str

    def as_json(self) -> dict:
        return {
            "filename": self.filename,
            "mimetype": self.mimetype,
            "content_b64": base64.b64encode(self.content).decode(),
        }


@dataclass
class Rendered:
    """What a deferred email's renderer returns."""

    subject: str
    text: str
    html: str = ""
    attachments: list[Attachment] = field(default_factory=list)


class Dropped(Exception):
    """Raised by a renderer whose facts are gone: the email is closed without sending."""


def queue_email(
    to: str | Iterable[str],
    subject: str,
    body_text: str,
    *,
    body_html: str = "",
    attachments: Iterable[Attachment] = (),
    dedupe_key: str | None = None,
    reply_to: Iterable[str] = (),
    headers: dict | None = None,
    send_after=None,
) -> OutboxEmail | None:
    """Queue one email. With a ``dedupe_key`` already queued, nothing happens (returns None)."""
    recipients = [to] if isinstance(to, str) else list(to)
    row = OutboxEmail(
        to=recipients,
        subject=" ".join(subject.split())[:255],
        body_text=body_text,
        body_html=body_html,
        from_email=settings.DEFAULT_FROM_EMAIL,
        reply_to=list(reply_to),
        headers=headers or {},
        attachments=[a.as_json() for a in attachments],
        dedupe_key=dedupe_key,
        next_attempt_at=send_after or timezone.now(),
    )
    if dedupe_key is None:
        row.save()
        return row
    # A savepoint, so a duplicate does not spoil the caller's transaction.
    try:
        with transaction.atomic():
            row.save()
    except IntegrityError:
        return None
    return row


def queue_templated(
    to: str | Iterable[str],
    template: str,
    context: dict,
    *,
    language: str | None = None,
    **kwargs,
) -> OutboxEmail | None:
    """Render ``<template>_subject.txt``, ``<template>.txt`` and (if present) ``<template>.html``."""
    context = {"base_url": settings.BASE_URL, "site_name": "Thuisnet", **context}
    with translation.override(language or settings.LANGUAGE_CODE):
        subject = render_to_string(f"{template}_subject.txt", context).strip()
        text = render_to_string(f"{template}.txt", context)
        try:
            html = render_to_string(f"{template}.html", context)
        except TemplateDoesNotExist:  # the HTML part is optional
            html = ""
    return queue_email(to, subject, text, body_html=html, **kwargs)


def queue_deferred(
    to: str | Iterable[str],
    renderer: str,
    payload: dict,
    *,
    dedupe_key: str | None = None,
    send_after=None,
) -> OutboxEmail | None:
    """Queue an email as facts: the worker renders it with ``renderer(payload)`` (a dotted path
    to a function returning ``Rendered``) just before sending. ``payload`` must be JSON."""
    return queue_email(
        to,
        "",
        "",
        headers={RENDER_KEY: {"renderer": renderer, "payload": payload}},
        dedupe_key=dedupe_key,
        send_after=send_after,
    )


def queue_message(message: EmailMessage, *, dedupe_key: str | None = None) -> OutboxEmail | None:
    """Queue an already built EmailMessage (as allauth produces them)."""
    html = ""
    for content, mimetype in getattr(message, "alternatives", []) or []:
        if mimetype == "text/html":
            html = content
    attachments = []
    for item in message.attachments:
        filename, content, mimetype = item
        if isinstance(content, str):
            content = content.encode()
        attachments.append(Attachment(filename, content, mimetype or "application/octet-stream"))
    return queue_email(
        message.to,
        message.subject,
        message.body,
        body_html=html,
        attachments=attachments,
        dedupe_key=dedupe_key,
        reply_to=message.reply_to,
        headers=message.extra_headers,
    )


def _backoff(attempts: int) -> timedelta:
    return timedelta(minutes=min(2 ** max(attempts - 1, 0), 240))


def _claim(limit: int) -> list[OutboxEmail]:
    now = timezone.now()
    with transaction.atomic():
        qs = OutboxEmail.objects.filter(
            sent_at__isnull=True, failed_at__isnull=True, next_attempt_at__lte=now
        ).order_by("next_attempt_at", "pk")
        # skip_locked: two workers take different rows instead of waiting on each other.
        rows = list(qs.select_for_update(skip_locked=True)[:limit])
        for row in rows:
            row.attempts += 1
            row.next_attempt_at = now + LEASE
        OutboxEmail.objects.bulk_update(rows, ["attempts", "next_attempt_at"])
    return rows


def _build(row: OutboxEmail) -> EmailMultiAlternatives:
    msg = EmailMultiAlternatives(
        subject=row.subject,
        body=row.body_text,
        from_email=row.from_email or None,
        to=row.to,
        reply_to=row.reply_to or None,
        headers=row.headers or None,
    )
    if row.body_html:
        msg.attach_alternative(row.body_html, "text/html")
    for a in row.attachments:
        msg.attach(a["filename"], base64.b64decode(a["content_b64"]), a["mimetype"])
    return msg


def _render(row: OutboxEmail) -> None:
    """Fill in a deferred row's text and attachments from its facts (once: stored on the row)."""
    spec = row.headers[RENDER_KEY]
    with translation.override(settings.LANGUAGE_CODE):
        rendered = import_string(spec["renderer"])(spec["payload"])
    row.subject = " ".join(rendered.subject.split())[:255]
    row.body_text = rendered.text
    row.body_html = rendered.html
    row.attachments = [a.as_json() for a in rendered.attachments]
    row.headers = {k: v for k, v in row.headers.items() if k != RENDER_KEY}
    row.save(update_fields=["subject", "body_text", "body_html", "attachments", "headers"])


def _failed(row: OutboxEmail, exc: Exception) -> None:
    row.last_error = f"{type(exc).__name__}: {exc}"[:2000]
    if row.attempts >= settings.OUTBOX_MAX_ATTEMPTS:
        row.failed_at = timezone.now()
        log.error("outbox gave up", extra={"outbox_id": row.pk, "error": row.last_error})
    else:
        row.next_attempt_at = timezone.now() + _backoff(row.attempts)
        log.warning("outbox send failed", extra={"outbox_id": row.pk, "error": row.last_error})
    row.save(update_fields=["last_error", "failed_at", "next_attempt_at"])


def send_pending(limit: int = 50) -> dict[str, int]:
    """Send what is due. Returns counts; safe to run in several workers at once."""
    rows = _claim(limit)
    sent = failed = 0
    if not rows:
        return {"sent": 0, "failed": 0}
    connection = get_connection(fail_silently=False)
    for row in rows:
        if RENDER_KEY in (row.headers or {}):
            try:
                _render(row)
            except Dropped as exc:
                log.info("outbox dropped", extra={"outbox_id": row.pk, "reason": str(exc)})
                OutboxEmail.objects.filter(pk=row.pk).update(
                    sent_at=timezone.now(), last_error=f"Niet verstuurd: {exc}"[:2000]
                )
                continue
            except Exception as exc:  # noqa: BLE001 - a renderer's error: try later, visibly
                failed += 1
                _failed(row, exc)
                continue
        try:
            connection.send_messages([_build(row)])
        except Exception as exc:  # noqa: BLE001 - any transport error means: try later
            failed += 1
            _failed(row, exc)
            continue
        sent += 1
        OutboxEmail.objects.filter(pk=row.pk).update(sent_at=timezone.now(), last_error="")
    return {"sent": sent, "failed": failed}
