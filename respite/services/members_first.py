"""Members first (issue 11, item 5): a hub family's respite is for its own constellation first.

A night or day part of an offer whose host household is a constellation hub is open only to
the households of that constellation until ``members_first_days`` after it was opened, then to
the region. "Opened" is ``Slot.opened_on``: the day the ledger row got capacity, i.e. the day
the availability pattern (or the offer's capacity) that makes it free was saved. Rows from
before this was recorded have no date and are open to everyone.

Who is a hub, and who belongs to it, is matching's answer (``matching.constellations``).
"""

from __future__ import annotations

from datetime import date

ANCHOR = date(2000, 1, 1)


def members_first_days(host_household_id: int | None) -> int | None:
    """The hub's members-first window in days; None when the host is no hub (or has none)."""
    if not host_household_id:
        return None
    from matching.constellations import members_only_until

    until = members_only_until(host_household_id, ANCHOR)
    return (until - ANCHOR).days if until else None


def member_households(household_id: int | None) -> set[int]:
    """The households of the constellation ``household_id`` belongs to (empty for none)."""
    if not household_id:
        return set()
    from matching.constellations import constellation_household_ids

    return constellation_household_ids(household_id)


def is_member(household_id: int | None, host_household_id: int | None) -> bool:
    """Does ``household_id`` belong to the constellation of the host's household?"""
    return bool(host_household_id) and host_household_id in member_households(household_id)


def hub_days_expression():
    """The host household's members-first days as a subquery on an offer query (NULL for no
    hub): the search reads it with the candidates, in the same query. It answers what
    ``members_first_days`` answers (the equivalence test checks it)."""
    from django.db.models import OuterRef, Subquery

    from matching.models import Constellation

    return Subquery(
        Constellation.objects.filter(
            hub_id=OuterRef("host_user__household_id"), members_first_days__gt=0
        ).values("members_first_days")[:1]
    )


def in_window(opened_on: date | None, days: int | None, today: date) -> bool:
    """Is a row opened on ``opened_on`` still for the hub's constellation only on ``today``?"""
    return bool(days) and opened_on is not None and (today - opened_on).days < days


def window_for(offer, household_id: int | None) -> int | None:
    """The window (days) that keeps ``household_id`` out of the offer's new nights; None when
    the offer is no hub's or the household belongs to the hub's constellation."""
    host = offer.host_user.household_id if offer.host_user_id else None
    days = members_first_days(host)
    if days is None or is_member(household_id, host):
        return None
    return days
