"""Rules for the foster app (recruitment evenings, registrations, the funnel).

Organisers of an evening are the staff of its organising providers and the coordinators
of its region. Prospects are followed up by the staff of the owning provider; the region's
coordinators see all prospects and the report.
"""

from thuisnet.accounts.roles import ADMINISTRATOR, COORDINATOR, PROVIDER_STAFF, roles_of

from .registry import anonymous_allowed, rule


def _page_of(obj):
    page = getattr(obj, "page", obj)  # an EveningSession or an EveningPage
    return getattr(page, "specific", page)


@rule("foster.register")
@anonymous_allowed
def register(user, evening) -> bool:
    """Anyone may register for an evening, without an account."""
    return True


@rule("foster.organise")
def organise(user, evening) -> bool:
    """See registrations, check in, export, message and cancel one evening."""
    r = roles_of(user)
    if r.has(ADMINISTRATOR):
        return True
    if evening is None:
        return False
    page = _page_of(evening)
    if page.region_id in r.coordinator_region_ids:
        return True
    organiser_ids = {o.pk for o in page.organisers.all()}
    return bool(organiser_ids & r.organiser_provider_ids)


@rule("foster.list_organised")
def list_organised(user, _obj=None) -> bool:
    """Open the organiser overview (it shows only the evenings one may organise)."""
    r = roles_of(user)
    return bool(r.names & {ADMINISTRATOR, COORDINATOR, PROVIDER_STAFF})


@rule("foster.list_prospects")
def list_prospects(user, _obj=None) -> bool:
    r = roles_of(user)
    return bool(r.names & {ADMINISTRATOR, COORDINATOR, PROVIDER_STAFF})


@rule("foster.follow_up")
def follow_up(user, prospect) -> bool:
    """See one prospect and record the next step."""
    r = roles_of(user)
    if r.has(ADMINISTRATOR):
        return True
    if prospect is None:
        return False
    return prospect.provider_id in r.provider_ids or prospect.region_id in r.coordinator_region_ids


@rule("foster.view_report")
def view_report(user, region) -> bool:
    """The region's funnel report (counts, conversion, median days, sources)."""
    r = roles_of(user)
    if r.has(ADMINISTRATOR):
        return True
    return region is not None and region.pk in r.coordinator_region_ids
