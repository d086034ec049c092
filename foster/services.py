"""The only way other code changes recruitment state. Views parse, authorise, call one of these.

Seats: ``EveningSession.held`` counts attendees who are confirmed or have an open offer. It
only moves through ``_take`` / ``_release`` (conditional UPDATEs inside the caller's
transaction), and the CHECK ``held <= capacity`` is the last line of defence.

Lock order (the project-wide order is in ``thuisnet.core.db``): every transaction that changes
seats or the waiting list of a session first locks that session's row (``_lock_session``,
``FOR NO KEY UPDATE`` so new registrations' foreign keys do not wait on it), then the
registration (``of=("self",)``: never the evening page joined for reading), then prospects.
So changes to one session queue in one line: the waiting list is numbered in that order and
a position told to a registrant is final when it is told.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.db.models.functions import Greatest
from django.utils import timezone
from django.utils.translation import gettext as _

from thuisnet.core.db import retry_on_conflict
from thuisnet.core.geo import municipality_for, normalise_pc4
from thuisnet.core.ics import AMSTERDAM, IcsEvent, ics_attachment
from thuisnet.core.mail import queue_templated

from .models import (
    CLOSED,
    FUNNEL,
    EveningEvent,
    EveningPage,
    EveningSession,
    Mode,
    Prospect,
    ProspectStep,
    Registration,
    Source,
    Stage,
    VacancyPage,
)

Status = Registration.Status


def offer_hours() -> int:
    return int(getattr(settings, "FOSTER_OFFER_HOURS", 48))


def reminder_days() -> int:
    return int(getattr(settings, "FOSTER_REMINDER_DAYS", 2))


def retention_months() -> int:
    return int(getattr(settings, "FOSTER_RETENTION_MONTHS", 12))


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
    return (
        EveningSession.objects.filter(
            pk=session_id,
            cancelled_at__isnull=True,
            held__lte=F("capacity") - n,
        ).update(held=F("held") + n)
        == 1
    )


def _release(session_id: int, n: int) -> None:
    EveningSession.objects.filter(pk=session_id, held__gte=n).update(held=F("held") - n)


def _lock_session(session_id: int) -> EveningSession:
    """First in the lock order: the session's ledger row (not its page)."""
    return (
        EveningSession.objects.select_for_update(no_key=True, of=("self",))
        .select_related("page", "page__region")
        .get(pk=session_id)
    )


def _lock(reg_pk: int) -> Registration:
    """Lock a registration's session, then the registration itself (the lock order)."""
    session_id = Registration.objects.values_list("session_id", flat=True).get(pk=reg_pk)
    _lock_session(session_id)
    return (
        Registration.objects.select_for_update(of=("self",))
        .select_related("session", "session__page")
        .get(pk=reg_pk)
    )


# --- the schedule ----------------------------------------------------------------------


def calendar_for(region):
    from schedule.models import Calendar

    cal, _created = Calendar.objects.get_or_create(
        slug=f"avonden-{region.slug}", defaults={"name": f"Informatieavonden {region.name}"}
    )
    return cal


def _rule(frequency: str):
    from schedule.models import Rule

    rule, _created = Rule.objects.get_or_create(
        name=frequency.lower(), frequency=frequency, defaults={"description": f"Thuisnet {frequency.lower()}"}
    )
    return rule


def occurrences(
    page: EveningPage, start: datetime, end: datetime, *, cancelled: bool = False
) -> list[tuple[datetime, datetime]]:
    """(start, end) pairs of the page's event between ``start`` and ``end``, Amsterdam time.
    Cancelled occurrences only with ``cancelled=True``."""
    link = EveningEvent.objects.filter(page=page).select_related("event").first()
    if link is None:
        return []
    return _event_occurrences(link.event, start, end, cancelled=cancelled)


def _event_occurrences(
    event, start: datetime, end: datetime, *, cancelled: bool = False, prefetched: bool = False
) -> list[tuple[datetime, datetime]]:
    # With ``prefetched`` the caller fetched the event's rule and persisted occurrences for
    # many events at once; django-scheduler then must not reload them one event at a time.
    occ = event.get_occurrences(
        start.astimezone(AMSTERDAM), end.astimezone(AMSTERDAM), clear_prefetch=not prefetched
    )
    return [
        (o.start.astimezone(AMSTERDAM), o.end.astimezone(AMSTERDAM))
        for o in occ
        if cancelled or not o.cancelled
    ]


