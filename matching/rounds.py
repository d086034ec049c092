"""A coordinator's matching round: every waiting mentee over every mentor with room.

``run_round`` builds the sides once, scores allowed pairs, solves the assignment
(``matching.assignment``) and stores proposals (pairs with their reasons, and the unmatched
with why). The coordinator may change a proposal (``edit_proposal``) and then
``confirm_round``, which turns proposals into pairings awaiting both sides' answer.
"""

from __future__ import annotations

import time

import numpy as np
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from thuisnet.accounts.models import Region, User
from thuisnet.accounts.policies import require
from thuisnet.core.db import retry_on_conflict
from thuisnet.core.mail import queue_templated
from thuisnet.core.models import PostcodeArea

from . import assignment, vectorised
from .models import Mentee, MentorProfile, MentorRequest, Pairing, Proposal, RegionSettings, Round
from .scoring import Rules, Side, forbidden, score

OPEN_PAIRING = (Pairing.Status.PROPOSED, Pairing.Status.TRIAL, Pairing.Status.ACTIVE)


class RoundError(Exception):
    """Dutch message for the coordinator."""


def settings_for(region: Region) -> RegionSettings:
    return RegionSettings.objects.get_or_create(region=region)[0]


def free_slots(profile_ids: list[int] | None = None) -> dict[int, int]:
    """Room per mentor profile: capacity minus open pairings and accepted direct requests."""
    qs = (
        MentorProfile.objects.all()
        if profile_ids is None
        else MentorProfile.objects.filter(pk__in=profile_ids)
    )
    rows = qs.annotate(
        open_pairings=Count("pairings", filter=Q(pairings__status__in=OPEN_PAIRING), distinct=True),
        accepted=Count(
            "user__mentor_requests_received",
            filter=Q(user__mentor_requests_received__status=MentorRequest.Status.ACCEPTED),
            distinct=True,
        ),
    ).values_list("pk", "max_mentees", "open_pairings", "accepted")
    return {pk: max(0, cap - a - b) for pk, cap, a, b in rows}


def _points(postcodes: set[str]) -> dict[str, tuple[float, float]]:
    rows = PostcodeArea.objects.filter(pc4__in=postcodes).values_list("pc4", "latitude", "longitude")
    return {pc: (lat, lon) for pc, lat, lon in rows}


def _sides(region: Region) -> tuple[list[Side], list[Side], dict[int, float], dict[int, int]]:
    mentees = list(
        Mentee.objects.filter(status=Mentee.Status.WAITING, household__region=region).select_related(
            "household__municipality"
        )
    )
    mentors = list(
        MentorProfile.objects.filter(
            is_available=True, offer__verified_at__isnull=False, user__household__region=region
        ).select_related("offer", "user__household__municipality")
    )
    room = free_slots([m.pk for m in mentors])
    mentors = [m for m in mentors if room.get(m.pk, 0) > 0]
    points = _points({m.household.postcode for m in mentees} | {m.user.household.postcode for m in mentors})
    now = timezone.now()

    def side(key, household, crit) -> Side:
        return Side(
            key=key,
            household_id=household.pk,
            family_form=household.family_form,
            municipality_id=household.municipality_id,
            municipality_name=household.municipality.name,
            provider_id=household.provider_id,
            point=points.get(household.postcode),
            family_forms=crit.family_forms,
            age_bands=crit.age_bands,
            needs=crit.needs,
            languages=crit.languages,
            availability=crit.availability,
            max_travel_km=crit.max_travel_km,
            same_village_ok=crit.same_village_ok,
        )

    a = [side(m.pk, m.household, m) for m in mentees]
    b = [side(p.pk, p.user.household, p.offer) for p in mentors]
    waiting = {m.pk: (now - m.asked_at).total_seconds() / 86400 for m in mentees}
    return a, b, waiting, {p.pk: room[p.pk] for p in mentors}


def _rules(region: Region) -> Rules:
    cfg = settings_for(region)
    ended = frozenset(
        Pairing.objects.filter(
            status__in=[Pairing.Status.ENDED, Pairing.Status.DECLINED], mentee__household__region=region
        ).values_list("mentee__household_id", "mentor_id")
    )
    return Rules(weights=cfg.weights or {}, forbid_own_provider=cfg.forbid_own_provider, ended_pairs=ended)


def _reason_texts() -> dict[int, str]:
    return {
        vectorised.SAME_HOUSEHOLD: _("zelfde gezin"),
        vectorised.FORM: _("mentor begeleidt deze gezinsvorm niet"),
        vectorised.WANTED_FORM: _("ouder wil een mentor met een andere gezinsvorm"),
        vectorised.VILLAGE: _("zelfde gemeente zonder toestemming van beiden"),
        vectorised.PROVIDER: _("zelfde aanbieder (de regio staat dat niet toe)"),
        vectorised.ENDED: _("deze koppeling is eerder beëindigd"),
        vectorised.DISTANCE: _("te ver weg"),
    }


