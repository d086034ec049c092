"""Rules for the placement register and breakdown monitor. Register with @rule("placements.<verb>").

Rows (individual placements) are seen and changed only by staff of the provider that
registered them. Region coordinators see aggregates of their own region, never rows.
Provider staff see their own provider's aggregates beside the region's.

Each row capability has a ``@scope_of`` half. ``view_rows`` and ``edit`` take a provider
(``Organisation``) or a placement, so their scopes accept querysets of either model.
"""

from django.db.models import Q, QuerySet

from thuisnet.accounts.roles import COORDINATOR, PROVIDER_STAFF, roles_of

from .registry import rule, scope_of

# Capabilities whose rule takes a row; each has a scope (tests/test_policies_placements.py).
ROW_CAPABILITIES = {
    "placements.view_rows",
    "placements.edit",
    "placements.view_report",
    "placements.view_provider_report",
    "placements.manage_target",
}


def _provider_id(obj) -> int | None:
    if obj is None:
        return None
    if obj.__class__.__name__ == "Organisation":
        return obj.pk
    return getattr(obj, "provider_id", None)


def _region_id(obj) -> int | None:
    if obj is None:
        return None
    if obj.__class__.__name__ == "Region":
        return obj.pk
    return getattr(obj, "region_id", None)


def _provider_field(queryset: QuerySet) -> str:
    """``pk`` for a queryset of providers, ``provider_id`` for rows that belong to one."""
    return "pk" if queryset.model.__name__ == "Organisation" else "provider_id"


def _own_rows(user, queryset: QuerySet) -> QuerySet:
    r = roles_of(user)
    if not r.has(PROVIDER_STAFF):
        return queryset.none()
    return queryset.filter(**{f"{_provider_field(queryset)}__in": r.provider_ids})


@rule("placements.view_rows")
def view_rows(user, obj=None) -> bool:
    """See individual placements: staff of the provider (obj: provider or placement)."""
    r = roles_of(user)
    if not r.has(PROVIDER_STAFF):
        return False
    return obj is None or _provider_id(obj) in r.provider_ids


@scope_of("placements.view_rows")
def view_rows_scope(user, queryset: QuerySet) -> QuerySet:
    return _own_rows(user, queryset)


@rule("placements.edit")
def edit(user, obj=None) -> bool:
    """Enter, import and correct placements of a provider (obj: provider or placement)."""
    r = roles_of(user)
    if not r.has(PROVIDER_STAFF):
        return False
    return obj is None or _provider_id(obj) in r.provider_ids


@scope_of("placements.edit")
def edit_scope(user, queryset: QuerySet) -> QuerySet:
    return _own_rows(user, queryset)


@rule("placements.view_report")
def view_report(user, region=None) -> bool:
    """See the region's aggregates: its coordinators, and staff of its providers."""
    r = roles_of(user)
    if r.has(COORDINATOR) and (region is None or _region_id(region) in r.coordinator_region_ids):
        return True
    if r.has(PROVIDER_STAFF):
        if region is None:
            return True
        from thuisnet.accounts.models import Organisation

        return Organisation.objects.filter(pk__in=r.provider_ids, region_id=_region_id(region)).exists()
    return False


@scope_of("placements.view_report")
def view_report_scope(user, queryset: QuerySet) -> QuerySet:
    """Regions whose aggregates the user may see."""
    from thuisnet.accounts.models import Organisation

    r = roles_of(user)
    field = "pk" if queryset.model.__name__ == "Region" else "region_id"
    if not (r.has(COORDINATOR) or r.has(PROVIDER_STAFF)):
        return queryset.none()
    allowed = Q(**{f"{field}__in": r.coordinator_region_ids if r.has(COORDINATOR) else []})
    if r.has(PROVIDER_STAFF):
        provider_regions = Organisation.objects.filter(pk__in=r.provider_ids).values("region_id")
        allowed |= Q(**{f"{field}__in": provider_regions})
    return queryset.filter(allowed)


@rule("placements.view_provider_report")
def view_provider_report(user, provider=None) -> bool:
    """One provider's aggregates on its own: the region's coordinators and its own staff."""
    r = roles_of(user)
    if provider is None:
        return r.has(COORDINATOR) or r.has(PROVIDER_STAFF)
    if provider.pk in r.provider_ids:
        return True
    return r.has(COORDINATOR) and provider.region_id in r.coordinator_region_ids


@scope_of("placements.view_provider_report")
def view_provider_report_scope(user, queryset: QuerySet) -> QuerySet:
    r = roles_of(user)
    allowed = Q(pk__in=r.provider_ids)
    if r.has(COORDINATOR):
        allowed |= Q(region_id__in=r.coordinator_region_ids)
    return queryset.filter(allowed)


@rule("placements.manage_target")
def manage_target(user, region=None) -> bool:
    """Set the region's breakdown target: the region's coordinators."""
    r = roles_of(user)
    if not r.has(COORDINATOR):
        return False
    return region is None or _region_id(region) in r.coordinator_region_ids


@scope_of("placements.manage_target")
def manage_target_scope(user, queryset: QuerySet) -> QuerySet:
    """Regions (or rows with a ``region``, such as targets) the user sets targets for."""
    r = roles_of(user)
    if not r.has(COORDINATOR):
        return queryset.none()
    field = "pk" if queryset.model.__name__ == "Region" else "region_id"
    return queryset.filter(**{f"{field}__in": r.coordinator_region_ids})