@transaction.atomic
def sync_evening(page: EveningPage) -> list[EveningSession]:
    """Mirror a published evening into the region calendar and its session ledgers."""
    from schedule.models import Event

    page = EveningPage.objects.get(pk=page.pk)  # the live version
    calendar = calendar_for(page.region)
    until = None
    if page.repeat and page.repeat_until:
        until = datetime.combine(page.repeat_until, datetime.max.time(), tzinfo=AMSTERDAM)
    fields = {
        "title": page.title,
        "start": page.starts_at,
        "end": page.ends_at,
        "calendar": calendar,
        "description": page.search_description or "",
        "rule": _rule(page.repeat) if page.repeat else None,
        "end_recurring_period": until,
    }
    link = EveningEvent.objects.filter(page=page).select_related("event").first()
    if link is None:
        event = Event.objects.create(**fields)
        EveningEvent.objects.create(page=page, event=event)
    else:
        for k, v in fields.items():
            setattr(link.event, k, v)
        link.event.save()
    horizon = max(page.starts_at, timezone.now()) + timedelta(days=400)
    wanted = occurrences(page, page.starts_at - timedelta(minutes=1), horizon, cancelled=True)[:60]
    starts = {s for s, _e in wanted}
    for s, e in wanted:
        session, created = EveningSession.objects.get_or_create(
            page=page, starts_at=s, defaults={"ends_at": e, "capacity": page.capacity}
        )
        if not created:
            # Never below what is already held.
            EveningSession.objects.filter(pk=session.pk).update(
                ends_at=e, capacity=Greatest(F("held"), page.capacity)
            )
    # Dropped occurrences without anyone registered disappear; others stay for the organiser.
    EveningSession.objects.filter(page=page, starts_at__gt=timezone.now()).exclude(
        starts_at__in=starts
    ).filter(registrations__isnull=True).delete()
    return list(page.sessions.all())


def upcoming_sessions(region=None, *, now=None):
    now = now or timezone.now()
    qs = (
        EveningSession.objects.filter(page__live=True, ends_at__gte=now)
        .select_related("page", "page__municipality")
        .order_by("starts_at")
    )
    if region is not None:
        qs = qs.filter(page__region=region)
    return qs


def region_feed(region) -> bytes:
    """The region's calendar as iCal: every occurrence in django-scheduler, a year ahead."""
    from thuisnet.core.ics import build_calendar

    now = timezone.now()
    sessions = {
        (s.page_id, s.starts_at): s
        for s in EveningSession.objects.filter(page__region=region, page__live=True)
    }
    events = []
    # A fixed number of queries whatever the number of evenings: pages, events, their rules
    # and persisted occurrences come in one go (the feed used to fetch each page and event again).
    links = (
        EveningEvent.objects.filter(page__region=region, page__live=True)
        .select_related("page", "event__rule")
        .prefetch_related("event__occurrence_set")
    )
    for link in links:
        page = link.page  # already the EveningPage itself
        for start, end in _event_occurrences(
            link.event, now - timedelta(days=31), now + timedelta(days=366), cancelled=True, prefetched=True
        ):
            session = sessions.get((page.pk, start))
            events.append(
                IcsEvent(
                    uid=session.uid if session else f"thuisnet-avond-{page.pk}-{start:%Y%m%dT%H%M}@thuisnet",
                    summary=page.title,
                    start=start,
                    end=end,
                    location=_location(page),
                    url=settings.BASE_URL + page.url,
                    cancelled=bool(session and session.cancelled_at),
                )
            )
    return build_calendar(events, name=_("Informatieavonden %(region)s") % {"region": region.name})


# --- registration ----------------------------------------------------------------------


def _location(page: EveningPage) -> str:
    if page.mode == Mode.ONLINE:
        return _("Online")
    return ", ".join(x for x in (page.venue, page.address) if x)


def _ics(reg: Registration, *, cancelled: bool = False):
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
        sequence=1 if cancelled else 0,
    )
    return ics_attachment(
        [event], filename="informatieavond.ics", method="CANCEL" if cancelled else "PUBLISH"
    )


def _mail(
    reg: Registration,
    template: str,
    extra: dict | None = None,
    *,
    ics: str = "",
    dedupe_key: str | None = None,
) -> None:
    attachments = []
    if ics == "publish":
        attachments = [_ics(reg)]
    elif ics == "cancel":
        attachments = [_ics(reg, cancelled=True)]
    context = {
        "registration": reg,
        "session": reg.session,
        "page": reg.session.page,
        "offer_hours": offer_hours(),
        "retention_months": retention_months(),
        **(extra or {}),
    }
    queue_templated(
        reg.email, f"foster/email/{template}", context, attachments=attachments, dedupe_key=dedupe_key
    )


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


