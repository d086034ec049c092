"""Rules for the platform itself: the CMS, administration, regions and providers."""

from thuisnet.accounts.roles import ADMINISTRATOR, COORDINATOR, EDITOR, roles_of

from .registry import rule


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


@rule("provider.act_for")
def provider_act_for(user, organisation=None) -> bool:
    """Provider staff act for the providers they are a member of, and only those."""
    r = roles_of(user)
    if organisation is None:
        return bool(r.provider_ids)
    return organisation.pk in r.provider_ids
