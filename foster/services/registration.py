"""Registration: take a seat or a place on the waiting list; the personal link's changes.

The registration POST keeps its transaction short: what does not depend on the seat ledger
(the municipality of the postcode, the provider that follows the prospect up) is read before
it; inside it there are five statements on PostgreSQL: lock the session (which also reads an
earlier registration of the same address), take the seats, insert the registration, insert
the prospects with their first step (one statement), queue the email as facts. The email and
its calendar file are rendered by the worker.
"""

from __future__ import annotations

from django.db import IntegrityError
from django.db.models import OuterRef, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from thuisnet.core.db import retry_on_conflict
from thuisnet.core.geo import municipality_for, normalise_pc4

from ..models import EveningSession, Registration
from .common import (
    RegistrationData,
    RegistrationError,
    RegistrationResult,
    Status,
    _release,
)
from .common import _lock_session as _lock_session_default
from .prospects import _ensure_prospects, owner_for


def _api():
    """The package, so tests that monkeypatch ``services._lock_session`` etc. reach us."""
    from foster import services

    return services


def _check_open(session: EveningSession, now=None) -> None:
    now = now or timezone.now()
    if session.cancelled_at:
        raise RegistrationError("cancelled", _("Deze avond gaat niet door. Aanmelden kan niet meer."))
    if not session.page.live:
        raise RegistrationError("not_found", _("Deze avond bestaat niet (meer)."))
    if now >= session.deadline:
        raise RegistrationError(
            "deadline_passed", _("Aanmelden voor deze avond is gesloten: de aanmeldtermijn is voorbij.")
        )


def _clean_postcode(raw: str) -> str:
    if not raw:
        return ""
    pc4 = normalise_pc4(raw) or ""
    if not pc4:
        raise RegistrationError(
            "invalid_postcode", _("Vul een postcode in van 4 cijfers, bijvoorbeeld 7411.")
        )
    return pc4


def _invitation_only() -> str:
    return _("Voor dit bedankmoment word je uitgenodigd. Antwoorden gaat via de link in je uitnodiging.")


def register(session: EveningSession, data: RegistrationData, *, now=None) -> RegistrationResult:
    """Register for a session: a seat if it fits, else the waiting list. Same email: same row."""
    email = data.email.strip().lower()
    if session.page.by_invitation:
        raise RegistrationError("invitation_only", _invitation_only())
    if session.page.for_parents:
        # A theme evening: parents register with their account (register_parent), no prospect.
        raise RegistrationError(
            "account_required",
            _("Voor een thema-avond meld je je aan met je account als pleeg-, steun- of gezinshuisouder."),
        )
    if data.attendees not in (1, 2):
        raise RegistrationError("invalid_attendees", _("Je kunt je met 1 of 2 personen aanmelden."))
    pc4 = _clean_postcode(data.postcode)
    # Read outside the transaction: neither depends on the seats.
    municipality = municipality_for(pc4) if pc4 else None
    page = session.page
    owner = data.vacancy.provider if data.vacancy else owner_for(page, municipality)
    try:
        return _register(session.pk, data, email, pc4, municipality, owner, now)
    except IntegrityError:
        # The same email registered at the same moment: the other request won.
        existing = Registration.objects.get(session=session, email=email, anonymised_at__isnull=True)
        return RegistrationResult(existing, created=False)


def _lock_with_earlier(session_id: int, email: str) -> tuple[EveningSession, Registration | None]:
    """Lock the session and find an earlier registration of ``email``, in one statement."""
    api = _api()
    if api._lock_session is not _lock_session_default:  # a test replaced the lock
        session = api._lock_session(session_id)
        earlier_id = (
            Registration.objects.filter(session_id=session_id, email=email, anonymised_at__isnull=True)
            .values_list("pk", flat=True)
            .first()
        )
    else:
        earlier = Registration.objects.filter(session=OuterRef("pk"), email=email, anonymised_at__isnull=True)
        session = (
            EveningSession.objects.select_for_update(no_key=True, of=("self",))
            .select_related("page", "page__region")
            .annotate(earlier_id=Subquery(earlier.values("pk")[:1]))
            .get(pk=session_id)
        )
        earlier_id = session.earlier_id
    existing = Registration.objects.get(pk=earlier_id) if earlier_id else None
    return session, existing


