"""The constellation (issue 11, item 5): a provider forms a hub family with six to ten satellite
families. Members see each other's first names; other apps ask who belongs together through
the public queries below (respite: the hub's offer is open to its members first).
"""

from __future__ import annotations

from datetime import date, timedelta

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from thuisnet.accounts.models import Household, User
from thuisnet.accounts.policies import require

from .models import Constellation

MIN_SATELLITES, MAX_SATELLITES = 6, 10


class ConstellationError(Exception):
    """Dutch message for the provider's worker."""


def form_constellation(
    staff: User, *, name: str, hub: Household, satellites: list[Household], members_first_days: int = 14
) -> Constellation:
    """Form (or re-form) the hub's constellation. All families are the provider's own."""
    require(staff, "matching.manage_constellation", hub)
    satellites = [s for s in dict.fromkeys(satellites) if s.pk != hub.pk]
    if not MIN_SATELLITES <= len(satellites) <= MAX_SATELLITES:
        raise ConstellationError(
            _("Een constellatie heeft %(min)s tot %(max)s satellietgezinnen.")
            % {"min": MIN_SATELLITES, "max": MAX_SATELLITES}
        )
    if any(s.provider_id != hub.provider_id for s in satellites):
        raise ConstellationError(_("Alle gezinnen moeten bij dezelfde aanbieder horen als het hubgezin."))
    try:
        with transaction.atomic():
            constellation, _created = Constellation.objects.update_or_create(
                hub=hub,
                defaults={
                    "provider_id": hub.provider_id,
                    "name": (name or "").strip()[:80] or _("Constellatie"),
                    "members_first_days": max(0, min(60, members_first_days)),
                },
            )
            constellation.satellites.set(satellites)
    except IntegrityError:
        raise ConstellationError(_("Dit hubgezin heeft al een constellatie.")) from None
    return constellation


def constellation_of(household_id: int | None) -> Constellation | None:
    if not household_id:
        return None
    return (
        Constellation.objects.filter(hub_id=household_id).first()
        or Constellation.objects.filter(satellites__id=household_id).first()
    )


def member_first_names(user: User) -> list[tuple[str, str]]:
    """(first name, "hub"/"satellite") of the other members: what a member may see."""
    constellation = constellation_of(user.household_id)
    if constellation is None:
        return []
    ids = {constellation.hub_id, *constellation.satellites.values_list("pk", flat=True)} - {user.household_id}
    people = User.objects.filter(household_id__in=ids).order_by("full_name")
    return [
        (p.get_short_name(), "hub" if p.household_id == constellation.hub_id else "satellite") for p in people
    ]


def constellation_household_ids(household_id: int | None) -> set[int]:
    """Public query: the households of the constellation this household belongs to (with it)."""
    constellation = constellation_of(household_id)
    if constellation is None:
        return set()
    return {constellation.hub_id, *constellation.satellites.values_list("pk", flat=True)}


def members_only_until(host_household_id: int | None, opened: date) -> date | None:
    """Public query for respite: a hub's night opened on ``opened`` is for its constellation
    only until the returned date (None when the host is no hub)."""
    constellation = (
        Constellation.objects.filter(hub_id=host_household_id).first() if host_household_id else None
    )
    if constellation is None or not constellation.members_first_days:
        return None
    return opened + timedelta(days=constellation.members_first_days)


# --- get-togethers (Mockingbird's monthly meeting) ------------------------------------------


def plan_gathering(
    user: User, constellation: Constellation, *, starts_at, ends_at, place: str, note: str = ""
):
    """Plan a get-together; every member hears of it in their inbox."""
    from django.utils import timezone

    from thuisnet.accounts.inbox import notify
    from thuisnet.core.pii import explain, find_identifiers

    from .models import Gathering

    require(user, "matching.plan_gathering", constellation)
    errors: dict[str, str] = {}
    if starts_at <= timezone.now():
        errors["starts_at"] = _("Kies een moment in de toekomst.")
    if ends_at <= starts_at:
        errors["ends_at"] = _("Het einde moet na het begin liggen.")
    place = (place or "").strip()
    if not place:
        errors["place"] = _("Vul in waar jullie samenkomen.")
    findings = find_identifiers(note or "")
    if findings:
        errors["note"] = explain(findings)
    if errors:
        raise GatheringError(errors)
    with transaction.atomic():
        gathering = Gathering.objects.create(
            constellation=constellation,
            starts_at=starts_at,
            ends_at=ends_at,
            place=place[:200],
            note=(note or "").strip()[:1000],
            created_by=user,
        )
        for member in _member_users(constellation, exclude=user):
            notify(
                member,
                kind="matching",
                title=_("Nieuwe bijeenkomst van %(name)s op %(when)s")
                % {
                    "name": constellation.name,
                    "when": timezone.localtime(starts_at).strftime("%d-%m-%Y %H:%M"),
                },
                url="/mentoren/constellatie/",
            )
    return gathering


def cancel_gathering(user: User, gathering_id: int) -> None:
    """Call off a get-together: the calendar file gets a higher SEQUENCE and CANCELLED."""
    from thuisnet.accounts.inbox import notify

    from .models import Gathering

    with transaction.atomic():
        gathering = Gathering.objects.select_for_update().select_related("constellation").get(pk=gathering_id)
        require(user, "matching.plan_gathering", gathering.constellation)
        if gathering.cancelled:
            return
        gathering.cancelled = True
        gathering.sequence += 1
        gathering.save(update_fields=["cancelled", "sequence"])
        for member in _member_users(gathering.constellation, exclude=user):
            notify(
                member,
                kind="matching",
                title=_("Bijeenkomst van %(name)s gaat niet door") % {"name": gathering.constellation.name},
                url="/mentoren/constellatie/",
            )


class GatheringError(Exception):
    """Dutch messages per field."""

    def __init__(self, errors: dict[str, str]):
        super().__init__("; ".join(str(v) for v in errors.values()))
        self.errors = errors


def _member_users(constellation: Constellation, *, exclude: User | None = None):
    ids = {constellation.hub_id, *constellation.satellites.values_list("pk", flat=True)}
    qs = User.objects.filter(household_id__in=ids)
    return qs.exclude(pk=exclude.pk) if exclude is not None else qs


def gatherings_for(user: User, *, upcoming_only: bool = True) -> list:
    """The get-togethers of the user's constellation (members only; empty otherwise)."""
    from django.utils import timezone

    from .models import Gathering

    constellation = constellation_of(user.household_id)
    if constellation is None:
        return []
    qs = Gathering.objects.filter(constellation=constellation)
    if upcoming_only:
        qs = qs.filter(ends_at__gte=timezone.now(), cancelled=False)
    return list(qs)


def gatherings_calendar(user: User) -> bytes:
    """The member's .ics of their constellation's get-togethers (cancelled ones marked so)."""
    from thuisnet.core.ics import IcsEvent, build_calendar

    constellation = constellation_of(user.household_id)
    events = [
        IcsEvent(
            uid=f"bijeenkomst-{g.pk}@thuisnet",
            summary=_("Bijeenkomst %(name)s") % {"name": constellation.name},
            start=g.starts_at,
            end=g.ends_at,
            location=g.place,
            description=g.note,
            sequence=g.sequence,
            cancelled=g.cancelled,
        )
        for g in gatherings_for(user, upcoming_only=False)
    ]
    return build_calendar(events, name=constellation.name if constellation else "Thuisnet")
