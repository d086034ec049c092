"""What organisers do: check-in, walk-ins, the export, a message to all, cancelling a session."""

from __future__ import annotations

import csv
import io
from datetime import datetime, time, timedelta

from django.db import transaction
from django.db.models import F, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from thuisnet.core.db import retry_on_conflict
from thuisnet.core.geo import municipality_for, normalise_pc4
from thuisnet.core.ics import AMSTERDAM
from thuisnet.core.pagecache import evenings_tag, invalidate

from ..models import EveningSession, Registration, Stage
from .calendar import _cancel_occurrence, feed_changed
from .common import RegistrationData, RegistrationError, Status, _release, _seats_changed, check_in_hours
from .prospects import _ensure_prospects, _prospects_of, _step


def _api():
    from foster import services

    return services


def check_in_window(session: EveningSession) -> tuple[datetime, datetime]:
    """From ``check_in_hours`` before the start until the end of the day it starts."""
    opens = session.starts_at - timedelta(hours=check_in_hours())
    day = timezone.localtime(session.starts_at, AMSTERDAM).date()
    closes = datetime.combine(day + timedelta(days=1), time.min, tzinfo=AMSTERDAM)
    return opens, closes


def check_in_open(session: EveningSession, now=None) -> bool:
    now = now or timezone.now()
    opens, closes = check_in_window(session)
    return session.cancelled_at is None and opens <= now < closes


def _require_check_in_open(session: EveningSession, now) -> None:
    if session.cancelled_at:
        raise RegistrationError("cancelled", _("Deze avond is afgelast; inchecken kan niet."))
    opens, closes = check_in_window(session)
    if now < opens:
        raise RegistrationError(
            "check_in_not_open",
            _("Inchecken kan vanaf %(time)s.")
            % {"time": timezone.localtime(opens, AMSTERDAM).strftime("%d-%m-%Y %H:%M")},
        )
    if now >= closes:
        raise RegistrationError("check_in_closed", _("Inchecken kan alleen op de dag van de avond zelf."))


@retry_on_conflict
def check_in(reg: Registration, *, attended: bool = True, now=None) -> Registration:
    """Mark someone present (or undo it), only on the day itself (``check_in_window``)."""
    now = now or timezone.now()
    reg = Registration.objects.select_for_update(of=("self",)).select_related("session").get(pk=reg.pk)
    _require_check_in_open(reg.session, now)
    if reg.status != Status.CONFIRMED:
        raise RegistrationError("not_confirmed", _("Alleen bevestigde aanmeldingen kun je inchecken."))
    reg.attended_at = now if attended else None
    reg.save(update_fields=["attended_at", "updated_at"])
    if attended:
        for p in _prospects_of(reg):
            if p.stage == Stage.REGISTERED:
                _step(p, Stage.ATTENDED, timezone.localdate(now), None)
    return reg


@retry_on_conflict
def add_walk_in(session: EveningSession, data: RegistrationData, *, now=None) -> Registration:
    """Someone who came without registering, on the day itself. The room takes them, but never
    with a seat the waiting list is owed: free seats beyond what the people waiting need are
    used first; otherwise the walk-in comes on top of the capacity."""
    now = now or timezone.now()
    locked = _api()._lock_session(session.pk)
    _require_check_in_open(locked, now)
    email = data.email.strip().lower()
    existing = Registration.objects.filter(session=session, email=email, anonymised_at__isnull=True).first()
    if existing and existing.status == Status.CONFIRMED:
        return check_in(existing, now=now)
    if existing and existing.holds_seat:  # an open offer: it becomes their seat now
        _release(session.pk, existing.attendees)
    locked.refresh_from_db(fields=["capacity", "held"])
    waiting = Registration.objects.filter(session=session, status=Status.WAITING, anonymised_at__isnull=True)
    if existing:
        waiting = waiting.exclude(pk=existing.pk)
    owed = waiting.aggregate(n=Sum("attendees"))["n"] or 0
    n = data.attendees
    if locked.capacity - locked.held - owed >= n:
        EveningSession.objects.filter(pk=session.pk).update(held=F("held") + n)
    else:
        EveningSession.objects.filter(pk=session.pk).update(capacity=F("capacity") + n, held=F("held") + n)
    _seats_changed(session.pk)
    pc4 = normalise_pc4(data.postcode) or "" if data.postcode else ""
    reg = existing or Registration(session=session, email=email)
    reg.name, reg.phone, reg.postcode = data.name.strip(), data.phone.strip(), pc4
    reg.municipality = municipality_for(pc4) if pc4 else None
    reg.attendees, reg.interests, reg.source = data.attendees, data.interests, data.source
    reg.status, reg.is_walk_in, reg.attended_at, reg.consent_at = (Status.CONFIRMED, True, now, now)
    reg.offer_expires_at = None
    reg.save()
    _ensure_prospects(reg, now)
    for p in _prospects_of(reg):
        if p.stage == Stage.REGISTERED:
            _step(p, Stage.ATTENDED, timezone.localdate(now), None)
    _api()._mail(reg, "walk_in")
    return reg


