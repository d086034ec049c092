"""Rules for mentor pairing; row capabilities have a scope beside the check."""

from datetime import date, timedelta

from django.db.models import Q, QuerySet

from thuisnet.accounts.roles import COORDINATOR, PARENT, roles_of

from .registry import rule, scope_of

MENTOR_EXPERIENCE_YEARS = 2

# Capabilities whose rule takes a row; each has a scope (tests/test_policies.py checks).
ROW_CAPABILITIES = {
    "matching.ask_mentor",
    "matching.view_request",
    "matching.decide_request",
    "matching.withdraw_request",
    "matching.view_overview",
}


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


@rule("matching.ask_mentor")
def ask_mentor(user, profile=None) -> bool:
    """A parent may ask an available mentor of their own region (never themselves)."""
    household = _household(user)
    if household is None:
        return False
    if profile is None:
        return True
    mentor_household = profile.user.household
    return (
        profile.is_available
        and profile.user_id != user.pk
        and mentor_household is not None
        and mentor_household.region_id == household.region_id
    )


@scope_of("matching.ask_mentor")
def ask_mentor_scope(user, qs: QuerySet) -> QuerySet:
    household = _household(user)
    if household is None:
        return qs.none()
    return qs.filter(is_available=True, user__household__region_id=household.region_id).exclude(
        user_id=user.pk
    )


@rule("matching.view_request")
def view_request(user, request=None) -> bool:
    """Only the two sides of a request see it."""
    return request is not None and user.pk in (request.mentee_id, request.mentor_id)


@scope_of("matching.view_request")
def view_request_scope(user, qs: QuerySet) -> QuerySet:
    return qs.filter(Q(mentee_id=user.pk) | Q(mentor_id=user.pk))


@rule("matching.decide_request")
def decide_request(user, request=None) -> bool:
    return request is not None and request.mentor_id == user.pk


@scope_of("matching.decide_request")
def decide_request_scope(user, qs: QuerySet) -> QuerySet:
    return qs.filter(mentor_id=user.pk)


@rule("matching.withdraw_request")
def withdraw_request(user, request=None) -> bool:
    return request is not None and request.mentee_id == user.pk


@scope_of("matching.withdraw_request")
def withdraw_request_scope(user, qs: QuerySet) -> QuerySet:
    return qs.filter(mentee_id=user.pk)


@rule("matching.view_overview")
def view_overview(user, region=None) -> bool:
    r = roles_of(user)
    return r.has(COORDINATOR) and (region is None or region.pk in r.coordinator_region_ids)


@scope_of("matching.view_overview")
def view_overview_scope(user, qs: QuerySet) -> QuerySet:
    """Regions (rows of Region) whose mentor counts the user may see."""
    return qs.filter(pk__in=roles_of(user).coordinator_region_ids)
