"""Mentor pairing: profiles, suggestions, requests and decisions.

A mentor may have at most ``max_mentees`` pairings at once. Acceptance recounts them under a
row lock on the mentor's profile, so two requests accepted at the same moment (two browser
tabs) cannot both take the last place; the partial unique constraint keeps a new parent to
one mentor at a time whatever happens.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from thuisnet.accounts.models import User
from thuisnet.accounts.policies import can, require
from thuisnet.core import geo
from thuisnet.core.mail import queue_templated
from thuisnet.core.pii import explain, find_identifiers

from .models import MentorProfile, MentorRequest, Theme

OPEN = (MentorRequest.Status.REQUESTED, MentorRequest.Status.ACCEPTED)


class MatchingError(Exception):
    """Something the user can fix or must know; the message is Dutch and shown as is."""


@dataclass
class Suggestion:
    profile: MentorProfile
    score: float
    distance_km: float | None
    reasons: list[str] = field(default_factory=list)
    requested: bool = False


def _check_text(text: str) -> str:
    text = (text or "").strip()
    if not text:
        raise MatchingError(_("Schrijf een paar zinnen; dat helpt de ander om te kiezen."))
    findings = find_identifiers(text)
    if findings:
        raise MatchingError(explain(findings))
    return text


def save_profile(
    user: User, *, about: str, themes: list[str], max_mentees: int, is_available: bool
) -> MentorProfile:
    require(user, "matching.become_mentor")
    about = _check_text(about)
    themes = [t for t in themes if t in Theme.values]
    profile, _created = MentorProfile.objects.update_or_create(
        user=user,
        defaults={
            "about": about,
            "themes": themes,
            "max_mentees": max(1, min(3, max_mentees)),
            "is_available": is_available,
        },
    )
    return profile


def active_mentees(profile: MentorProfile) -> int:
    return MentorRequest.objects.filter(
        mentor_id=profile.user_id, status=MentorRequest.Status.ACCEPTED
    ).count()


def suggestions(user: User, *, theme: str | None = None, limit: int = 10) -> list[Suggestion]:
    """Mentors with room, best first: same family form, nearby, shared themes."""
    require(user, "matching.find_mentor")
    household = user.household
    here = geo.centroid(household.postcode) if household.postcode else None
    requested = set(
        MentorRequest.objects.filter(mentee=user, status__in=OPEN).values_list("mentor_id", flat=True)
    )
    profiles = (
        MentorProfile.objects.filter(is_available=True, user__household__region_id=household.region_id)
        .exclude(user=user)
        .select_related("user__household__municipality")
    )
    result = []
    for profile in profiles:
        if active_mentees(profile) >= profile.max_mentees:
            continue
        theirs = profile.user.household
        score, reasons, distance = 0.0, [], None
        if theirs.family_form == household.family_form:
            score += 3
            reasons.append(_("zelfde gezinsvorm"))
        if theirs.municipality_id == household.municipality_id:
            score += 2
            reasons.append(_("woont in %(gemeente)s") % {"gemeente": theirs.municipality})
        there = geo.centroid(theirs.postcode) if theirs.postcode else None
        if here and there:
            distance = geo.distance_km(here, there)
            score += max(0.0, 2 - distance / 15)
        if theme and theme in profile.themes:
            score += 2
            reasons.append(_("ervaring met: %(thema)s") % {"thema": Theme(theme).label})
        result.append(Suggestion(profile, score, distance, reasons, requested=profile.user_id in requested))
    result.sort(key=lambda s: (-s.score, s.distance_km if s.distance_km is not None else 999))
    return result[:limit]


def request_mentor(mentee: User, mentor: User, message: str) -> MentorRequest:
    require(mentee, "matching.find_mentor")
    message = _check_text(message)
    profile = MentorProfile.objects.filter(user=mentor, is_available=True).first()
    if profile is None or mentor.pk == mentee.pk:
        raise MatchingError(_("Deze mentor neemt op dit moment geen nieuwe ouders aan."))
    if MentorRequest.objects.filter(mentee=mentee, status=MentorRequest.Status.ACCEPTED).exists():
        raise MatchingError(_("Je hebt al een mentor. Beëindig die koppeling eerst."))
    if active_mentees(profile) >= profile.max_mentees:
        raise MatchingError(_("Deze mentor heeft op dit moment geen plek meer."))
    try:
        with transaction.atomic():
            req = MentorRequest.objects.create(mentee=mentee, mentor=mentor, message=message)
            queue_templated(
                mentor.email, "matching/email/request_received", {"request": req, "mentee": mentee}
            )
    except IntegrityError:
        raise MatchingError(_("Je hebt deze mentor al gevraagd. Je hoort het zodra er antwoord is."))
    return req


def decide(mentor: User, request_id: int, *, accept: bool) -> MentorRequest:
    with transaction.atomic():
        # Lock order: all of the new parent's requests (pk order), then the mentor's profile.
        # Two mentors accepting the same parent at once each withdraw the other's request:
        # locking only their own first would deadlock.
        mentee_id = MentorRequest.objects.values_list("mentee_id", flat=True).get(pk=request_id)
        list(MentorRequest.objects.select_for_update().filter(mentee_id=mentee_id).order_by("pk"))
        req = MentorRequest.objects.get(pk=request_id)  # locked just now
        require(mentor, "matching.decide_request", req)
        if req.status != MentorRequest.Status.REQUESTED:
            raise MatchingError(_("Over dit verzoek is al beslist."))
        if accept:
            profile = MentorProfile.objects.select_for_update().get(user=mentor)
            if active_mentees(profile) >= profile.max_mentees:
                raise MatchingError(
                    _(
                        "Je hebt al zoveel ouders als je had opgegeven. Verhoog het "
                        "aantal in je profiel of beëindig eerst een koppeling."
                    )
                )
            if MentorRequest.objects.filter(
                mentee_id=req.mentee_id, status=MentorRequest.Status.ACCEPTED
            ).exists():
                raise MatchingError(_("Deze ouder heeft inmiddels al een mentor."))
            req.status = MentorRequest.Status.ACCEPTED
            # The new parent has a mentor now: their other open requests lapse.
            MentorRequest.objects.filter(
                mentee_id=req.mentee_id, status=MentorRequest.Status.REQUESTED
            ).exclude(pk=req.pk).update(status=MentorRequest.Status.WITHDRAWN, decided_at=timezone.now())
        else:
            req.status = MentorRequest.Status.DECLINED
        req.decided_at = timezone.now()
        req.save(update_fields=["status", "decided_at"])
        template = "request_accepted" if accept else "request_declined"
        queue_templated(req.mentee.email, f"matching/email/{template}", {"request": req, "mentor": mentor})
    return req


def withdraw_or_end(user: User, request_id: int) -> MentorRequest:
    """The new parent withdraws a pending request; either side ends an active pairing."""
    with transaction.atomic():
        req = MentorRequest.objects.select_for_update().get(pk=request_id)
        if req.status == MentorRequest.Status.REQUESTED:
            require(user, "matching.withdraw_request", req)
            req.status = MentorRequest.Status.WITHDRAWN
        elif req.status == MentorRequest.Status.ACCEPTED and user.pk in (req.mentee_id, req.mentor_id):
            req.status = MentorRequest.Status.ENDED
            req.ended_at = timezone.now()
        else:
            raise MatchingError(_("Dit verzoek is al afgesloten."))
        req.save(update_fields=["status", "ended_at"])
    return req


def my_requests(user: User) -> dict[str, list[MentorRequest]]:
    qs = MentorRequest.objects.select_related("mentor", "mentee", "mentee__household__municipality")
    return {"sent": list(qs.filter(mentee=user)), "received": list(qs.filter(mentor=user))}


def overview(region) -> dict[str, int]:
    """Counts for the region (no names): mentors, open requests, active pairings."""
    base = MentorRequest.objects.filter(mentor__household__region=region)
    return {
        "mentors": MentorProfile.objects.filter(user__household__region=region, is_available=True).count(),
        "requested": base.filter(status=MentorRequest.Status.REQUESTED).count(),
        "active": base.filter(status=MentorRequest.Status.ACCEPTED).count(),
        "ended": base.filter(status=MentorRequest.Status.ENDED).count(),
    }


def may_become_mentor(user: User) -> bool:
    return can(user, "matching.become_mentor")
