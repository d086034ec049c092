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


# --- coordinator matching, pairings, check-ins, network (issue 11) ---------------------------

ROW_CAPABILITIES |= {
    "matching.run_round",
    "matching.refer_mentee",
    "matching.verify_mentor",
    "matching.view_pairing",
    "matching.answer_pairing",
    "matching.send_checkin",
    "matching.end_pairing",
    "matching.view_network",
}


@rule("matching.run_round")
def run_round(user, region=None) -> bool:
    """Region coordinators run rounds (and see the region's figures) for their own region."""
    r = roles_of(user)
    return r.has(COORDINATOR) and region is not None and region.pk in r.coordinator_region_ids


@scope_of("matching.run_round")
def run_round_scope(user, qs: QuerySet) -> QuerySet:
    return qs.filter(pk__in=roles_of(user).coordinator_region_ids)


@rule("matching.refer_mentee")
def refer_mentee(user, household=None) -> bool:
    """Provider staff refer their own provider's households."""
    return household is not None and household.provider_id in roles_of(user).provider_ids


@scope_of("matching.refer_mentee")
def refer_mentee_scope(user, qs: QuerySet) -> QuerySet:
    return qs.filter(provider_id__in=roles_of(user).provider_ids)


@rule("matching.verify_mentor")
def verify_mentor(user, profile=None) -> bool:
    """The mentor's own provider confirms them as mentor."""
    household = getattr(getattr(profile, "user", None), "household", None)
    return household is not None and household.provider_id in roles_of(user).provider_ids


@scope_of("matching.verify_mentor")
def verify_mentor_scope(user, qs: QuerySet) -> QuerySet:
    return qs.filter(user__household__provider_id__in=roles_of(user).provider_ids)


def _is_side(user, pairing) -> bool:
    r = roles_of(user)
    return pairing.mentor.user_id == user.pk or (
        r.household_id is not None and pairing.mentee.household_id == r.household_id
    )


def _side_q(user) -> Q:
    r = roles_of(user)
    q = Q(mentor__user_id=user.pk)
    if r.household_id is not None:
        q |= Q(mentee__household_id=r.household_id)
    return q


@rule("matching.answer_pairing")
def answer_pairing(user, pairing=None) -> bool:
    return pairing is not None and _is_side(user, pairing)


@scope_of("matching.answer_pairing")
def answer_pairing_scope(user, qs: QuerySet) -> QuerySet:
    if not roles_of(user).names:
        return qs.none()
    return qs.filter(_side_q(user))


@rule("matching.view_pairing")
def view_pairing(user, pairing=None) -> bool:
    """The two sides, the mentee's provider, and the region's coordinators."""
    if pairing is None:
        return False
    r = roles_of(user)
    return (
        _is_side(user, pairing)
        or pairing.mentee.household.provider_id in r.provider_ids
        or pairing.mentee.household.region_id in r.coordinator_region_ids
    )


@scope_of("matching.view_pairing")
def view_pairing_scope(user, qs: QuerySet) -> QuerySet:
    r = roles_of(user)
    if not r.names:
        return qs.none()
    return qs.filter(
        _side_q(user)
        | Q(mentee__household__provider_id__in=r.provider_ids)
        | Q(mentee__household__region_id__in=r.coordinator_region_ids)
    )


@rule("matching.send_checkin")
def send_checkin(user, pairing=None) -> bool:
    """The mentee's provider's worker sends check-ins."""
    return pairing is not None and pairing.mentee.household.provider_id in roles_of(user).provider_ids


@scope_of("matching.send_checkin")
def send_checkin_scope(user, qs: QuerySet) -> QuerySet:
    return qs.filter(mentee__household__provider_id__in=roles_of(user).provider_ids)


@rule("matching.end_pairing")
def end_pairing(user, pairing=None) -> bool:
    """Either side, or a coordinator of the mentee's region (re-matching)."""
    if pairing is None:
        return False
    return (
        _is_side(user, pairing) or pairing.mentee.household.region_id in roles_of(user).coordinator_region_ids
    )


@scope_of("matching.end_pairing")
def end_pairing_scope(user, qs: QuerySet) -> QuerySet:
    r = roles_of(user)
    if not r.names:
        return qs.none()
    return qs.filter(_side_q(user) | Q(mentee__household__region_id__in=r.coordinator_region_ids))


@rule("matching.view_network")
def view_network(user, contact=None) -> bool:
    """The household itself; its provider's workers only when the household shared it."""
    if contact is None:
        return False
    r = roles_of(user)
    return contact.household_id == r.household_id or (
        contact.shared_with_provider and contact.household.provider_id in r.provider_ids
    )


@scope_of("matching.view_network")
def view_network_scope(user, qs: QuerySet) -> QuerySet:
    r = roles_of(user)
    q = Q(shared_with_provider=True, household__provider_id__in=r.provider_ids)
    if r.household_id is not None:
        q |= Q(household_id=r.household_id)
    return qs.filter(q)


# --- buddies for prospects (issue 11, item 4) ------------------------------------------------

