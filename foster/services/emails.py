"""Registration emails, rendered from the stored registration by the worker.

``common._mail`` queues facts (registration, template, extra context, which calendar file);
``render_registration_email`` is called by the outbox worker just before sending
(``thuisnet.core.mail.queue_deferred``). Each calendar file carries the session's stable UID
and the registration's next SEQUENCE, so a calendar replaces the event it had.
"""

from __future__ import annotations

from django.conf import settings
from django.db.models import F
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from thuisnet.core.ics import IcsEvent, ics_attachment
from thuisnet.core.mail import Dropped, Rendered, queue_email

from ..models import Mode, Registration
from .common import _location, offer_hours, retention_months


def _next_sequence(reg: Registration) -> int:
    Registration.objects.filter(pk=reg.pk).update(ics_sequence=F("ics_sequence") + 1)
    reg.ics_sequence = Registration.objects.values_list("ics_sequence", flat=True).get(pk=reg.pk)
    return reg.ics_sequence


def _ics(reg: Registration, *, cancelled: bool = False, sequence: int = 0):
    session, page = reg.session, reg.session.page
    description = _("Je aanmelding: %(url)s") % {"url": reg.personal_url}
    if page.mode == Mode.ONLINE and not cancelled:
        description += "\n" + _("Online deelnemen: %(url)s") % {"url": page.online_url}
    event = IcsEvent(
        uid=session.uid,
        summary=page.title,
        start=session.starts_at,
        end=session.ends_at,
        location=_location(page),
        description=description,
        url=reg.personal_url,
        cancelled=cancelled,
        sequence=sequence,
    )
    return ics_attachment(
        [event], filename="informatieavond.ics", method="CANCEL" if cancelled else "PUBLISH"
    )


def _context(reg: Registration, extra: dict | None) -> dict:
    return {
        "base_url": settings.BASE_URL,
        "site_name": "Thuisnet",
        "registration": reg,
        "session": reg.session,
        "page": reg.session.page,
        "offer_hours": offer_hours(),
        "retention_months": retention_months(),
        **(extra or {}),
    }


def _render(reg: Registration, template: str, extra: dict | None, ics: str) -> Rendered:
    with translation.override(settings.LANGUAGE_CODE):
        context = _context(reg, extra)
        name = f"foster/email/{template}"
        subject = render_to_string(f"{name}_subject.txt", context).strip()
        text = render_to_string(f"{name}.txt", context)
        attachments = []
        if ics in ("publish", "cancel"):
            attachments = [_ics(reg, cancelled=ics == "cancel", sequence=_next_sequence(reg))]
    return Rendered(subject=subject, text=text, attachments=attachments)


def render_registration_email(payload: dict) -> Rendered:
    """The outbox worker's renderer for ``common._mail``."""
    reg = (
        Registration.objects.select_related("session", "session__page")
        .filter(pk=payload["registration"], anonymised_at__isnull=True)
        .first()
    )
    if reg is None:
        raise Dropped("the registration was removed before its email was sent")
    return _render(reg, payload["template"], payload.get("extra"), payload.get("ics", ""))


def registration_email_now(
    reg: Registration, template: str, extra: dict | None, *, ics: str = "", dedupe_key: str | None = None
) -> None:
    """Render and queue at once (the text says what this transaction decided)."""
    r = _render(reg, template, extra, ics)
    queue_email(
        reg.email, r.subject, r.text, body_html=r.html, attachments=r.attachments, dedupe_key=dedupe_key
    )
