"""The schedule: evenings mirrored into django-scheduler, their session ledgers, the region feed."""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models import F
from django.db.models.functions import Greatest
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from thuisnet.core.ics import AMSTERDAM, IcsEvent
from thuisnet.core.pagecache import evenings_tag, invalidate

from ..models import EveningEvent, EveningPage, EveningSession, Registration
from ..series import apply_exceptions
from .common import Status, _location, _seats_changed


def calendar_for(region):
    from schedule.models import Calendar

    cal, _created = Calendar.objects.get_or_create(
        slug=f"avonden-{region.slug}", defaults={"name": f"Informatieavonden {region.name}"}
    )
    return cal


def _rule(frequency: str, params: str = ""):
    from schedule.models import Rule

    name = "-".join(x for x in (frequency.lower(), params.replace(":", "").replace(";", "-").lower()) if x)
    rule, _created = Rule.objects.get_or_create(
        name=name[:32],
        frequency=frequency,
        params=params,
        defaults={"description": f"Thuisnet {frequency.lower()} {params}".strip()},
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


def _facts(page: EveningPage, start: datetime, end: datetime) -> dict:
    """What registrants of a session are told: the ``told`` of a session."""
    return {
        "title": page.title,
        "starts_at": start.isoformat(),
        "ends_at": end.isoformat(),
        "mode": page.mode,
        "venue": page.venue,
        "address": page.address,
        "online_url": page.online_url,
    }


def _what_changed(before: dict, after: dict) -> list[str]:
    if not before:
        return []  # never told anything yet (made before this was recorded)
    changed = []
    if (before.get("starts_at"), before.get("ends_at")) != (after["starts_at"], after["ends_at"]):
        changed.append("time")
    if any(before.get(k) != after[k] for k in ("mode", "venue", "address")):
        changed.append("place")
    if before.get("online_url") != after["online_url"] and after["mode"] == "online":
        changed.append("online")
    if before.get("title") != after["title"]:
        changed.append("title")
    return changed


@transaction.atomic
def sync_evening(page: EveningPage, *, now=None) -> list[EveningSession]:
    """Mirror a published evening into the region calendar and its session ledgers, keeping
    registrants whole: sessions whose occurrence moved are moved (registrations kept, same
    calendar UID), sessions dropped with people on them are cancelled through the usual flow,
    new seats go to the waiting list, and everyone still coming is told once of a change in
    time, place or title, with an updated calendar file."""
    from schedule.models import Event

    now = now or timezone.now()
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
        "rule": _rule(*page.rule_spec()) if page.repeat else None,
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
    horizon = max(page.starts_at, now) + timedelta(days=400)
    wanted = occurrences(page, page.starts_at - timedelta(minutes=1), horizon, cancelled=True)
    wanted, moved, skipped = apply_exceptions(page, wanted)
    _reconcile(page, wanted[:60], now, moved=moved, skipped=skipped)
    feed_changed()
    invalidate(evenings_tag(page.region_id))
    return list(page.sessions.all())


def _reconcile(
    page: EveningPage,
    wanted: list[tuple[datetime, datetime]],
    now,
    *,
    moved: dict[datetime, datetime] | None = None,
    skipped: set[datetime] | None = None,
) -> None:
    from . import organisers, waiting
    from .common import _lock_session

    # An occurrence the editor moved takes its session along (registrations, calendar UID);
    # the change is told below like any other change of time.
    wanted_end = dict(wanted)
    for old_start, new_start in (moved or {}).items():
        session = EveningSession.objects.filter(page=page, starts_at=old_start).first()
        if session is None or new_start not in wanted_end:
            continue
        # A date skipped before may come back moved: its session moves and reopens below.
        if session.cancelled_at and not (session.cancelled_by_series and new_start > now):
            continue
        if EveningSession.objects.filter(page=page, starts_at=new_start).exists():
            continue
        _lock_session(session.pk)
        if session.cancelled_at:
            _uncancel_occurrence(session)  # at its old start, where the skip cancelled it
        EveningSession.objects.filter(pk=session.pk).update(
            ics_uid=session.uid, starts_at=new_start, ends_at=wanted_end[new_start]
        )
    skipped = skipped or set()
    existing = list(EveningSession.objects.filter(page=page).order_by("starts_at", "pk"))
    by_start = {s.starts_at: s for s in existing}
    wanted_starts = {s for s, _e in wanted}
    # A date taken out of the series and put back (or brought back by the rule) reopens the
    # session the skip cancelled, if it is still to come; an organiser's cancellation stays.
    for start in sorted(wanted_starts):
        session = by_start.get(start)
        if session and session.cancelled_at and session.cancelled_by_series and start > now:
            _reopen(page, session)
    new = [(s, e) for s, e in wanted if s not in by_start]
    active = [Status.CONFIRMED, Status.OFFERED, Status.WAITING]
    with_people = set(
        Registration.objects.filter(
            session__page=page, status__in=active, anonymised_at__isnull=True
        ).values_list("session_id", flat=True)
    )
    dropped = [
        s for s in existing if s.starts_at not in wanted_starts and s.starts_at > now and not s.cancelled_at
    ]
    # A dropped session with people on it moves to the first new occurrence (in order): an
    # evening moved by an hour, or a series whose rule changed, keeps its registrations.
    for session in [s for s in dropped if s.starts_at in skipped and s.pk in with_people]:
        organisers.cancel_session(session, _("De datum is uit de reeks gehaald."), now=now, by_series=True)
    movers = [s for s in dropped if s.pk in with_people and s.starts_at not in skipped]
    for session, (start, end) in zip(movers, new, strict=False):
        _lock_session(session.pk)
        EveningSession.objects.filter(pk=session.pk).update(ics_uid=session.uid, starts_at=start, ends_at=end)
    moved = {s.pk for s in movers[: len(new)]}
    new = new[len(moved) :]
    for session in movers[len(moved) :]:  # nowhere to go: cancelled, everyone told
        organisers.cancel_session(session, _("De datum is uit de reeks gehaald."), now=now, by_series=True)
    # Dropped occurrences nobody ever registered for disappear; others stay for the organiser.
    EveningSession.objects.filter(page=page, pk__in=[s.pk for s in dropped]).exclude(
        pk__in=[s.pk for s in movers]
    ).filter(registrations__isnull=True).delete()
    for start, end in new:
        EveningSession.objects.create(
            page=page, starts_at=start, ends_at=end, capacity=page.capacity, told=_facts(page, start, end)
        )
    # Capacity and what registrants were told, for every session still to come.
    for session in EveningSession.objects.filter(page=page, ends_at__gte=now, cancelled_at__isnull=True):
        if session.capacity != max(session.held, page.capacity):
            _lock_session(session.pk)
            session.refresh_from_db(fields=["capacity", "held"])
            grew = page.capacity > session.capacity
            EveningSession.objects.filter(pk=session.pk).update(capacity=Greatest(F("held"), page.capacity))
            if grew:  # new seats go to the waiting list by the usual offer rules
                waiting._offer_next(session, now)
        facts = _facts(page, session.starts_at, session.ends_at)
        changed = _what_changed(session.told, facts)
        if facts != session.told:
            EveningSession.objects.filter(pk=session.pk).update(told=facts)
        if changed and session.pk in with_people:
            _tell_changed(session, changed, facts)


def _reopen(page: EveningPage, session: EveningSession) -> None:
    """Clear a series cancellation: the session is open again with the page's seats and its
    calendar UID, and everyone the skip cancelled is told once, with a link to register again.
    Their registrations stay cancelled: they may have made other plans."""
    from foster import services as api
    from thuisnet.accounts.inbox import notify

    # The lock order: the session's ledger row, then its registrations (pk order).
    locked = api._lock_session(session.pk)
    if not (locked.cancelled_at and locked.cancelled_by_series):
        return  # reopened (or cancelled otherwise) meanwhile
    cancelled_at = locked.cancelled_at
    regs = list(
        Registration.objects.select_for_update(of=("self",))
        .filter(
            session=locked,
            status=Status.CANCELLED,
            cancelled_with_session=True,
            anonymised_at__isnull=True,
        )
        .select_related("session", "session__page", "user")
        .order_by("pk")
    )
    EveningSession.objects.filter(pk=locked.pk).update(
        cancelled_at=None,
        cancel_reason="",
        cancelled_by_series=False,
        ics_uid=locked.uid,  # calendars that had it update the event instead of adding one
        capacity=Greatest(F("held"), page.capacity),
        told=_facts(page, locked.starts_at, locked.ends_at),
    )
    Registration.objects.filter(pk__in=[r.pk for r in regs]).update(cancelled_with_session=False)
    _uncancel_occurrence(locked)
    path = f"{page.get_url() or ''}?bijeenkomst={locked.pk}"
    for reg in regs:
        api._mail(
            reg,
            "evening_reopened",
            {"register_url": settings.BASE_URL + path if path.startswith("/") else path},
            dedupe_key=f"foster-reopened-{reg.pk}-{cancelled_at:%Y%m%dT%H%M%S%f}",
        )
        if reg.user_id:
            notify(
                reg.user,
                kind="event",
                title=_("Gaat toch door: %(title)s") % {"title": page.title},
                url=path,
            )
    _seats_changed(locked.pk)


def _tell_changed(session: EveningSession, changed: list[str], facts: dict) -> None:
    """One email per change to everyone still registered or waiting, with an updated calendar
    file for those who hold a seat (same UID, higher SEQUENCE)."""
    import hashlib
    import json

    from foster import services as api

    digest = hashlib.sha256(json.dumps(facts, sort_keys=True).encode()).hexdigest()[:16]
    regs = Registration.objects.filter(
        session=session,
        status__in=[Status.CONFIRMED, Status.OFFERED, Status.WAITING],
        anonymised_at__isnull=True,
    ).select_related("session", "session__page")
    for reg in regs:
        api._mail(
            reg,
            "evening_changed",
            {"changed": changed},
            ics="publish" if reg.holds_seat else "",
            dedupe_key=f"foster-changed-{reg.pk}-{digest}",
        )


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


FEED_VERSION_KEY = "foster:feed-version"
FEED_TTL = 60 * 60  # an outer bound: the window "a month back, a year ahead" moves slowly


def feed_changed() -> None:
    """The evenings in the feeds changed (published, moved, cancelled, unpublished, deleted):
    every region's cached feed is stale once the transaction commits. (A feed rebuilt before
    the commit reads the old data under the old version; the bump makes it unreachable.)"""
    transaction.on_commit(lambda: cache.set(FEED_VERSION_KEY, secrets.token_hex(8), None), robust=True)


def _feed_version() -> str:
    version = cache.get(FEED_VERSION_KEY)
    if version is None:
        cache.add(FEED_VERSION_KEY, secrets.token_hex(8), None)
        version = cache.get(FEED_VERSION_KEY) or "0"
    return version


def region_feed(region, request=None) -> bytes:
    """The region's calendar as iCal: one event per session a month back and a year ahead.

    Built from the session ledgers (each occurrence of a series has one, made when the page is
    published), with one query for all of them, and cached under a version that changes
    whenever an evening changes (``feed_changed``); seat counts are not in the feed."""
    key = f"foster:feed:{region.pk}:{translation.get_language()}:{_feed_version()}"
    body = cache.get(key)
    if body is None:
        body = _build_region_feed(region, request)
        cache.set(key, body, FEED_TTL)
    return body


def _build_region_feed(region, request=None) -> bytes:
    from thuisnet.core.ics import build_calendar

    now = timezone.now()
    sessions = (
        EveningSession.objects.filter(
            page__region=region,
            page__live=True,
            starts_at__gte=now - timedelta(days=31),
            starts_at__lte=now + timedelta(days=366),
        )
        .select_related("page")
        .order_by("starts_at", "pk")
    )
    urls: dict[int, str] = {}
    events = []
    for session in sessions:
        page = session.page
        if page.pk not in urls:  # with the request, Wagtail resolves the site once per request
            urls[page.pk] = settings.BASE_URL + (page.get_url(request) or "")
        events.append(
            IcsEvent(
                uid=session.uid,
                summary=page.title,
                start=session.starts_at,
                end=session.ends_at,
                location=_location(page),
                url=urls[page.pk],
                cancelled=bool(session.cancelled_at),
            )
        )
    return build_calendar(events, name=_("Informatieavonden %(region)s") % {"region": region.name})


def _cancel_occurrence(session: EveningSession) -> None:
    """Mark the occurrence cancelled in django-scheduler too."""
    link = EveningEvent.objects.filter(page_id=session.page_id).select_related("event").first()
    if link is None:
        return
    start = session.starts_at.astimezone(AMSTERDAM)
    for occ in link.event.get_occurrences(start - timedelta(minutes=1), start + timedelta(minutes=1)):
        if occ.start == start:
            occ.cancel()
    feed_changed()


def _uncancel_occurrence(session: EveningSession) -> None:
    """The occurrence goes ahead again in django-scheduler too."""
    link = EveningEvent.objects.filter(page_id=session.page_id).select_related("event").first()
    if link is None:
        return
    start = session.starts_at.astimezone(AMSTERDAM)
    for occ in link.event.get_occurrences(start - timedelta(minutes=1), start + timedelta(minutes=1)):
        if occ.start == start and occ.cancelled:
            occ.uncancel()
    feed_changed()
