"""What roles a user holds. Computed once per user object and cached on it.

Policies (``policies/``) decide what a role may do; this module only says who is what.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.contrib.auth.models import AnonymousUser

PARENT = "parent"
PROVIDER_STAFF = "provider_staff"
COORDINATOR = "coordinator"
EDITOR = "editor"
ADMINISTRATOR = "administrator"
ALL_ROLES = (PARENT, PROVIDER_STAFF, COORDINATOR, EDITOR, ADMINISTRATOR)
STAFF_ROLES = frozenset({PROVIDER_STAFF, COORDINATOR, EDITOR, ADMINISTRATOR})
EDITOR_GROUPS = ("Editors", "Moderators")


@dataclass(frozen=True)
class Roles:
    names: frozenset[str] = frozenset()
    provider_ids: frozenset[int] = frozenset()
    # Providers where the person may also act as expert, moderator or evening organiser.
    expert_provider_ids: frozenset[int] = frozenset()
    moderator_provider_ids: frozenset[int] = frozenset()
    organiser_provider_ids: frozenset[int] = frozenset()
    coordinator_region_ids: frozenset[int] = frozenset()
    # Every region the person's providers work in (their own region and any they also serve).
    provider_region_ids: frozenset[int] = frozenset()
    region_id: int | None = None
    household_id: int | None = None
    extra: dict = field(default_factory=dict)

    def has(self, role: str) -> bool:
        return role in self.names


_NOBODY = Roles()


def roles_of(user) -> Roles:
    if user is None or isinstance(user, AnonymousUser) or not user.is_authenticated:
        return _NOBODY
    cached = getattr(user, "_thuisnet_roles", None)
    if cached is not None:
        return cached
    names: set[str] = set()
    providers, experts, moderators, organisers, regions = set(), set(), set(), set(), set()
    provider_regions: set[int] = set()
    for m in user.memberships.select_related("organisation"):
        org = m.organisation
        if m.role == "coordinator" and org.kind == "region":
            regions.add(org.region_id)
        elif m.role == "staff" and org.kind == "provider":
            providers.add(org.pk)
            provider_regions.add(org.region_id)
            if m.is_expert:
                experts.add(org.pk)
            if m.is_moderator:
                moderators.add(org.pk)
            if m.is_organiser:
                organisers.add(org.pk)
    if user.household_id:
        names.add(PARENT)
    if providers:
        names.add(PROVIDER_STAFF)
        from .models import Organisation

        served = Organisation.served_regions.through.objects.filter(organisation_id__in=providers)
        provider_regions.update(served.values_list("region_id", flat=True))
    if regions:
        names.add(COORDINATOR)
    if user.is_superuser:
        names.add(ADMINISTRATOR)
    if user.is_superuser or user.groups.filter(name__in=EDITOR_GROUPS).exists():
        names.add(EDITOR)
    roles = Roles(
        names=frozenset(names),
        provider_ids=frozenset(providers),
        expert_provider_ids=frozenset(experts),
        moderator_provider_ids=frozenset(moderators),
        organiser_provider_ids=frozenset(organisers),
        coordinator_region_ids=frozenset(regions),
        provider_region_ids=frozenset(provider_regions),
        region_id=user.region_id,
        household_id=user.household_id,
    )
    user._thuisnet_roles = roles
    return roles


def forget_roles(user) -> None:
    """Call after changing memberships or groups of a user object still in use."""
    if hasattr(user, "_thuisnet_roles"):
        del user._thuisnet_roles


def requires_mfa(user) -> bool:
    """Staff roles see other people's data: they must use a second factor."""
    return bool(roles_of(user).names & STAFF_ROLES)
