"""Rules for the foster app (recruitment evenings, registrations, the funnel).

Organisers of an evening are the staff of its organising providers and the coordinators
of its region. Prospects are followed up by the staff of the owning provider; the region's
coordinators see all prospects and the report.

Each row capability has two halves: ``@rule`` (one object) and ``@scope_of`` (a queryset).
Scopes filter with subqueries on ``pk``, never with joins over the organisers, so counts
annotated on the result are not multiplied by the number of organisers.
"""

from django.db.models import Q, QuerySet

from thuisnet.accounts.roles import ADMINISTRATOR, COORDINATOR, EDITOR, PARENT, PROVIDER_STAFF, roles_of

from .registry import anonymous_allowed, rule, scope_of

# Capabilities whose rule takes a row; each has a scope (tests/test_policies_foster.py).
ROW_CAPABILITIES = {
    "foster.register",
    "foster.organise",
    "foster.follow_up",
    "foster.view_report",
    "foster.publish_evening",
}


def _page_of(obj):
    page = getattr(obj, "page", obj)  # an EveningSession or an EveningPage
    return getattr(page, "specific", page)


def _page_prefix(queryset: QuerySet) -> str:
    """Sessions reach their page through ``page``; pages are the page."""
    from foster.models import EveningSession

    return "page__" if issubclass(queryset.model, EveningSession) else ""


@rule("foster.register")
@anonymous_allowed
def register(user, evening) -> bool:
    """Anyone may register for an evening, without an account."""
    return True


@scope_of("foster.register")
def register_scope(user, queryset: QuerySet) -> QuerySet:
    return queryset


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


@scope_of("foster.organise")
def organise_scope(user, queryset: QuerySet) -> QuerySet:
    """Sessions or evening pages the user organises (one subquery, no row multiplication)."""
    from foster.models import EveningPage

    r = roles_of(user)
    if r.has(ADMINISTRATOR):
        return queryset
    prefix = _page_prefix(queryset)
    organised = EveningPage.objects.filter(organisers__in=r.organiser_provider_ids).values("pk")
    key = "page__in" if prefix else "pk__in"
    return queryset.filter(Q(**{key: organised}) | Q(**{f"{prefix}region__in": r.coordinator_region_ids}))


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


@scope_of("foster.follow_up")
def follow_up_scope(user, queryset: QuerySet) -> QuerySet:
    r = roles_of(user)
    if r.has(ADMINISTRATOR):
        return queryset
    return queryset.filter(Q(provider_id__in=r.provider_ids) | Q(region_id__in=r.coordinator_region_ids))


@rule("foster.view_report")
def view_report(user, region) -> bool:
    """The region's funnel report (counts, conversion, median days, sources)."""
    r = roles_of(user)
    if r.has(ADMINISTRATOR):
        return True
    return region is not None and region.pk in r.coordinator_region_ids


@scope_of("foster.view_report")
def view_report_scope(user, queryset: QuerySet) -> QuerySet:
    """Of these regions, those whose funnel report the user may see."""
    r = roles_of(user)
    if r.has(ADMINISTRATOR):
        return queryset
    return queryset.filter(pk__in=r.coordinator_region_ids)


# --- theme evenings: parents of the region register with their account -----------------

ROW_CAPABILITIES.add("foster.register_as_parent")


def _household_of(user):
    r = roles_of(user)
    if not r.has(PARENT) or not r.household_id:
        return None
    from thuisnet.accounts.models import Household

    cached = getattr(user, "_foster_household", None)
    if cached is None or cached.pk != r.household_id:
        cached = Household.objects.filter(pk=r.household_id).only("pk", "region_id", "family_form").first()
        user._foster_household = cached
    return cached


# A household's family form (accounts) and the evening's family forms (foster) it covers.
_HOUSEHOLD_FORMS = {
    "foster": ("full_time", "part_time", "weekend"),
    "support": ("support",),
    "family_home": ("family_home",),
}


def _forms_of(household) -> tuple[str, ...]:
    return _HOUSEHOLD_FORMS.get(household.family_form, (household.family_form,))


@rule("foster.register_as_parent")
def register_as_parent(user, evening) -> bool:
    """A foster, support or family-home parent registers with their account for a theme
    evening of their household's region (for their family form, when the evening names forms)."""
    household = _household_of(user)
    if household is None or evening is None:
        return False
    page = _page_of(evening)
    if household.region_id != page.region_id:
        return False
    forms = page.family_forms or []
    return not forms or bool(set(forms) & set(_forms_of(household)))


@scope_of("foster.register_as_parent")
def register_as_parent_scope(user, queryset: QuerySet) -> QuerySet:
    """Sessions or evening pages of the household's region, for its family form."""
    household = _household_of(user)
    if household is None:
        return queryset.none()
    prefix = _page_prefix(queryset)
    forms = Q(**{f"{prefix}family_forms": []})
    for key in _forms_of(household):
        # A JSON list of keys: match the quoted key (works on PostgreSQL and SQLite).
        forms |= Q(**{f"{prefix}family_forms__icontains": f'"{key}"'})
    return queryset.filter(Q(**{f"{prefix}region_id": household.region_id}) & forms)


@rule("foster.my_activities")
def my_activities(user, _obj=None) -> bool:
    """A parent sees the evenings they registered for with their account."""
    return roles_of(user).has(PARENT)


@rule("foster.publish_evening")
def publish_evening(user, evening) -> bool:
    """Where the region allows it, an editor who works for one of the evening's organising
    providers publishes it without the moderator's check (Wagtail's own permissions still let
    moderators and administrators publish anything)."""
    if evening is None:
        return False
    r = roles_of(user)
    if not (r.has(EDITOR) and r.provider_ids):
        return False
    page = _page_of(evening)
    if page.region_id is None or not page.region.editors_publish_own_evenings:
        return False
    return bool({o.pk for o in page.organisers.all()} & r.provider_ids)


@scope_of("foster.publish_evening")
def publish_evening_scope(user, queryset: QuerySet) -> QuerySet:
    from foster.models import EveningPage

    r = roles_of(user)
    if not (r.has(EDITOR) and r.provider_ids):
        return queryset.none()
    prefix = _page_prefix(queryset)
    allowed = EveningPage.objects.filter(
        region__editors_publish_own_evenings=True, organisers__in=r.provider_ids
    ).values("pk")
    return queryset.filter(**{"page__in" if prefix else "pk__in": allowed})