@retry_on_conflict
def _register(
    session_id: int, data: RegistrationData, email: str, pc4: str, municipality, owner, now
) -> RegistrationResult:
    session, existing = _lock_with_earlier(session_id, email)
    # The clock is read once the lock is held: the waiting list is ordered by created_at, so
    # that order must be the order in which registrations took their place in the queue.
    now = now or timezone.now()
    _check_open(session, now)
    if existing and existing.status not in (Status.CANCELLED, Status.EXPIRED):
        return RegistrationResult(existing, created=False)
    reg = existing or Registration(session=session, email=email)
    reg.session = session
    reg.name = data.name.strip()
    reg.phone = data.phone.strip()
    reg.postcode = pc4
    reg.municipality = municipality
    reg.attendees = data.attendees
    reg.interests = list(dict.fromkeys(data.interests))
    reg.source = data.source
    reg.vacancy = data.vacancy
    reg.consent_at = now
    reg.offer_expires_at = None
    reg.created_at = now
    _seat_or_wait(session, reg, data.attendees)
    _ensure_prospects(reg, now, owner=owner)
    _tell_placed(reg)
    return RegistrationResult(reg, created=True)


def _seat_or_wait(session: EveningSession, reg: Registration, attendees: int) -> None:
    """Under the session's lock: a seat when it fits, else the waiting list; the row is saved.
    The row read under the lock is current, so a full evening needs no UPDATE at all."""
    fits = session.held + attendees <= session.capacity
    reg.status = Status.CONFIRMED if fits and _api()._take(session.pk, attendees) else Status.WAITING
    reg.save()


def _tell_placed(reg: Registration) -> None:
    """The confirmation (with its calendar file) or the place on the waiting list."""
    if reg.status == Status.CONFIRMED:
        _api()._mail(reg, "confirmation", ics="publish")
    else:
        # The place is told in this transaction, so the text is rendered here.
        _api()._mail(reg, "waiting", {"position": waiting_position(reg)}, render_now=True)


def register_parent(
    session: EveningSession, user, *, attendees: int = 1, childcare_children: int = 0, now=None
) -> RegistrationResult:
    """A parent registers for a theme evening with their account: name and email come from
    the account, no prospect is made. A seat if it fits, else the waiting list."""
    if session.page.by_invitation:
        raise RegistrationError("invitation_only", _invitation_only())
    if attendees not in (1, 2):
        raise RegistrationError("invalid_attendees", _("Je kunt je met 1 of 2 personen aanmelden."))
    if childcare_children < 0 or childcare_children > 8:
        raise RegistrationError("invalid_childcare", _("Geef een aantal kinderen van 0 tot en met 8."))
    email = (user.email or "").strip().lower()
    try:
        return _register_parent(session.pk, user, email, attendees, childcare_children, now)
    except IntegrityError:
        existing = Registration.objects.get(session=session, email=email, anonymised_at__isnull=True)
        return RegistrationResult(existing, created=False)


@retry_on_conflict
def _register_parent(session_id: int, user, email: str, attendees: int, childcare: int, now):
    session, existing = _lock_with_earlier(session_id, email)
    now = now or timezone.now()
    _check_open(session, now)
    if existing and existing.status not in (Status.CANCELLED, Status.EXPIRED):
        return RegistrationResult(existing, created=False)
    reg = existing or Registration(session=session, email=email)
    reg.session = session
    reg.user = user
    reg.name = (user.full_name or email).strip()[:120]
    reg.attendees = attendees
    reg.childcare_children = childcare if session.page.childcare else 0
    reg.consent_at = now
    reg.offer_expires_at = None
    reg.created_at = now
    _seat_or_wait(session, reg, attendees)
    _tell_placed(reg)
    return RegistrationResult(reg, created=True)


