"""The handover on acceptance: what each side of an accepted stay may know of the other.

The parent gets the place's address, arrival and departure times, what to bring and a contact
phone (in the email, the calendar file and the booking page). The provider or host family gets
the household's name, phone and the foster care worker's organisation, from acceptance until
``CHILD_VISIBLE_DAYS`` after the stay (the window of the child's details); every page that
shows them writes an audit row (``HOUSEHOLD_AUDIT_TYPE``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, time, timedelta

from django.utils import timezone

from ..models import Booking, Part
from .base import CHILD_VISIBLE_DAYS, NIGHT_END, NIGHT_START, PART_TIMES

HOUSEHOLD_AUDIT_TYPE = "respite.booking.household"


@dataclass
class ForParent:
    address: str
    arrival: time
    departure: time
    what_to_bring: str
    phone: str

    def location(self) -> str:
        return self.address

    def description(self) -> str:
        lines = [
            f"Aankomst vanaf {self.arrival:%H:%M}, vertrek uiterlijk {self.departure:%H:%M}.",
        ]
        if self.what_to_bring:
            lines.append(f"Meenemen: {self.what_to_bring}")
        if self.phone:
            lines.append(f"Contact: {self.phone}")
        return "\n".join(lines)


@dataclass
class ForProvider:
    household: str
    names: list[str]
    phones: list[str]
    worker_organisation: str


def for_parent(booking: Booking) -> ForParent | None:
    """What the parent needs for the stay; None until the stay is accepted."""
    if booking.status != Booking.Status.ACCEPTED:
        return None
    offer = booking.offer
    if booking.part == Part.NIGHT:
        arrival, departure = NIGHT_START, NIGHT_END
    else:
        arrival, departure = PART_TIMES[Part(booking.part)]
    place = ", ".join(p for p in (offer.address, f"{offer.postcode} {offer.municipality}".strip()) if p)
    return ForParent(
        address=place,
        arrival=offer.arrival_time or arrival,
        departure=offer.departure_time or departure,
        what_to_bring=offer.what_to_bring,
        phone=offer.contact_phone or offer.provider.phone,
    )


def provider_may_see_household(booking: Booking, today: date | None = None) -> bool:
    """From acceptance until 30 days after the stay, as the child's details."""
    today = today or timezone.localdate()
    return booking.status == Booking.Status.ACCEPTED and today <= booking.end + timedelta(
        days=CHILD_VISIBLE_DAYS
    )


def for_provider(booking: Booking, today: date | None = None) -> ForProvider | None:
    """The household's name, phones and the foster care worker's organisation, in the window."""
    if not provider_may_see_household(booking, today):
        return None
    household = booking.household
    members = list(household.members.filter(is_active=True).order_by("pk"))
    return ForProvider(
        household=household.display_name,
        names=[m.full_name for m in members if m.full_name],
        phones=[booking.contact_phone] if booking.contact_phone else [],
        worker_organisation=household.provider.name if household.provider_id else "",
    )
