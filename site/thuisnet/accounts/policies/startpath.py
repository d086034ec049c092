"""Rules for the start path of new family-home parents (knowledge app, issue 16 item 1).

A starter sees and updates their own path; the provider's staff (and the coach named on
the starter) see the progress of their provider's starters; region coordinators see the
region's aggregate (suppressed counts only, never a starter's row); administrators see all.
"""

from django.db.models import Q, QuerySet

from thuisnet.accounts.roles import ADMINISTRATOR, roles_of

from .registry import rule, scope_of

ROW_CAPABILITIES = {"startpath.view_starter", "startpath.update_progress"}


def _starter_of(user):
    from knowledge.models import Starter

    return Starter.objects.filter(user_id=user.pk).only("pk", "user_id").first()


@rule("startpath.follow")
def follow(user, obj=None) -> bool:
    """A starting family-home parent: someone with a start path."""
    return _starter_of(user) is not None


@rule("startpath.view_starter")
def view_starter(user, starter=None) -> bool:
    r = roles_of(user)
    if r.has(ADMINISTRATOR):
        return True
    if starter is None:
        return bool(r.provider_ids) or _starter_of(user) is not None
    return starter.user_id == user.pk or starter.coach_id == user.pk or starter.provider_id in r.provider_ids


@scope_of("startpath.view_starter")
def view_starter_scope(user, queryset: QuerySet) -> QuerySet:
    r = roles_of(user)
    if r.has(ADMINISTRATOR):
        return queryset
    return queryset.filter(Q(user_id=user.pk) | Q(coach_id=user.pk) | Q(provider_id__in=r.provider_ids))


@rule("startpath.update_progress")
def update_progress(user, starter=None) -> bool:
    """Only the starter marks their own steps done and adds documents."""
    if starter is None:
        return _starter_of(user) is not None
    return starter.user_id == user.pk


@scope_of("startpath.update_progress")
def update_progress_scope(user, queryset: QuerySet) -> QuerySet:
    return queryset.filter(user_id=user.pk)


@rule("startpath.coach")
def coach(user, obj=None) -> bool:
    """The coach's overview: provider staff (their provider's starters) and administrators."""
    r = roles_of(user)
    return bool(r.provider_ids) or r.has(ADMINISTRATOR)


@rule("startpath.view_region")
def view_region(user, region=None) -> bool:
    """The region's suppressed overview: its coordinators and administrators."""
    r = roles_of(user)
    if r.has(ADMINISTRATOR):
        return True
    if region is None:
        return bool(r.coordinator_region_ids)
    return getattr(region, "pk", region) in r.coordinator_region_ids
