"""Read-side queries for mentor pairing: lists ask the policies' ``scope()``.

Each list costs the same number of queries however many mentors or requests it shows
(one count annotation and one postcode lookup instead of one query per mentor).
"""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext as _

from thuisnet.accounts.models import FamilyForm, Region
from thuisnet.accounts.policies import scope
from thuisnet.accounts.roles import roles_of
from thuisnet.core import disclosure, geo
from thuisnet.core.models import PostcodeArea

from .models import CheckIn, Mentee, MentorProfile, MentorRequest, NetworkContact, Pairing, Round, Theme
from .rounds import OPEN_PAIRING
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


def coordinator_region(user) -> Region | None:
    regions = scope(user, "matching.run_round", Region.objects.all())
    return (regions.filter(pk=user.region_id).first() if user.region_id else None) or regions.first()


def overview(user) -> dict[str, str] | None:
    """Lone counts for the coordinator's region (no names): each count stands alone."""
    region = coordinator_region(user)
    if region is None:
        return None
    waiting = Mentee.objects.filter(household__region=region, status=Mentee.Status.WAITING).count()
    mentors = MentorProfile.objects.filter(user__household__region=region, is_available=True).count()
    active = Pairing.objects.filter(mentee__household__region=region, status__in=OPEN_PAIRING).count()
    return {
        k: disclosure.count(v) for k, v in {"mentors": mentors, "waiting": waiting, "active": active}.items()
    }


WITHIN_DAYS = 30