def register(session: EveningSession, data: RegistrationData, *, now=None) -> RegistrationResult:
    """Register for a session: a seat if it fits, else the waiting list. Same email: same row."""
    email = data.email.strip().lower()
    if data.attendees not in (1, 2):
        raise RegistrationError("invalid_attendees", _("Je kunt je met 1 of 2 personen aanmelden."))
    pc4 = ""
    if data.postcode:
        pc4 = normalise_pc4(data.postcode) or ""
        if not pc4:
            raise RegistrationError(
                "invalid_postcode", _("Vul een postcode in van 4 cijfers, bijvoorbeeld 7411.")
            )
    try:
        return _register(session.pk, data, email, pc4, now)
    except IntegrityError:
        # The same email registered at the same moment: the other request won.
        existing = Registration.objects.get(session=session, email=email, anonymised_at__isnull=True)
        return RegistrationResult(existing, created=False)


@retry_on_conflict
def _register(session_id: int, data: RegistrationData, email: str, pc4: str, now) -> RegistrationResult:
    session = _lock_session(session_id)
    # The clock is read once the lock is held: the waiting list is ordered by created_at, so
    # that order must be the order in which registrations took their place in the queue.
    now = now or timezone.now()
    _check_open(session, now)
    existing = Registration.objects.filter(session=session, email=email, anonymised_at__isnull=True).first()
    if existing and existing.status not in (Status.CANCELLED, Status.EXPIRED):
        return RegistrationResult(existing, created=False)
    reg = existing or Registration(session=session, email=email)
    reg.name = data.name.strip()
    reg.phone = data.phone.strip()
    reg.postcode = pc4
    reg.municipality = municipality_for(pc4) if pc4 else None
    reg.attendees = data.attendees
    reg.interests = list(dict.fromkeys(data.interests))
    reg.source = data.source
    reg.vacancy = data.vacancy
    reg.consent_at = now
    reg.offer_expires_at = None
    reg.created_at = now
    reg.status = Status.CONFIRMED if _take(session.pk, data.attendees) else Status.WAITING
    reg.save()
    _ensure_prospects(reg, now)
    if reg.status == Status.CONFIRMED:
        _mail(reg, "confirmation", ics="publish")
    else:
        _mail(reg, "waiting", {"position": waiting_position(reg)})
    return RegistrationResult(reg, created=True)


