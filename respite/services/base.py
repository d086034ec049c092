"""Shared pieces of the respite services: constants, errors, local time."""

from __future__ import annotations

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from django.utils.translation import gettext as _

from thuisnet.core import disclosure

from ..models import Booking, Part

AMS = ZoneInfo("Europe/Amsterdam")
HORIZON_DAYS = 400  # ledger rows are kept this far ahead; bookings may be made 365 days ahead
BOOKING_HORIZON_DAYS = 365
CHILD_VISIBLE_DAYS = 30
SMALL_CELL = disclosure.THRESHOLD  # counts 1..9 are hidden (thuisnet.core.disclosure)
# When a stay starts and ends, for calendars and cut-offs (local time).
NIGHT_START, NIGHT_END = time(17, 0), time(11, 0)
PART_TIMES = {
    Part.MORNING: (time(8, 0), time(12, 0)),
    Part.AFTERNOON: (time(13, 0), time(17, 0)),
    Part.EVENING: (time(18, 0), time(21, 0)),
}


class RespiteError(Exception):
    """A refusal with a stable code and a Dutch message for the user."""

    status = 422

    def __init__(self, code: str, message: str, **extra) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.extra = extra


class NoCapacity(RespiteError):
    status = 409


class CapacityConflict(RespiteError):
    """Lowering capacity or availability below what is held: lists the bookings in the way."""

    status = 409

    def __init__(self, bookings: list[Booking]) -> None:
        self.bookings = bookings
        listing = ", ".join(
            f"#{b.pk} ({b.start:%d-%m-%Y}–{b.end:%d-%m-%Y}, {b.get_status_display()})" for b in bookings
        )
        super().__init__(
            "capacity_in_use",
            _(
                "Dit kan niet: op sommige nachten of dagdelen zijn meer plekken vastgehouden dan er "
                "dan over zijn. Deze aanvragen zitten in de weg: %(list)s. Annuleer of verplaats ze eerst."
            )
            % {"list": listing},
            bookings=[b.pk for b in bookings],
        )


def local_dt(day: date, at: time) -> datetime:
    return datetime.combine(day, at, tzinfo=AMS)


def stay_start(booking_or_offer, start: date, part: str) -> datetime:
    at = NIGHT_START if part == Part.NIGHT else PART_TIMES[Part(part)][0]
    return local_dt(start, at)


def stay_end(end: date, part: str) -> datetime:
    at = NIGHT_END if part == Part.NIGHT else PART_TIMES[Part(part)][1]
    return local_dt(end, at)