def region_figures(user, region: Region) -> dict:
    """The region's view (issue 11, item 7), every figure through ``thuisnet.core.disclosure``.

    Mentees who asked, split by provider and by family form into "a mentor within 30 days" and
    "not (yet)": one linked system, because both breakdowns publish the same totals.
    """
    mentees = list(
        Mentee.objects.filter(household__region=region)
        .select_related("household__provider")
        .values_list("pk", "asked_at", "paired_at", "household__provider__name", "household__family_form")
    )
    values: dict[str, int] = {"in": 0, "out": 0, "all": 0}
    providers, forms, waits = {}, {}, []
    for _pk, asked, paired, provider, form in mentees:
        within = paired is not None and (paired - asked).days <= WITHIN_DAYS
        if paired is not None:
            waits.append((paired - asked).days)
        key = "in" if within else "out"
        for prefix, name in (("p", provider or _("zonder aanbieder")), ("f", form)):
            bucket = providers if prefix == "p" else forms
            bucket.setdefault(name, {"in": 0, "out": 0})[key] += 1
        values[key] += 1
        values["all"] += 1
    equations = [(["in", "out"], "all")]
    for prefix, bucket in (("p", providers), ("f", forms)):
        for name, cells in bucket.items():
            values[f"{prefix}:{name}:in"], values[f"{prefix}:{name}:out"] = cells["in"], cells["out"]
            values[f"{prefix}:{name}"] = cells["in"] + cells["out"]
            equations.append(([f"{prefix}:{name}:in", f"{prefix}:{name}:out"], f"{prefix}:{name}"))
        for part in ("in", "out"):
            equations.append(([f"{prefix}:{n}:{part}" for n in bucket], part))
        equations.append(([f"{prefix}:{n}" for n in bucket], "all"))
    shown = disclosure.linked(values, equations) if values["all"] else {k: "0" for k in values}

    def rows(prefix, bucket, labels=None):
        out = []
        for name in sorted(bucket):
            k = f"{prefix}:{name}"
            hidden = any(shown[x] in (disclosure.HIDDEN, disclosure.SECONDARY) for x in (k, k + ":in"))
            out.append(
                {
                    "label": (labels or {}).get(name, name),
                    "asked": shown[k],
                    "within": shown[k + ":in"],
                    "share": disclosure.share(values[k + ":in"], values[k], hidden=hidden),
                }
            )
        return out

    pairings = Pairing.objects.filter(mentee__household__region=region)
    answers = dict(
        CheckIn.objects.filter(pairing__mentee__household__region=region, answered_at__isnull=False)
        .values_list("answer")
        .annotate(n=Count("pk"))
    )
    answer_series = disclosure.series([answers.get(a, 0) for a in CheckIn.Answer.values])
    waits.sort()
    return {
        "total": {
            "asked": shown["all"],
            "within": shown["in"],
            "share": disclosure.share(
                values["in"],
                values["all"],
                hidden=any(shown[k] in (disclosure.HIDDEN, disclosure.SECONDARY) for k in ("in", "all")),
            ),
        },
        "by_provider": rows("p", providers),
        "by_form": rows("f", forms, labels=dict(FamilyForm.choices)),
        # A median of fewer than 10 waits would describe too few people.
        "median_wait_days": waits[len(waits) // 2] if not disclosure.is_small(len(waits)) and waits else None,
        "trials_passed": disclosure.count(pairings.filter(trial_passed=True).count()),
        "ended_early": disclosure.count(pairings.filter(ended_early=True).count()),
        "answers": list(zip(CheckIn.Answer.labels, answer_series.cells, strict=True)),
        "answers_total": answer_series.total,
        "within_days": WITHIN_DAYS,
    }


def round_view(rnd: Round) -> dict:
    proposals = list(
        rnd.proposals.select_related(
            "mentee__household__municipality", "mentor__user__household__municipality"
        )
    )
    return {
        "round": rnd,
        "pairs": [p for p in proposals if p.mentor_id],
        "unmatched": [p for p in proposals if not p.mentor_id],
    }


def my_pairings(user) -> list[Pairing]:
    return list(
        scope(user, "matching.answer_pairing", Pairing.objects.all())
        .filter(status__in=OPEN_PAIRING)
        .select_related("mentee__household", "mentor__user")
    )


def provider_pairings(user) -> list[Pairing]:
    """Pairings of the worker's provider's families (to send check-ins)."""
    return list(
        scope(user, "matching.send_checkin", Pairing.objects.all())
        .filter(status__in=(Pairing.Status.TRIAL, Pairing.Status.ACTIVE))
        .select_related("mentee__household", "mentor__user")
    )


def unverified_mentors(user) -> list[MentorProfile]:
    return list(
        scope(user, "matching.verify_mentor", MentorProfile.objects.all())
        .filter(Q(offer__isnull=True) | Q(offer__verified_at__isnull=True))
        .select_related("user__household")
    )


def network(user) -> list[NetworkContact]:
    return list(
        scope(user, "matching.view_network", NetworkContact.objects.all()).select_related("household")
    )


def buddy_talks(user) -> list:
    from .models import Buddy

    return list(
        scope(user, "matching.talk_buddy", Buddy.objects.all())
        .select_related("prospect", "ambassador__user")
        .prefetch_related("messages__sender")
    )


def provider_buddies(user) -> list:
    """For provider staff: which prospects have a buddy among their ambassadors (no messages)."""
    from .models import Buddy

    if not roles_of(user).provider_ids:
        return []
    return list(
        scope(user, "matching.view_buddy", Buddy.objects.filter(status="active"))
        .exclude(ambassador__user_id=user.pk)
        .select_related("prospect", "ambassador__user")
    )


def provider_constellations(user) -> list:
    """The constellations of the provider(s) this worker serves, with hub and satellites."""
    from .models import Constellation

    qs = scope(user, "matching.manage_constellation", Constellation.objects.all())
    return list(qs.select_related("hub").prefetch_related("satellites").order_by("name", "pk"))


def constellation_households(user) -> QuerySet:
    """Verified households the worker may put in a constellation (their provider's own)."""
    from thuisnet.accounts.models import Household

    qs = scope(user, "matching.manage_constellation", Household.objects.all())
    return qs.filter(verified_at__isnull=False).order_by("display_name", "pk")


def buddy_conversion(region: Region) -> dict:
    """Issue 11, item 4: of the region's prospects with an account, how many reached the intake
    (first conversation or further) with and without a buddy. Counts through
    ``disclosure.linked`` (reached + not reached = in the funnel, per group)."""
    from foster.selectors import funnel_conversion_by_emails

    from .models import Buddy

    with_buddy = set(
        Buddy.objects.filter(prospect__region=region).values_list("prospect__email", flat=True).distinct()
    )
    # Accounts without a household, staff role or superuser flag: prospects who signed up.
    prospects = set(
        region.users.filter(household__isnull=True, is_superuser=False, memberships__isnull=True)
        .values_list("email", flat=True)
        .distinct()
    )
    groups = {"with": with_buddy, "without": prospects - with_buddy}
    values: dict[str, int] = {}
    equations = []
    for key, emails in groups.items():
        conv = (
            funnel_conversion_by_emails(emails, region.pk)
            if emails
            else {"in_funnel": 0, "reached_intake": 0}
        )
        values[f"{key}:in"] = conv["in_funnel"]
        values[f"{key}:reached"] = conv["reached_intake"]
        values[f"{key}:not"] = conv["in_funnel"] - conv["reached_intake"]
        equations.append(([f"{key}:reached", f"{key}:not"], f"{key}:in"))
    shown = disclosure.linked(values, equations) if any(values.values()) else {k: "0" for k in values}
    rows = []
    for key, label in (("with", _("Met een buddy")), ("without", _("Zonder buddy"))):
        hidden = any(
            shown[f"{key}:{p}"] in (disclosure.HIDDEN, disclosure.SECONDARY) for p in ("in", "reached")
        )
        rows.append(
            {
                "label": label,
                "in_funnel": shown[f"{key}:in"],
                "reached": shown[f"{key}:reached"],
                "share": disclosure.share(values[f"{key}:reached"], values[f"{key}:in"], hidden=hidden),
            }
        )
    return {"rows": rows}
