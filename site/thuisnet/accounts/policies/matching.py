"""Rules for mentor pairing."""

from datetime import date, timedelta

from thuisnet.accounts.roles import COORDINATOR, PARENT, roles_of

from .registry import rule

MENTOR_EXPERIENCE_YEARS = 2


def _household(user):
    return user.household if roles_of(user).has(PARENT) else None


def is_experienced(user) -> bool:
    household = _household(user)
    if household is None or not household.is_verified or household.parent_since is None:
        return False
    return household.parent_since <= date.today() - timedelta(days=365 * MENTOR_EXPERIENCE_YEARS)


@rule("matching.become_mentor")
def become_mentor(user, obj=None) -> bool:
    """Verified parents with at least two years of experience."""
    return is_experienced(user)


@rule("matching.find_mentor")
def find_mentor(user, obj=None) -> bool:
    """Any parent with a household; the provider confirms households, but a new parent
    who is still being confirmed needs a mentor most."""
    return _household(user) is not None


@rule("matching.decide_request")
def decide_request(user, request=None) -> bool:
    return request is not None and request.mentor_id == user.pk


@rule("matching.withdraw_request")
def withdraw_request(user, request=None) -> bool:
    return request is not None and request.mentee_id == user.pk


@rule("matching.view_overview")
def view_overview(user, region=None) -> bool:
    r = roles_of(user)
    return r.has(COORDINATOR) and (region is None or region.pk in r.coordinator_region_ids)
