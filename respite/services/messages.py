"""A short message thread per booking between the household and the provider.

Only the two sides write; no email addresses are exchanged (a message with one is refused);
the other side is notified in "Mijn meldingen" with a link to the booking.
"""

from __future__ import annotations

import re
from datetime import timedelta

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from thuisnet.accounts.inbox import notify
from thuisnet.accounts.models import Membership

from ..models import Booking, BookingMessage
from .base import CHILD_VISIBLE_DAYS, RespiteError

MAX_LENGTH = 1000
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+")


def thread_open(booking: Booking) -> bool:
    """Messages while a booking is requested or accepted, until 30 days after the stay."""
    return booking.is_holding and timezone.localdate() <= booking.end + timedelta(days=CHILD_VISIBLE_DAYS)


def post_message(user, booking: Booking, body: str, *, from_provider: bool) -> BookingMessage:
    body = (body or "").strip()
    if not body:
        raise RespiteError("empty_message", _("Schrijf een bericht."))
    if len(body) > MAX_LENGTH:
        raise RespiteError(
            "message_too_long", _("Een bericht is hoogstens %(n)s tekens.") % {"n": MAX_LENGTH}
        )
    if _EMAIL.search(body):
        raise RespiteError(
            "email_in_message",
            _("Zet geen e-mailadres in een bericht; jullie houden contact via Thuisnet of de telefoon."),
        )
    if not thread_open(booking):
        raise RespiteError("thread_closed", _("Bij deze aanvraag kun je geen berichten meer sturen."))
    with transaction.atomic():
        message = BookingMessage.objects.create(
            booking=booking, author=user, from_provider=from_provider, body=body
        )
        url = reverse("respite:booking", args=[booking.pk]) + "#berichten"
        title = _("Nieuw bericht over respijtaanvraag %(n)s") % {"n": booking.pk}
        for recipient in _other_side(booking, from_provider):
            if recipient.pk != getattr(user, "pk", None):
                notify(recipient, kind="message", title=title, url=url)
    return message


def _other_side(booking: Booking, from_provider: bool) -> list:
    if from_provider:
        return list(booking.household.members.filter(is_active=True))
    staff = [
        m.user
        for m in Membership.objects.filter(
            organisation_id=booking.offer.provider_id, role="staff", user__is_active=True
        ).select_related("user")
    ]
    host = booking.offer.host_user
    if host is not None and host.is_active and host not in staff:
        staff.append(host)
    return staff
