"""Read-side queries for mentor pairing: lists ask the policies' ``scope()``.

Each list costs the same number of queries however many mentors or requests it shows
(one count annotation and one postcode lookup instead of one query per mentor).
"""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext as _

from thuisnet.accounts.models import Region
from thuisnet.accounts.policies import scope
from thuisnet.core import geo
from thuisnet.core.models import PostcodeArea

from .models import MentorProfile, MentorRequest, Theme
from .services import OPEN, Suggestion


def _centroids(postcodes: set[str]) -> dict[str, tuple[float, float]]:
    rows = PostcodeArea.objects.filter(pc4__in=postcodes).values_list("pc4", "latitude", "longitude")
    return {pc4: (lat, lon) for pc4, lat, lon in rows}


def suggestions(user, *, theme: str | None = None, limit: int = 10) -> list[Suggestion]:
    """Mentors the parent may ask who have room, best first: same family form, nearby, themes."""
    household = user.household
    open_ones = MentorRequest.objects.filter(status__in=OPEN)
    requested = set(scope(user, "matching.withdraw_request", open_ones).values_list("mentor_id", flat=True))
    profiles = list(
        scope(user, "matching.ask_mentor", MentorProfile.objects.all())
        .annotate(
            active=Count(
                "user__mentor_requests_received",
                filter=Q(user__mentor_requests_received__status=MentorRequest.Status.ACCEPTED),
            )
        )
        .select_related("user__household__municipality")
    )
    points = _centroids({household.postcode} | {p.user.household.postcode for p in profiles} - {""})
    here = points.get(household.postcode)
    result = []
    for profile in profiles:
        if profile.active >= profile.max_mentees:
            continue
        theirs = profile.user.household
        score, reasons, distance = 0.0, [], None
        if theirs.family_form == household.family_form:
            score += 3
            reasons.append(_("zelfde gezinsvorm"))
        if theirs.municipality_id == household.municipality_id:
            score += 2
            reasons.append(_("woont in %(gemeente)s") % {"gemeente": theirs.municipality})
        there = points.get(theirs.postcode)
        if here and there:
            distance = geo.distance_km(here, there)
            score += max(0.0, 2 - distance / 15)
        if theme and theme in profile.themes:
            score += 2
            reasons.append(_("ervaring met: %(thema)s") % {"thema": Theme(theme).label})
        result.append(Suggestion(profile, score, distance, reasons, requested=profile.user_id in requested))
    result.sort(key=lambda s: (-s.score, s.distance_km if s.distance_km is not None else 999))
    return result[:limit]


def my_requests(user) -> dict[str, list[MentorRequest]]:
    """The requests the user sent and received (only the two sides see a request)."""
    rows = list(
        scope(user, "matching.view_request", MentorRequest.objects.all()).select_related(
            "mentor", "mentee", "mentee__household__municipality"
        )
    )
    return {
        "sent": [r for r in rows if r.mentee_id == user.pk],
        "received": [r for r in rows if r.mentor_id == user.pk],
    }


def overview_regions(user) -> QuerySet:
    return scope(user, "matching.view_overview", Region.objects.all())


def overview(user) -> dict[str, str] | None:
    """Counts for the coordinator's region (no names); None for anyone else."""
    regions = overview_regions(user)
    region = (regions.filter(pk=user.region_id).first() if user.region_id else None) or regions.first()
    if region is None:
        return None
    requests = MentorRequest.objects.filter(mentor__household__region=region).aggregate(
        requested=Count("pk", filter=Q(status=MentorRequest.Status.REQUESTED)),
        active=Count("pk", filter=Q(status=MentorRequest.Status.ACCEPTED)),
        ended=Count("pk", filter=Q(status=MentorRequest.Status.ENDED)),
    )
    mentors = MentorProfile.objects.filter(user__household__region=region, is_available=True).count()
    # Lone counts (no total ties them together): 1 to 9 shown as "<10" (thuisnet.core.disclosure).
    from thuisnet.core.disclosure import count as shown

    return {k: shown(v) for k, v in {"mentors": mentors, **requests}.items()}