ROW_CAPABILITIES |= {"matching.ask_buddy", "matching.talk_buddy", "matching.view_buddy"}


def _is_prospect(user) -> bool:
    """Signed in, no household yet and no staff role: someone considering fostering."""
    r = roles_of(user)
    return bool(user is not None and getattr(user, "is_authenticated", False)) and not r.names


# A buddy is for someone in the recruitment funnel between the evening and the intake: they
# registered for or attended an information evening and have not had the first conversation.
BUDDY_STAGES = ("registered", "attended")


def _in_funnel_before_intake(user) -> bool:
    from foster.selectors import funnel_stage_for  # the funnel's public query

    return funnel_stage_for(user.email, user.region_id) in BUDDY_STAGES


@rule("matching.ask_buddy")
def ask_buddy(user, region=None) -> bool:
    """A prospect from the recruitment funnel (after an evening, before intake) asks for a
    buddy in their own region."""
    return (
        region is not None
        and _is_prospect(user)
        and user.region_id == region.pk
        and _in_funnel_before_intake(user)
    )


@scope_of("matching.ask_buddy")
def ask_buddy_scope(user, qs: QuerySet) -> QuerySet:
    if not (_is_prospect(user) and user.region_id and _in_funnel_before_intake(user)):
        return qs.none()
    return qs.filter(pk=user.region_id)


@rule("matching.talk_buddy")
def talk_buddy(user, buddy=None) -> bool:
    """Only the prospect and the ambassador read and write the messages."""
    return (
        buddy is not None and user.pk is not None and user.pk in (buddy.prospect_id, buddy.ambassador.user_id)
    )


@scope_of("matching.talk_buddy")
def talk_buddy_scope(user, qs: QuerySet) -> QuerySet:
    if user.pk is None:
        return qs.none()
    return qs.filter(Q(prospect_id=user.pk) | Q(ambassador__user_id=user.pk))


@rule("matching.view_buddy")
def view_buddy(user, buddy=None) -> bool:
    """The two sides, and the ambassador's provider (who sees that a prospect has a buddy)."""
    if buddy is None:
        return False
    household = buddy.ambassador.user.household
    return talk_buddy(user, buddy) or (
        household is not None and household.provider_id in roles_of(user).provider_ids
    )


@scope_of("matching.view_buddy")
def view_buddy_scope(user, qs: QuerySet) -> QuerySet:
    if user.pk is None:
        return qs.none()
    return qs.filter(
        Q(prospect_id=user.pk)
        | Q(ambassador__user_id=user.pk)
        | Q(ambassador__user__household__provider_id__in=roles_of(user).provider_ids)
    )


# --- constellations (issue 11, item 5) -------------------------------------------------------

ROW_CAPABILITIES |= {"matching.manage_constellation"}


@rule("matching.manage_constellation")
def manage_constellation(user, household=None) -> bool:
    """The hub household's provider forms its constellation."""
    return household is not None and household.provider_id in roles_of(user).provider_ids


@scope_of("matching.manage_constellation")
def manage_constellation_scope(user, qs: QuerySet) -> QuerySet:
    return qs.filter(provider_id__in=roles_of(user).provider_ids)


@rule("matching.open_constellations")
def open_constellations(user, obj=None) -> bool:
    """Provider staff open their organisation's constellation page (menu and page)."""
    return bool(roles_of(user).provider_ids)


ROW_CAPABILITIES |= {"matching.plan_gathering", "matching.view_gatherings"}


def _constellation_household_ids(constellation) -> set[int]:
    return {constellation.hub_id, *constellation.satellites.values_list("pk", flat=True)}


@rule("matching.plan_gathering")
def plan_gathering(user, constellation=None) -> bool:
    """The hub family and its provider's staff plan the constellation's get-togethers."""
    if constellation is None or not getattr(user, "is_authenticated", False):
        return False
    r = roles_of(user)
    return constellation.provider_id in r.provider_ids or (
        r.household_id is not None and r.household_id == constellation.hub_id
    )


@scope_of("matching.plan_gathering")
def plan_gathering_scope(user, qs: QuerySet) -> QuerySet:
    r = roles_of(user)
    if not getattr(user, "is_authenticated", False):
        return qs.none()
    return qs.filter(Q(provider_id__in=r.provider_ids) | Q(hub_id=r.household_id or -1))


@rule("matching.view_gatherings")
def view_gatherings(user, constellation=None) -> bool:
    """Members (hub and satellites) and the provider's staff see the get-togethers."""
    if constellation is None or not getattr(user, "is_authenticated", False):
        return False
    r = roles_of(user)
    if constellation.provider_id in r.provider_ids:
        return True
    return r.household_id is not None and r.household_id in _constellation_household_ids(constellation)


@scope_of("matching.view_gatherings")
def view_gatherings_scope(user, qs: QuerySet) -> QuerySet:
    r = roles_of(user)
    if not getattr(user, "is_authenticated", False):
        return qs.none()
    hid = r.household_id or -1
    return qs.filter(Q(provider_id__in=r.provider_ids) | Q(hub_id=hid) | Q(satellites__id=hid)).distinct()
