"""Thank-you events (bedankmoment): the region invites households, each answers through its
personal link (no account needed) with the number of guests and dietary wishes.

A "yes" takes seats from the session's ledger like any registration (never overbooked; the
waiting list when full); a "no" after a "yes" cancels through the usual flow.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from thuisnet.accounts.inbox import notify
from thuisnet.core.db import retry_on_conflict
from thuisnet.core.mail import queue_templated
from thuisnet.core.pii import validate_no_identifiers

from ..models import MAX_GUESTS, EveningPage, EveningSession, Invitation, Registration
from .common import RegistrationError, Status, _release

# The organiser's choice ("pleeggezinnen", ...) and the households' family forms (accounts).
HOUSEHOLD_GROUPS = ("foster", "support", "family_home")


def _api():
    from foster import services

    return services


def _members(household_ids):
    from thuisnet.accounts.models import User

    return User.objects.filter(household_id__in=household_ids, is_active=True).exclude(email="")


@transaction.atomic
def invite(page: EveningPage, groups, *, notify_accounts: bool = True, now=None) -> int:
    """Invite the region's households of ``groups`` (foster, support, family_home) not yet
    invited: one invitation each, an email and an inbox notification to every member with an
    account. Returns how many households were invited now."""
    from thuisnet.accounts.models import Household

    now = now or timezone.now()
    groups = [g for g in groups if g in HOUSEHOLD_GROUPS]
    if not page.by_invitation or not groups:
        return 0
    households = list(
        Household.objects.filter(region_id=page.region_id, family_form__in=groups)
        .exclude(pk__in=Invitation.objects.filter(page=page).values("household_id"))
        .order_by("pk")
    )
    invitations = [Invitation(page=page, household=h, invited_at=now) for h in households]
    for inv in invitations:
        inv.token = secrets.token_urlsafe(32)
    Invitation.objects.bulk_create(invitations)
    by_household = {inv.household_id: inv for inv in invitations}
    session = _session_of(page)
    for member in _members(by_household):
        inv = by_household[member.household_id]
        queue_templated(
            member.email,
            "foster/email/invitation",
            {"invitation": inv, "page": page, "session": session, "household": inv.household},
            dedupe_key=f"foster-invitation-{inv.pk}-{member.pk}",
        )
        if notify_accounts:
            notify(
                member,
                kind="event",
                title=_("Je bent uitgenodigd voor %(title)s") % {"title": page.title},
                url=inv.get_absolute_url(),
            )
    return len(invitations)


def _session_of(page: EveningPage, now=None) -> EveningSession | None:
    now = now or timezone.now()
    return (
        EveningSession.objects.filter(page=page, cancelled_at__isnull=True, ends_at__gte=now)
        .order_by("starts_at")
        .first()
    )


def get_invitation(token: str) -> Invitation:
    inv = (
        Invitation.objects.select_related("page", "household", "registration").filter(token=token).first()
        if token
        else None
    )
    if inv is None:
        raise RegistrationError(
            "invalid_link",
            _(
                "Deze link klopt niet of is niet meer geldig. Controleer of je "
                "de hele link uit de e-mail hebt gebruikt."
            ),
        )
    return inv


@dataclass
class Answer:
    coming: bool
    guests: int = 0
    dietary: str = ""
    email: str = ""


def _check(answer: Answer) -> None:
    if not answer.coming:
        return
    if not 1 <= answer.guests <= MAX_GUESTS:
        raise RegistrationError(
            "invalid_guests", _("Geef een aantal gasten van 1 tot en met %(n)s.") % {"n": MAX_GUESTS}
        )
    try:
        validate_no_identifiers(answer.dietary)
    except ValidationError as exc:
        raise RegistrationError("invalid_dietary", " ".join(exc.messages)) from None
    if not answer.email:
        raise RegistrationError("invalid_email", _("Vul je e-mailadres in voor de bevestiging."))


def answer_invitation(inv: Invitation, answer: Answer, *, now=None) -> Invitation:
    """Record the household's answer; a yes takes seats (or the waiting list), a changed
    number of guests takes or frees the difference, a no frees the seats."""
    answer.email = (answer.email or "").strip().lower()
    answer.dietary = (answer.dietary or "").strip()
    _check(answer)
    return _answer(inv.pk, answer, now)


@retry_on_conflict
@transaction.atomic
def _answer(inv_id: int, answer: Answer, now) -> Invitation:
    from .registration import _check_open, _lock_with_earlier, cancel
    from .waiting import _offer_next

    api = _api()
    inv = Invitation.objects.select_for_update().select_related("page", "household").get(pk=inv_id)
    now = now or timezone.now()
    reg = inv.registration
    active = reg is not None and reg.status in (Status.CONFIRMED, Status.OFFERED, Status.WAITING)
    if not answer.coming:
        if active:
            cancel(reg, now=now)
        inv.coming, inv.guests, inv.dietary = False, 0, ""
    elif active:
        reg = api._lock(reg.pk)
        if now >= reg.session.starts_at:
            raise RegistrationError("started", _("Het bedankmoment is al begonnen; wijzigen kan niet meer."))
        delta = answer.guests - reg.attendees
        if reg.holds_seat and delta > 0 and not api._take(reg.session_id, delta):
            raise RegistrationError(
                "full",
                _("Er is geen plaats meer voor meer gasten. Je antwoord voor %(n)s gasten blijft staan.")
                % {"n": reg.attendees},
            )
        if reg.holds_seat and delta < 0:
            _release(reg.session_id, -delta)
        reg.attendees, reg.dietary = answer.guests, answer.dietary
        reg.save(update_fields=["attendees", "dietary", "updated_at"])
        if reg.holds_seat and delta < 0:
            _offer_next(reg.session, now)
        if delta:
            api._mail(reg, "changed")
        inv.coming, inv.guests, inv.dietary = True, answer.guests, answer.dietary
    else:
        session = _session_of(inv.page, now)
        if session is None:
            raise RegistrationError("cancelled", _("Dit bedankmoment gaat niet door."))
        session, existing = _lock_with_earlier(session.pk, answer.email)
        _check_open(session, now)
        if existing and existing.status not in (Status.CANCELLED, Status.EXPIRED):
            raise RegistrationError(
                "taken", _("Met dit e-mailadres is al iemand aangemeld. Kies een ander e-mailadres.")
            )
        member = _members([inv.household_id]).filter(email__iexact=answer.email).first()
        reg = existing or Registration(session=session, email=answer.email)
        reg.session = session
        reg.user = member
        reg.name = inv.household.display_name[:120]
        reg.attendees = answer.guests
        reg.dietary = answer.dietary
        reg.consent_at = now
        reg.offer_expires_at = None
        reg.created_at = now
        fits = session.held + answer.guests <= session.capacity
        reg.status = Status.CONFIRMED if fits and api._take(session.pk, answer.guests) else Status.WAITING
        reg.save()
        if reg.status == Status.CONFIRMED:
            api._mail(reg, "confirmation", ics="publish")
        else:
            from .registration import waiting_position

            api._mail(reg, "waiting", {"position": waiting_position(reg)}, render_now=True)
        inv.registration = reg
        inv.coming, inv.guests, inv.dietary = True, answer.guests, answer.dietary
    inv.answered_at = now
    inv.save()
    return inv