def export_csv(session: EveningSession) -> str:
    out = io.StringIO()
    w = csv.writer(out, delimiter=";")
    w.writerow(
        [
            _("Naam"),
            _("E-mail"),
            _("Telefoon"),
            _("Postcode"),
            _("Gemeente"),
            _("Personen"),
            _("Interesse"),
            _("Bron"),
            _("Status"),
            _("Binnenloper"),
            _("Aanwezig"),
            _("Aangemeld op"),
        ]
    )
    for r in session.registrations.filter(anonymised_at__isnull=True).select_related("municipality"):
        w.writerow(
            [
                _safe(r.name),
                r.email,
                _safe(r.phone),
                r.postcode,
                r.municipality.name if r.municipality else "",
                r.attendees,
                ", ".join(r.interest_labels),
                r.get_source_display(),
                r.get_status_display(),
                _("ja") if r.is_walk_in else "",
                _("ja") if r.attended_at else "",
                timezone.localtime(r.created_at).strftime("%d-%m-%Y %H:%M"),
            ]
        )
    return out.getvalue()


def _safe(value: str) -> str:
    """No spreadsheet formulas from registrants' input."""
    return "'" + value if value[:1] in ("=", "+", "-", "@") else value


@transaction.atomic
def message_all(session: EveningSession, subject: str, body: str, *, sender) -> int:
    regs = list(
        session.registrations.filter(
            status__in=[Status.CONFIRMED, Status.OFFERED, Status.WAITING], anonymised_at__isnull=True
        ).select_related("session", "session__page")
    )
    for reg in regs:
        extra = {"subject": subject, "body": body, "sender_name": sender.get_full_name()}
        _api()._mail(reg, "message", extra)
    return len(regs)


@retry_on_conflict
def cancel_session(
    session: EveningSession, reason: str, *, now=None, render_now: bool = False, by_series: bool = False
) -> int:
    """Cancel one session: everyone registered or waiting is told, with a cancelled calendar
    file for those who held a seat. ``render_now`` when the facts are about to be deleted.
    ``by_series``: its date was taken out of the series (``calendar._reconcile``), so the
    session reopens if the date comes back; an organiser's cancellation stays."""
    now = now or timezone.now()
    _api()._lock_session(session.pk)
    updated = EveningSession.objects.filter(pk=session.pk, cancelled_at__isnull=True).update(
        cancelled_at=now, cancel_reason=reason, cancelled_by_series=by_series
    )
    if not updated:
        return 0
    session.refresh_from_db()
    regs = list(
        session.registrations.filter(
            status__in=[Status.CONFIRMED, Status.OFFERED, Status.WAITING], anonymised_at__isnull=True
        ).select_related("session", "session__page")
    )
    for reg in regs:
        held = reg.holds_seat
        reg.status = Status.CANCELLED
        reg.offer_expires_at = None
        reg.cancelled_with_session = True
        reg.save(update_fields=["status", "offer_expires_at", "cancelled_with_session", "updated_at"])
        _api()._mail(
            reg, "evening_cancelled", {"reason": reason}, ics="cancel" if held else "", render_now=render_now
        )
    EveningSession.objects.filter(pk=session.pk).update(held=0)
    _cancel_occurrence(session)
    _seats_changed(session.pk)
    return len(regs)


def evening_withdrawn(page) -> int:
    """An evening was unpublished or is being deleted: every session still to come that people
    are registered or waiting for is cancelled through the usual flow (each is told, with a
    cancelled calendar file). Emails are rendered at once: a deleted page takes its facts."""
    now = timezone.now()
    active = [Status.CONFIRMED, Status.OFFERED, Status.WAITING]
    sessions = EveningSession.objects.filter(
        page_id=page.pk,
        cancelled_at__isnull=True,
        ends_at__gte=now,
        registrations__status__in=active,
        registrations__anonymised_at__isnull=True,
    ).distinct()
    reason = _("De avond is van de website gehaald en gaat niet door.")
    told = 0
    for session in sessions:
        told += cancel_session(session, reason, now=now, render_now=True)
    feed_changed()
    invalidate(evenings_tag(page.region_id))
    return told
