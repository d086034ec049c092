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
from thuisnet.core.mail import queue_templated
from thuisnet.core.pii import explain, find_identifiers

from .models import Mentee, MentorOffer, MentorProfile, MentorRequest, NetworkContact, Theme

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
    user: User,
    *,
    about: str,
    themes: list[str],
    max_mentees: int,
    is_available: bool,
    is_ambassador: bool = False,
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
            "is_ambassador": is_ambassador,
        },
    )
    return profile


def active_mentees(profile: MentorProfile) -> int:
    return MentorRequest.objects.filter(
        mentor_id=profile.user_id, status=MentorRequest.Status.ACCEPTED
    ).count()


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


def may_become_mentor(user: User) -> bool:
    return can(user, "matching.become_mentor")


# --- coordinator matching (issue 11): one entry point for views, API and other apps ----------

from .pairings import (  # noqa: E402
    PairingError,
    answer,
    contact_for,
    end,
    end_trials,
    mentor_user_ids_for,
    read_link,
    record_answer,
    send_checkin,
)
from .rounds import RoundError, confirm_round, edit_proposal, run_round  # noqa: E402

__all__ = [
    "MatchingError",
    "PairingError",
    "RoundError",
    "answer",
    "ask_for_mentor",
    "confirm_round",
    "contact_for",
    "edit_proposal",
    "end",
    "end_trials",
    "mentor_user_ids_for",
    "read_link",
    "record_answer",
    "refer_mentee",
    "run_round",
    "save_network_contact",
    "save_offer",
    "send_checkin",
    "verify_mentor",
]

CRITERIA = (
    "family_forms",
    "age_bands",
    "needs",
    "languages",
    "availability",
    "max_travel_km",
    "same_village_ok",
)


def _criteria(values: dict) -> dict:
    return {k: values[k] for k in CRITERIA if k in values}


def save_offer(user: User, **criteria) -> MentorOffer:
    """The mentor's matching criteria; a change of criteria keeps the provider's confirmation."""
    require(user, "matching.become_mentor")
    profile = MentorProfile.objects.filter(user=user).first()
    if profile is None:
        raise MatchingError(_("Maak eerst je mentorprofiel."))
    offer, _created = MentorOffer.objects.update_or_create(profile=profile, defaults=_criteria(criteria))
    return offer


def verify_mentor(staff: User, profile_id: int) -> MentorOffer:
    """The mentor's provider confirms them (only confirmed mentors enter a round)."""
    profile = MentorProfile.objects.select_related("user__household").get(pk=profile_id)
    require(staff, "matching.verify_mentor", profile)
    offer, _created = MentorOffer.objects.get_or_create(profile=profile)
    offer.verified_at, offer.verified_by = timezone.now(), staff
    offer.save(update_fields=["verified_at", "verified_by"])
    return offer


def _open_mentee(household_id: int) -> Mentee | None:
    return Mentee.objects.filter(
        household_id=household_id, status__in=[Mentee.Status.WAITING, Mentee.Status.PAIRED]
    ).first()


def ask_for_mentor(user: User, **criteria) -> Mentee:
    """A starting parent asks for a mentor; the next round includes them."""
    require(user, "matching.find_mentor")
    if _open_mentee(user.household_id):
        raise MatchingError(_("Je staat al op de lijst voor een mentor."))
    try:
        with transaction.atomic():
            return Mentee.objects.create(household_id=user.household_id, user=user, **_criteria(criteria))
    except IntegrityError:
        raise MatchingError(_("Je staat al op de lijst voor een mentor.")) from None


def refer_mentee(staff: User, household, *, external_ref: str = "", **criteria) -> tuple[Mentee, bool]:
    """A provider refers one of its households; returns (mentee, created). Referring a household
    that is already waiting or paired returns that one (safe to repeat)."""
    require(staff, "matching.refer_mentee", household)
    existing = _open_mentee(household.pk)
    if existing:
        return existing, False
    provider_id = household.provider_id
    user = User.objects.filter(household=household).order_by("pk").first()
    try:
        with transaction.atomic():
            mentee = Mentee.objects.create(
                household=household,
                user=user,
                referred_by_id=provider_id,
                external_ref=external_ref[:64],
                **_criteria(criteria),
            )
    except IntegrityError:
        return _open_mentee(household.pk), False
    return mentee, True


def save_network_contact(
    user: User, *, first_name: str, relation: str, helps_with: list[str], shared_with_provider: bool
) -> NetworkContact:
    """A household adds someone it can call on. First name only: no surnames, no addresses."""
    if not user.household_id:
        raise MatchingError(_("Alleen een gezin kan een netwerk bijhouden."))
    first_name = (first_name or "").strip().split(" ")[0][:40]
    relation = (relation or "").strip()[:60]
    if not first_name or not relation:
        raise MatchingError(_("Vul een voornaam en de relatie in."))
    findings = find_identifiers(f"{first_name} {relation}")
    if findings:
        raise MatchingError(explain(findings))
    helps = [h for h in helps_with if h in NetworkContact.Help.values]
    return NetworkContact.objects.create(
        household_id=user.household_id,
        first_name=first_name,
        relation=relation,
        helps_with=helps,
        shared_with_provider=shared_with_provider,
    )


def delete_network_contact(user: User, contact_id: int) -> None:
    NetworkContact.objects.filter(pk=contact_id, household_id=user.household_id).delete()