def waiting_position(reg: Registration) -> int | None:
    if reg.status != Status.WAITING:
        return None
    return (
        Registration.objects.filter(
            session=reg.session, status=Status.WAITING, created_at__lte=reg.created_at
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
    now = now or timezone.now()
    reg = _lock(reg.pk)
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
        if delta > 0 and not _take(reg.session_id, delta):
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
    _mail(reg, "changed")
    return reg


@retry_on_conflict
def cancel(reg: Registration, *, now=None) -> Registration:
    now = now or timezone.now()
    reg = _lock(reg.pk)
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
    _mail(reg, "cancelled", ics="cancel" if held else "")
    return reg


@retry_on_conflict
def remove_data(reg: Registration, *, now=None) -> None:
    """Right to erasure from the personal link: release the seat, delete the registration,
    anonymise the prospect records made from it."""
    now = now or timezone.now()
    reg = _lock(reg.pk)
    if reg.holds_seat and now < reg.session.starts_at:
        _release(reg.session_id, reg.attendees)
        _offer_next(reg.session, now)
    elif reg.holds_seat:
        _release(reg.session_id, reg.attendees)
    _anonymise_prospects(reg.session.page.region_id, reg.email, now, only_stalled=False)
    reg.delete()


def _offer_next(session: EveningSession, now) -> list[Registration]:
    """Offer freed seats to the waiting list in order (whoever fits), for ``offer_hours``."""
    session = EveningSession.objects.select_related("page").get(pk=session.pk)
    if session.cancelled_at or now >= session.starts_at:
        return []
    offered = []
    waiting = Registration.objects.filter(session=session, status=Status.WAITING).order_by("created_at", "pk")
    for reg in waiting:
        if reg.attendees > session.capacity - session.held:
            continue
        if not _take(session.pk, reg.attendees):
            continue
        session.held += reg.attendees
        reg.status = Status.OFFERED
        reg.offer_expires_at = min(now + timedelta(hours=offer_hours()), session.starts_at)
        reg.save(update_fields=["status", "offer_expires_at", "updated_at"])
        _mail(reg, "offer", dedupe_key=f"foster-offer-{reg.pk}-{int(reg.offer_expires_at.timestamp())}")
        offered.append(reg)
    return offered


def confirm_offer(reg: Registration, *, now=None) -> Registration:
    now = now or timezone.now()
    # Two transactions: an offer that ran out is passed on (and stays passed on) before we refuse.
    if _expire_offer(reg.pk, now):
        raise RegistrationError(
            "offer_expired",
            _("Het aanbod is verlopen; de plaats is aan de volgende op de wachtlijst aangeboden."),
        )
    return _confirm_offer(reg.pk, now)


@retry_on_conflict
def _confirm_offer(pk: int, now) -> Registration:
    reg = _lock(pk)
    if reg.status == Status.CONFIRMED:
        return reg
    if reg.status != Status.OFFERED:
        raise RegistrationError("no_offer", _("Er staat geen plaats voor je klaar."))
    reg.status = Status.CONFIRMED
    reg.offer_expires_at = None
    reg.save(update_fields=["status", "offer_expires_at", "updated_at"])
    _mail(reg, "confirmation", ics="publish")
    return reg


def _expire(reg: Registration, now) -> None:
    reg.status = Status.EXPIRED
    reg.offer_expires_at = None
    reg.save(update_fields=["status", "offer_expires_at", "updated_at"])
    _release(reg.session_id, reg.attendees)
    _mail(reg, "offer_expired")
    _offer_next(reg.session, now)


def expire_offers(*, now=None) -> int:
    """Pass unconfirmed offers on. Idempotent: each row is claimed under a row lock."""
    now = now or timezone.now()
    count = 0
    ids = list(
        Registration.objects.filter(status=Status.OFFERED, offer_expires_at__lte=now).values_list(
            "pk", flat=True
        )
    )
    for pk in ids:
        count += _expire_offer(pk, now)
    return count


@retry_on_conflict
def _expire_offer(pk: int, now) -> bool:
    try:
        reg = _lock(pk)
    except Registration.DoesNotExist:  # removed through the personal link meanwhile
        return False
    if reg.status != Status.OFFERED or not reg.offer_expires_at or reg.offer_expires_at > now:
        return False  # confirmed, cancelled or renewed meanwhile
    _expire(reg, now)
    return True


def send_reminders(*, now=None) -> int:
    """Remind confirmed registrants ``reminder_days`` before. Exactly once per registration:
    claimed with a conditional UPDATE, and the outbox dedupe key guards a second time."""
    now = now or timezone.now()
    horizon = now + timedelta(days=reminder_days())
    due = Registration.objects.filter(
        status=Status.CONFIRMED,
        reminder_sent_at__isnull=True,
        anonymised_at__isnull=True,
        session__cancelled_at__isnull=True,
        session__starts_at__gt=now,
        session__starts_at__lte=horizon,
    ).values_list("pk", flat=True)
    sent = 0
    for pk in list(due):
        with transaction.atomic():
            if (
                Registration.objects.filter(pk=pk, reminder_sent_at__isnull=True).update(reminder_sent_at=now)
                != 1
            ):
                continue
            reg = Registration.objects.select_related("session", "session__page").get(pk=pk)
            _mail(reg, "reminder", ics="publish", dedupe_key=f"foster-reminder-{pk}")
            sent += 1
    return sent


# --- organisers ------------------------------------------------------------------------


@retry_on_conflict
def check_in(reg: Registration, *, attended: bool = True, now=None) -> Registration:
    now = now or timezone.now()
    reg = Registration.objects.select_for_update(of=("self",)).get(pk=reg.pk)
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
    """Someone who came without registering. The room takes them: capacity grows if needed."""
    now = now or timezone.now()
    _lock_session(session.pk)
    email = data.email.strip().lower()
    existing = Registration.objects.filter(session=session, email=email, anonymised_at__isnull=True).first()
    if existing and existing.status == Status.CONFIRMED:
        return check_in(existing, now=now)
    if existing and existing.holds_seat:
        _release(session.pk, existing.attendees)
    EveningSession.objects.filter(pk=session.pk).update(
        capacity=Greatest(F("capacity"), F("held") + data.attendees), held=F("held") + data.attendees
    )
    pc4 = normalise_pc4(data.postcode) or "" if data.postcode else ""
    reg = existing or Registration(session=session, email=email)
    reg.name, reg.phone, reg.postcode = data.name.strip(), data.phone.strip(), pc4
    reg.municipality = municipality_for(pc4) if pc4 else None
    reg.attendees, reg.interests, reg.source = data.attendees, data.interests, data.source
    reg.status, reg.is_walk_in, reg.attended_at, reg.consent_at = (Status.CONFIRMED, True, now, now)
    reg.save()
    _ensure_prospects(reg, now)
    for p in _prospects_of(reg):
        if p.stage == Stage.REGISTERED:
            _step(p, Stage.ATTENDED, timezone.localdate(now), None)
    _mail(reg, "walk_in")
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
        _mail(reg, "message", {"subject": subject, "body": body, "sender_name": sender.get_full_name()})
    return len(regs)


@retry_on_conflict
def cancel_session(session: EveningSession, reason: str, *, now=None) -> int:
    now = now or timezone.now()
    _lock_session(session.pk)
    updated = EveningSession.objects.filter(pk=session.pk, cancelled_at__isnull=True).update(
        cancelled_at=now, cancel_reason=reason
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
        reg.save(update_fields=["status", "offer_expires_at", "updated_at"])
        _mail(reg, "evening_cancelled", {"reason": reason}, ics="cancel" if held else "")
    EveningSession.objects.filter(pk=session.pk).update(held=0)
    _cancel_occurrence(session)
    return len(regs)


def _cancel_occurrence(session: EveningSession) -> None:
    """Mark the occurrence cancelled in django-scheduler too."""
    link = EveningEvent.objects.filter(page_id=session.page_id).select_related("event").first()
    if link is None:
        return
    start = session.starts_at.astimezone(AMSTERDAM)
    for occ in link.event.get_occurrences(start - timedelta(minutes=1), start + timedelta(minutes=1)):
        if occ.start == start:
            occ.cancel()


# --- the funnel ------------------------------------------------------------------------


def _owner_for(page: EveningPage, municipality):
    organisers = list(page.organisers.order_by("name"))
    if not organisers:
        return None
    for org in organisers:
        if municipality and org.municipality_id == municipality.pk:
            return org
    return organisers[0]


def _ensure_prospects(reg: Registration, now) -> list[Prospect]:
    page = reg.session.page
    owner = reg.vacancy.provider if reg.vacancy else _owner_for(page, reg.municipality)
    if owner is None:
        return []
    made = []
    for form in reg.interests:
        p, created = Prospect.objects.get_or_create(
            region_id=page.region_id,
            email=reg.email,
            family_form=form,
            anonymised_at__isnull=True,
            defaults={
                "provider": owner,
                "name": reg.name,
                "phone": reg.phone,
                "postcode": reg.postcode,
                "municipality": reg.municipality,
                "source": reg.source,
                "vacancy": reg.vacancy,
                "stage_date": timezone.localdate(now),
                "created_at": now,
            },
        )
        if created:
            ProspectStep.objects.create(prospect=p, stage=Stage.REGISTERED, date=timezone.localdate(now))
        made.append(p)
    return made


def _prospects_of(reg: Registration):
    return Prospect.objects.filter(
        region_id=reg.session.page.region_id,
        email=reg.email,
        family_form__in=reg.interests,
        anonymised_at__isnull=True,
    )


def _step(p: Prospect, stage: str, when: date, user) -> None:
    ProspectStep.objects.update_or_create(prospect=p, stage=stage, defaults={"date": when, "by": user})
    p.stage, p.stage_date = stage, when
    p.save(update_fields=["stage", "stage_date"])


@transaction.atomic
def record_step(prospect: Prospect, stage: str, when: date, *, by=None) -> Prospect:
    p = Prospect.objects.select_for_update().get(pk=prospect.pk)
    if p.stage in CLOSED:
        raise RegistrationError("closed", _("Dit traject is afgesloten."))
    if stage not in Stage.values:
        raise RegistrationError("invalid_stage", _("Onbekende fase."))
    if stage not in CLOSED and FUNNEL.index(stage) <= FUNNEL.index(p.stage):
        raise RegistrationError("backwards", _("Kies een fase na de huidige fase."))
    if when > timezone.localdate():
        raise RegistrationError("future", _("De datum mag niet in de toekomst liggen."))
    if when < p.stage_date:
        raise RegistrationError(
            "before_previous",
            _("De datum ligt vóór de vorige stap (%(date)s).") % {"date": p.stage_date.strftime("%d-%m-%Y")},
        )
    _step(p, stage, when, by)
    return p


@transaction.atomic
def register_interest(vacancy: VacancyPage, data: RegistrationData, *, now=None) -> list[Prospect]:
    """ "I am interested" on a vacancy: a prospect with the vacancy as source."""
    now = now or timezone.now()
    pc4 = ""
    if data.postcode:
        pc4 = normalise_pc4(data.postcode) or ""
        if not pc4:
            raise RegistrationError(
                "invalid_postcode", _("Vul een postcode in van 4 cijfers, bijvoorbeeld 7411.")
            )
    municipality = municipality_for(pc4) if pc4 else None
    p, created = Prospect.objects.get_or_create(
        region_id=vacancy.region_id,
        email=data.email.strip().lower(),
        family_form=vacancy.family_form,
        anonymised_at__isnull=True,
        defaults={
            "provider": vacancy.provider,
            "name": data.name.strip(),
            "phone": data.phone.strip(),
            "postcode": pc4,
            "municipality": municipality,
            "source": Source.VACANCY,
            "vacancy": vacancy,
            "stage_date": timezone.localdate(now),
            "created_at": now,
        },
    )
    if created:
        ProspectStep.objects.create(prospect=p, stage=Stage.REGISTERED, date=timezone.localdate(now))
    queue_templated(
        p.email,
        "foster/email/interest",
        {"prospect": p, "vacancy": vacancy, "retention_months": retention_months()},
        dedupe_key=f"foster-interest-{p.pk}-{vacancy.pk}",
    )
    if vacancy.provider.email:
        queue_templated(
            vacancy.provider.email,
            "foster/email/interest_provider",
            {"prospect": p, "vacancy": vacancy},
            dedupe_key=f"foster-interest-provider-{p.pk}-{vacancy.pk}",
        )
    return [p]


def working_days_between(start: date, end: date) -> int:
    """Mon-Fri days after ``start`` up to and including ``end``."""
    days, d = 0, start
    while d < end:
        d += timedelta(days=1)
        if d.weekday() < 5:
            days += 1
    return days


def needs_first_conversation(p: Prospect, today: date | None = None) -> bool:
    """Attended, and no first conversation within 2 working days."""
    today = today or timezone.localdate()
    return p.stage == Stage.ATTENDED and working_days_between(p.stage_date, today) > 2


# --- retention -------------------------------------------------------------------------


def _anonymise_prospects(region_id: int, email: str, now, *, only_stalled: bool) -> int:
    qs = Prospect.objects.filter(region_id=region_id, email=email, anonymised_at__isnull=True)
    if only_stalled:
        qs = qs.filter(stage__in=[Stage.REGISTERED, Stage.ATTENDED, Stage.WITHDRAWN, Stage.NOT_SUITABLE])
    n = 0
    for p in qs:
        p.name, p.phone, p.email = "", "", f"verwijderd-{p.pk}@example.invalid"
        p.anonymised_at = now
        p.save(update_fields=["name", "phone", "email", "anonymised_at"])
        n += 1
    return n


def apply_retention(*, now=None) -> dict[str, int]:
    """Anonymise registrations of prospects who did not continue, ``retention_months`` after
    their evening. Kept: municipality, source, family forms, stage dates (for the report)."""
    now = now or timezone.now()
    cutoff = now - timedelta(days=round(retention_months() * 30.44))
    regs = Registration.objects.filter(
        anonymised_at__isnull=True, session__ends_at__lt=cutoff
    ).select_related("session__page")
    done = kept = 0
    for reg in regs:
        region_id = reg.session.page.region_id
        continuing = Prospect.objects.filter(
            region_id=region_id,
            email=reg.email,
            anonymised_at__isnull=True,
            stage__in=[Stage.CONVERSATION, Stage.COURSE, Stage.ASSESSMENT, Stage.APPROVED],
        ).exists()
        if continuing:
            kept += 1
            continue
        with transaction.atomic():
            # The lock order: the registration before the prospects made from it.
            Registration.objects.select_for_update(of=("self",)).filter(pk=reg.pk).first()
            _anonymise_prospects(region_id, reg.email, now, only_stalled=True)
            reg.name, reg.phone = "", ""
            reg.email = f"verwijderd-{reg.pk}@example.invalid"
            reg.anonymised_at = now
            reg.save(update_fields=["name", "phone", "email", "anonymised_at", "updated_at"])
            done += 1
    return {"anonymised": done, "kept": kept}
