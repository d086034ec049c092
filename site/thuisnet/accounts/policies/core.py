"""Rules for the platform itself: the CMS, administration, regions and providers."""

from django.db.models import QuerySet

from thuisnet.accounts.roles import ADMINISTRATOR, COORDINATOR, EDITOR, roles_of

from .registry import rule, scope_of

# Capabilities whose rule takes a row; each has a scope (tests/test_policies.py checks).
# Each policies/<area>.py exports such a set; the test reads all of them.
ROW_CAPABILITIES = {"region.view_aggregates", "provider.act_for"}


def _region_id(obj) -> int | None:
    if obj is None:
        return None
    return obj.pk if obj.__class__.__name__ == "Region" else getattr(obj, "region_id", None)


@rule("cms.access")
def cms_access(user, obj=None) -> bool:
    return roles_of(user).has(EDITOR)


@rule("site.administer")
def site_administer(user, obj=None) -> bool:
    return roles_of(user).has(ADMINISTRATOR)


@rule("audit.view")
def audit_view(user, obj=None) -> bool:
    return roles_of(user).has(ADMINISTRATOR)


@rule("region.view_aggregates")
def region_view_aggregates(user, region=None) -> bool:
    """Region coordinators see their own region's aggregates (never rows)."""
    r = roles_of(user)
    if not r.has(COORDINATOR):
        return False
    return region is None or _region_id(region) in r.coordinator_region_ids


@scope_of("region.view_aggregates")
def region_view_aggregates_scope(user, qs: QuerySet) -> QuerySet:
    """Regions, or rows with a ``region`` (organisations, municipalities), of the user's regions."""
    ids = roles_of(user).coordinator_region_ids
    return qs.filter(pk__in=ids) if qs.model.__name__ == "Region" else qs.filter(region_id__in=ids)


@rule("provider.act_for")
def provider_act_for(user, organisation=None) -> bool:
    """Provider staff act for the providers they are a member of, and only those."""
    r = roles_of(user)
    if organisation is None:
        return bool(r.provider_ids)
    return organisation.pk in r.provider_ids


@scope_of("provider.act_for")
def provider_act_for_scope(user, qs: QuerySet) -> QuerySet:
    return qs.filter(pk__in=roles_of(user).provider_ids)