def plan(
    mentees: list[Side], mentors: list[Side], waiting: dict[int, float], room: dict[int, int], rules: Rules
):
    """Constraints and scores for all pairs (vectorised), the optimal assignment, then the
    Dutch reasons for the chosen pairs only: ({mentee key: (mentor key, score, reasons)},
    {mentee key: why unmatched})."""
    em, en, sc, why_not = vectorised.edges(mentees, mentors, rules)
    problem = assignment.Problem(
        n_mentees=len(mentees),
        capacities=np.array([room[b.key] for b in mentors], dtype=np.int64),
        edge_mentee=em,
        edge_mentor=en,
        edge_score=sc,
        waiting_days=np.array([waiting.get(a.key, 0) for a in mentees], dtype=float),
    )
    chosen = assignment.solve(problem)
    pairs = {}
    for i, j in chosen.items():
        points, reasons = score(mentees[i], mentors[j], rules)
        pairs[mentees[i].key] = (mentors[j].key, points, reasons)
    texts = _reason_texts()
    unmatched = {}
    for a in mentees:
        if a.key in pairs:
            continue
        if not mentors:
            unmatched[a.key] = _("geen mentor met plek")
        elif a.key in why_not:
            unmatched[a.key] = texts[why_not[a.key]]
        else:
            unmatched[a.key] = _("alle passende mentoren zijn al vergeven")
    return pairs, unmatched


@retry_on_conflict
def run_round(coordinator: User, region: Region) -> Round:
    """Propose pairs for all waiting mentees of the region; nothing is sent until confirmed."""
    require(coordinator, "matching.run_round", region)
    started = time.perf_counter()
    mentees, mentors, waiting, room = _sides(region)
    pairs, unmatched = plan(mentees, mentors, waiting, room, _rules(region))
    rnd = Round.objects.create(region=region, created_by=coordinator)
    Proposal.objects.bulk_create(
        [Proposal(round=rnd, mentee_id=k, mentor_id=m, score=s, reasons=r) for k, (m, s, r) in pairs.items()]
        + [Proposal(round=rnd, mentee_id=k, unmatched_reason=why) for k, why in unmatched.items()]
    )
    Mentee.objects.filter(pk__in=list(unmatched)).update(last_reason="")
    rnd.seconds = round(time.perf_counter() - started, 3)
    rnd.save(update_fields=["seconds"])
    return rnd


def edit_proposal(coordinator: User, proposal_id: int, mentor_id: int | None) -> Proposal:
    """Give a mentee another mentor (or none); refuses a forbidden pair and explains why."""
    proposal = Proposal.objects.select_related("round__region").get(pk=proposal_id)
    require(coordinator, "matching.run_round", proposal.round.region)
    if proposal.round.status != Round.Status.DRAFT:
        raise RoundError(_("Deze ronde is al bevestigd."))
    if mentor_id is None:
        proposal.mentor_id, proposal.score, proposal.reasons = None, 0, []
        proposal.unmatched_reason = _("door de coördinator uit het voorstel gehaald")
    else:
        mentees, mentors, _w, room = _sides(proposal.round.region)
        a = next((m for m in mentees if m.key == proposal.mentee_id), None)
        b = next((m for m in mentors if m.key == mentor_id), None)
        if a is None or b is None:
            raise RoundError(_("Deze mentor heeft geen plek of is niet beschikbaar."))
        taken = proposal.round.proposals.filter(mentor_id=mentor_id).exclude(pk=proposal.pk).count()
        if taken >= room[mentor_id]:
            raise RoundError(_("Deze mentor heeft in dit voorstel al geen plek meer."))
        reason = forbidden(a, b, _rules(proposal.round.region))
        if reason:
            raise RoundError(_("Dit kan niet: %(reason)s.") % {"reason": reason})
        proposal.mentor_id = mentor_id
        proposal.score, proposal.reasons = score(a, b, _rules(proposal.round.region))
        proposal.unmatched_reason = ""
    proposal.edited = True
    proposal.save()
    return proposal


@retry_on_conflict
def confirm_round(coordinator: User, round_id: int) -> list[Pairing]:
    """Turn the proposals into pairings awaiting both sides; each side gets an email."""
    rnd = Round.objects.select_for_update().get(pk=round_id)
    require(coordinator, "matching.run_round", rnd.region)
    if rnd.status != Round.Status.DRAFT:
        raise RoundError(_("Deze ronde is al bevestigd."))
    proposals = list(rnd.proposals.select_related("mentee__household", "mentee__user", "mentor__user"))
    # Lock order (core/db.py, matching): mentor profiles in pk order, then recount their room.
    mentor_ids = sorted({p.mentor_id for p in proposals if p.mentor_id})
    list(MentorProfile.objects.select_for_update().filter(pk__in=mentor_ids).order_by("pk"))
    room = free_slots(mentor_ids)
    made = []
    for p in proposals:
        if not p.mentor_id:
            Mentee.objects.filter(pk=p.mentee_id).update(last_reason=p.unmatched_reason)
            continue
        if room.get(p.mentor_id, 0) <= 0 or p.mentee.status != Mentee.Status.WAITING:
            Mentee.objects.filter(pk=p.mentee_id).update(last_reason=_("mentor had geen plek meer"))
            continue
        room[p.mentor_id] -= 1
        pairing = Pairing.objects.create(
            mentee=p.mentee, mentor_id=p.mentor_id, round=rnd, score=p.score, reasons=p.reasons
        )
        Mentee.objects.filter(pk=p.mentee_id).update(status=Mentee.Status.PAIRED, last_reason="")
        made.append(pairing)
        for email in (p.mentor.user.email, p.mentee.user.email if p.mentee.user else None):
            if email:
                queue_templated(email, "matching/email/pairing_proposed", {"pairing": pairing})
    rnd.status, rnd.confirmed_at = Round.Status.CONFIRMED, timezone.now()
    rnd.save(update_fields=["status", "confirmed_at"])
    return made
