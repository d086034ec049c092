"""Email to parents and providers (through the outbox) and the calendar file."""

from __future__ import annotations

from django.conf import settings
from django.template import TemplateDoesNotExist
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from thuisnet.accounts.inbox import notify
from thuisnet.accounts.models import Membership
from thuisnet.core.ics import IcsEvent, ics_attachment
from thuisnet.core.mail import Dropped, Rendered, queue_deferred

from ..models import (
    Booking,
    Offer,
)
from .base import stay_end, stay_start
from .handover import for_parent


def provider_recipients(offer: Offer) -> list[str]:
    emails = list(
        # Active accounts only: staff who left keep no mail about children's stays.
        Membership.objects.filter(
            organisation_id=offer.provider_id, role="staff", user__is_active=True
        ).values_list("user__email", flat=True)
    )
    if not emails and offer.provider.email:
        emails = [offer.provider.email]
    if offer.host_user_id and offer.host_user.email not in emails:
        emails.append(offer.host_user.email)
    return emails


def _ics(booking: Booking, cancel: bool = False):
    offer = booking.offer
    handover = for_parent(booking)  # address, times, what to bring, phone: once accepted
    return ics_attachment(
        [
            IcsEvent(
                uid=f"respijt-{booking.pk}@thuisnet",
                summary=f"Respijtopvang: {offer.title}",
                start=stay_start(offer, booking.start, booking.part),
                end=stay_end(booking.end, booking.part),
                location=handover.location() if handover else f"{offer.municipality} ({offer.postcode})",
                sequence=1 if cancel else 0,
                cancelled=cancel,
                description=(
                    f"{offer.provider.name}\n{handover.description()}"
                    if handover
                    else f"{offer.provider.name} {offer.provider.phone}".strip()
                ),
            )
        ],
        filename="respijt.ics",
        method="CANCEL" if cancel else "PUBLISH",
    )


RENDERER = "respite.services.notifications.render"


def parent_recipients(household, requested_by=None) -> list[str]:
    members = [u.email for u in household.members.all()]
    return members or ([requested_by.email] if requested_by is not None and requested_by.email else [])


def _mail_parent(
    booking: Booking,
    event: str,
    *,
    ics: bool = False,
    cancel: bool = False,
    to: list[str] | None = None,
    dedupe: bool = True,
) -> None:
    """Queue the parent's email as facts; the worker renders text and calendar file later."""
    if to is None:
        to = parent_recipients(booking.household, booking.requested_by if booking.requested_by_id else None)
    if to:
        queue_deferred(
            to,
            RENDERER,
            {"booking": booking.pk, "to": "parent", "event": event, "ics": ics, "cancel": cancel},
            dedupe_key=f"respite:{booking.pk}:parent:{event}" if dedupe else None,
        )


def _mail_provider(booking: Booking, event: str, *, to: list[str] | None = None, dedupe: bool = True) -> None:
    to = provider_recipients(booking.offer) if to is None else to
    if to:
        queue_deferred(
            to,
            RENDERER,
            {"booking": booking.pk, "to": "provider", "event": event, "ics": False, "cancel": False},
            dedupe_key=f"respite:{booking.pk}:provider:{event}" if dedupe else None,
        )


STATUS_TITLES = {
    Booking.Status.ACCEPTED: _("Je respijtaanvraag is geaccepteerd"),
    Booking.Status.DECLINED: _("Je respijtaanvraag is afgewezen"),
    Booking.Status.EXPIRED: _("Je respijtaanvraag is verlopen"),
    Booking.Status.CANCELLED: _("Respijtaanvraag geannuleerd"),
    Booking.Status.CANCELLED_BY_PROVIDER: _("De aanbieder heeft je respijtopvang geannuleerd"),
}


def notify_status(booking: Booking) -> None:
    """A status change reaches the household's members in "Mijn meldingen" (with the change's
    transaction), and the provider's staff when the parent cancelled."""
    title = STATUS_TITLES.get(booking.status)
    if title is None:
        return
    url = reverse("respite:booking", args=[booking.pk])
    text = f"{title}: {booking.offer.title} ({booking.start:%d-%m-%Y})"
    for user in booking.household.members.all():
        notify(user, kind="booking", title=text, url=url)
    if booking.status == Booking.Status.CANCELLED:
        staff = Membership.objects.filter(
            organisation_id=booking.offer.provider_id, role="staff", user__is_active=True
        ).select_related("user")
        for m in staff:
            notify(m.user, kind="booking", title=text, url=url)


def render(payload: dict) -> Rendered:
    """The outbox worker's renderer: the email (and calendar file) from the booking's facts."""
    booking = (
        Booking.objects.select_related(
            "offer", "offer__provider", "offer__municipality", "offer__host_user", "household"
        )
        .filter(pk=payload["booking"])
        .first()
    )
    if booking is None:
        raise Dropped(f"respite booking {payload['booking']} is gone")
    template = f"respite/email/{payload['to']}_{payload['event']}"
    context = {
        "base_url": settings.BASE_URL,
        "site_name": "Thuisnet",
        "booking": booking,
        "offer": booking.offer,
        "handover": for_parent(booking) if payload["to"] == "parent" else None,
    }
    subject = render_to_string(f"{template}_subject.txt", context).strip()
    text = render_to_string(f"{template}.txt", context)
    try:
        html = render_to_string(f"{template}.html", context)
    except TemplateDoesNotExist:
        html = ""
    attachments = [_ics(booking, cancel=payload["cancel"])] if payload["ics"] else []
    return Rendered(subject=subject, text=text, html=html, attachments=attachments)
