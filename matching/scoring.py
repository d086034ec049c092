"""Scoring one (mentee, mentor) pair: hard constraints first, then weighted reasons in Dutch.

Works on plain ``Side`` records (built once per round from the database) so a round of
thousands scores without a query per pair.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from thuisnet.core import geo

from .models import DEFAULT_WEIGHTS, AgeBand, Availability, Language, Need


@dataclass
class Side:
    key: int  # Mentee.pk or MentorProfile.pk
    household_id: int
    family_form: str
    municipality_id: int
    municipality_name: str
    provider_id: int | None
    point: tuple[float, float] | None
    family_forms: list[str] = field(default_factory=list)
    age_bands: list[str] = field(default_factory=list)
    needs: list[str] = field(default_factory=list)
    languages: list[str] = field(default_factory=list)
    availability: list[str] = field(default_factory=list)
    max_travel_km: int = 25
    same_village_ok: bool = False


@dataclass
class Rules:
    weights: dict[str, float]
    forbid_own_provider: bool = False
    ended_pairs: frozenset[tuple[int, int]] = frozenset()  # (mentee household, mentor profile)

    def w(self, key: str) -> float:
        return float({**DEFAULT_WEIGHTS, **self.weights}.get(key, 0.0))


def _labels(choices, values) -> str:
    names = dict(choices.choices)
    return ", ".join(str(names.get(v, v)) for v in values)


def _fmt(points: float) -> str:
    return f"+{points:.1f}".replace(".", ",")


def forbidden(mentee: Side, mentor: Side, rules: Rules) -> str | None:
    """Why this pair may not be made (Dutch), or None when it may."""
    if mentee.household_id == mentor.household_id:
        return _("zelfde gezin")
    accepts = mentor.family_forms or [mentor.family_form]
    if mentee.family_form not in accepts:
        return _("mentor begeleidt deze gezinsvorm niet")
    if mentee.family_forms and mentor.family_form not in mentee.family_forms:
        return _("ouder wil een mentor met een andere gezinsvorm")
    if mentee.municipality_id == mentor.municipality_id and not (
        mentee.same_village_ok and mentor.same_village_ok
    ):
        # Support-family practice: never in the same village unless both ask for it.
        return _("zelfde gemeente zonder toestemming van beiden")
    if rules.forbid_own_provider and mentee.provider_id and mentee.provider_id == mentor.provider_id:
        return _("zelfde aanbieder (de regio staat dat niet toe)")
    if (mentee.household_id, mentor.key) in rules.ended_pairs:
        return _("deze koppeling is eerder beëindigd")
    if mentee.point and mentor.point:
        km = geo.distance_km(mentee.point, mentor.point)
        if km > min(mentee.max_travel_km, mentor.max_travel_km):
            return _("te ver weg (%(km)s km)") % {"km": round(km)}
    return None


def score(mentee: Side, mentor: Side, rules: Rules) -> tuple[float, list[str]]:
    """The weighted score of an allowed pair and its reasons, e.g. "ervaring met 4 tot 12 jaar (+3,0)"."""
    total, reasons = 0.0, []

    def add(points: float, text: str) -> None:
        nonlocal total
        if points > 0:
            total += points
            reasons.append(f"{text} ({_fmt(points)})")

    if mentee.family_form == mentor.family_form:
        add(rules.w("same_form"), _("zelfde gezinsvorm"))
    for key, choices, template in (
        ("age_bands", AgeBand, _("ervaring met %(items)s")),
        ("needs", Need, _("ervaring met %(items)s")),
        ("languages", Language, _("spreekt %(items)s")),
        ("availability", Availability, _("beschikbaar %(items)s")),
    ):
        wanted = getattr(mentee, key)
        shared = [v for v in wanted if v in getattr(mentor, key)]
        if wanted and shared:
            add(rules.w(key) * len(shared) / len(wanted), template % {"items": _labels(choices, shared)})
    if mentee.point and mentor.point:
        km = geo.distance_km(mentee.point, mentor.point)
        reach = max(1, min(mentee.max_travel_km, mentor.max_travel_km))
        add(rules.w("distance") * max(0.0, 1 - km / reach), _("%(km)s km reizen") % {"km": round(km)})
    if mentee.municipality_id == mentor.municipality_id:
        reasons.append(_("zelfde gemeente: beiden vinden dat goed"))
    return round(total, 3), reasons