def tell_already_registered(reg: Registration, *, now=None) -> None:
    """Someone registered this address again: tell its owner (at most once an hour)."""
    now = now or timezone.now()
    _api()._mail(reg, "again", dedupe_key=f"foster-again-{reg.pk}-{now:%Y%m%d%H}")


def waiting_position(reg: Registration) -> int | None:
    if reg.status != Status.WAITING:
        return None
    return (
        Registration.objects.filter(
            session_id=reg.session_id, status=Status.WAITING, created_at__lte=reg.created_at
        )
        .exclude(created_at=reg.created_at, pk__gt=reg.pk)
        .count()
    )


def get_by_token(token: str) -> Registration:
    """The registration behind a personal link, or RegistrationError('invalid_link')."""
    reg = (
        (
            Registration.objects.select_related("session", "session__page")
            .filter(token=token, anonymised_at__isnull=True)
            .first()
        )
        if token
        else None
    )
    if reg is None:
        raise RegistrationError(
            "invalid_link",
            _(
                "Deze link klopt niet of is niet meer geldig. Controleer of je "
                "de hele link uit de e-mail hebt gebruikt."
            ),
        )
    return reg


@retry_on_conflict
def change_attendees(reg: Registration, attendees: int, *, now=None) -> Registration:
    from .waiting import _offer_next

    api = _api()
    now = now or timezone.now()
    reg = api._lock(reg.pk)
    if attendees not in (1, 2):
        raise RegistrationError("invalid_attendees", _("Je kunt je met 1 of 2 personen aanmelden."))
    if reg.status in (Status.CANCELLED, Status.EXPIRED):
        raise RegistrationError("not_active", _("Deze aanmelding is niet meer actief."))
    if now >= reg.session.starts_at:
        raise RegistrationError("started", _("De avond is al begonnen; wijzigen kan niet meer."))
    delta = attendees - reg.attendees
    if delta == 0:
        return reg
    if reg.holds_seat:
        if delta > 0 and not api._take(reg.session_id, delta):
            raise RegistrationError(
                "full",
                _(
                    "Er is geen plaats meer voor een extra persoon. Je aanmelding voor "
                    "%(n)s persoon blijft staan."
                )
                % {"n": reg.attendees},
            )
        if delta < 0:
            _release(reg.session_id, -delta)
    reg.attendees = attendees
    reg.save(update_fields=["attendees", "updated_at"])
    if delta < 0:
        _offer_next(reg.session, now)
    api._mail(reg, "changed")
    return reg


@retry_on_conflict
def cancel(reg: Registration, *, now=None) -> Registration:
    from .waiting import _offer_next

    api = _api()
    now = now or timezone.now()
    reg = api._lock(reg.pk)
    if reg.status in (Status.CANCELLED, Status.EXPIRED):
        return reg
    if now >= reg.session.starts_at:
        raise RegistrationError("started", _("De avond is al begonnen; afmelden kan niet meer."))
    held = reg.holds_seat
    reg.status = Status.CANCELLED
    reg.offer_expires_at = None
    reg.save(update_fields=["status", "offer_expires_at", "updated_at"])
    if held:
        _release(reg.session_id, reg.attendees)
        _offer_next(reg.session, now)
    api._mail(reg, "cancelled", ics="cancel" if held else "")
    return reg


@retry_on_conflict
def remove_data(reg: Registration, *, now=None) -> None:
    """Right to erasure from the personal link: release the seat, delete the registration,
    anonymise the prospect records made from it."""
    from .prospects import _anonymise_prospects
    from .waiting import _offer_next

    now = now or timezone.now()
    reg = _api()._lock(reg.pk)
    if reg.holds_seat and now < reg.session.starts_at:
        _release(reg.session_id, reg.attendees)
        _offer_next(reg.session, now)
    elif reg.holds_seat:
        _release(reg.session_id, reg.attendees)
    _anonymise_prospects(reg.session.page.region_id, reg.email, now, only_stalled=False)
    reg.delete()
