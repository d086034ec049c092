"""Shared pieces of the recruitment services: settings, errors, the seat ledger, emails.

Seats: ``EveningSession.held`` counts attendees who are confirmed or have an open offer. It
only moves through ``_take`` / ``_release`` (conditional UPDATEs inside the caller's
transaction), and the CHECK ``held <= capacity`` is the last line of defence.

Lock order (the project-wide order is in ``thuisnet.core.db``): every transaction that changes
seats or the waiting list of a session first locks that session's row (``_lock_session``,
``FOR NO KEY UPDATE`` so new registrations' foreign keys do not wait on it), then the
registration (``of=("self",)``: never the evening page joined for reading), then prospects.
So changes to one session queue in one line: the waiting list is numbered in that order and
a position told to a registrant is final when it is told.

Emails about a registration are queued in the transaction that causes them, as facts
(``thuisnet.core.mail.queue_deferred``): the worker renders the text and the calendar file
from the stored registration when it sends (``foster.services.emails``). Only the waiting-list
email is rendered at once, because the place it tells is fixed in that transaction.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _

from thuisnet.core.mail import queue_deferred
from thuisnet.core.pagecache import evenings_tag, invalidate

from ..models import EveningSession, Mode, Registration, VacancyPage

Status = Registration.Status


def offer_hours() -> int:
    return int(getattr(settings, "FOSTER_OFFER_HOURS", 48))


def reminder_days() -> int:
    return int(getattr(settings, "FOSTER_REMINDER_DAYS", 2))


def retention_months() -> int:
    return int(getattr(settings, "FOSTER_RETENTION_MONTHS", 12))


def check_in_hours() -> float:
    """How long before the start organisers may check people in (and add walk-ins)."""
    return float(getattr(settings, "FOSTER_CHECK_IN_HOURS", 2))


class RegistrationError(Exception):
    """A request that cannot be done; ``code`` for the API, ``message`` (Dutch) for people."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass
class RegistrationData:
    name: str
    email: str
    attendees: int
    interests: list[str]
    source: str
    postcode: str = ""
    phone: str = ""
    vacancy: VacancyPage | None = None


@dataclass
class RegistrationResult:
    registration: Registration
    created: bool  # False: this email was already registered for this session


# --- the seat ledger -------------------------------------------------------------------


def _take(session_id: int, n: int) -> bool:
    """Hold ``n`` seats if they fit. One conditional UPDATE: safe under concurrency."""
    taken = (
        EveningSession.objects.filter(
            pk=session_id,
            cancelled_at__isnull=True,
            held__lte=F("capacity") - n,
        ).update(held=F("held") + n)
        == 1
    )
    if taken:
        _seats_changed(session_id)
    return taken


def _release(session_id: int, n: int) -> None:
    if EveningSession.objects.filter(pk=session_id, held__gte=n).update(held=F("held") - n):
        _seats_changed(session_id)


# A session never moves to another region: remember each session's region per process.
_SESSION_REGION: dict[int, int] = {}


def _region_of(session_id: int) -> int | None:
    if session_id not in _SESSION_REGION:
        region_id = (
            EveningSession.objects.filter(pk=session_id).values_list("page__region_id", flat=True).first()
        )
        if region_id is None:
            return None
        _SESSION_REGION[session_id] = region_id
    return _SESSION_REGION[session_id]


def _seats_changed(session_id: int) -> None:
    """The seat badges of this session's region changed: drop that region's cached evening
    pages once the change commits. The region is looked up after the commit, outside the
    registration's transaction (and then remembered)."""

    def drop() -> None:
        region_id = _region_of(session_id)
        invalidate(evenings_tag(region_id) if region_id is not None else "evenings")

    transaction.on_commit(drop, robust=True)


def _lock_session(session_id: int) -> EveningSession:
    """First in the lock order: the session's ledger row (not its page)."""
    return (
        EveningSession.objects.select_for_update(no_key=True, of=("self",))
        .select_related("page", "page__region")
        .get(pk=session_id)
    )


def _lock(reg_pk: int) -> Registration:
    """Lock a registration's session, then the registration itself (the lock order)."""
    from foster import services as api  # through the package: tests patch _lock_session

    session_id = Registration.objects.values_list("session_id", flat=True).get(pk=reg_pk)
    api._lock_session(session_id)
    return (
        Registration.objects.select_for_update(of=("self",))
        .select_related("session", "session__page")
        .get(pk=reg_pk)
    )


# --- emails ----------------------------------------------------------------------------


def _location(page) -> str:
    if page.mode == Mode.ONLINE:
        return _("Online")
    return ", ".join(x for x in (page.venue, page.address) if x)


def _mail(
    reg: Registration,
    template: str,
    extra: dict | None = None,
    *,
    ics: str = "",
    dedupe_key: str | None = None,
    render_now: bool = False,
) -> None:
    """Queue ``foster/email/<template>`` to the registrant, in the caller's transaction.

    ``ics``: "publish" attaches the session's calendar file, "cancel" its cancellation.
    By default the email is stored as facts and rendered by the worker; ``render_now``
    renders it here (for a text that must say what this transaction decided)."""
    from .emails import registration_email_now

    _notify_account(reg, template)
    if render_now:
        registration_email_now(reg, template, extra, ics=ics, dedupe_key=dedupe_key)
        return
    queue_deferred(
        reg.email,
        "foster.services.emails.render_registration_email",
        {"registration": reg.pk, "template": template, "extra": extra or {}, "ics": ics},
        dedupe_key=dedupe_key,
    )


def _notify_titles() -> dict:
    return {
        "confirmation": _("Je bent aangemeld voor %(title)s"),
        "waiting": _("Je staat op de wachtlijst voor %(title)s"),
        "offer": _("Er is een plaats vrij bij %(title)s"),
        "evening_changed": _("Gewijzigd: %(title)s"),
        "evening_cancelled": _("Gaat niet door: %(title)s"),
        "cancelled": _("Je bent afgemeld voor %(title)s"),
    }


def _notify_account(reg: Registration, template: str) -> None:
    """A parent who registered with their account also finds the news in their inbox."""
    if not reg.user_id:
        return
    title = _notify_titles().get(template)
    if title is None:
        return
    from django.urls import reverse

    from thuisnet.accounts.inbox import notify

    notify(
        reg.user,
        kind="event",
        title=title % {"title": reg.session.page.title},
        url=reverse("foster:my_activities"),
    )
