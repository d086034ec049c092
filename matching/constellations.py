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
