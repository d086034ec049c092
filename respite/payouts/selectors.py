"""Read-side queries of the payouts pages; every list asks the policies' ``scope()``.

Respite bookings are read here, never changed. (A public ``respite.selectors.completed_stays``
would be the cleaner seam; see the report.)
"""

from __future__ import annotations

from datetime import timedelta

from django.db.models import QuerySet
from django.utils import timezone

from thuisnet.accounts.models import Region
from thuisnet.accounts.policies import payouts as _payout_rules  # noqa: F401  (registers the rules)
from thuisnet.accounts.policies import scope

from .models import ConnectedAccount, Payout, RateCard, ReconciliationRun
from .services import HOST_KINDS

COMPLETED_WINDOW = timedelta(days=120)


def own_account(user) -> ConnectedAccount | None:
    return scope(user, "payouts.onboard", ConnectedAccount.objects.all()).first()


def own_payouts(user) -> QuerySet:
    return Payout.objects.filter(host_id=user.pk).select_related("booking", "booking__offer")


def stays_to_confirm(user) -> QuerySet:
    """Accepted host- and support-family stays of the user's providers that ended lately
    (respite's public read of completed stays, narrowed to what payouts may confirm)."""
    from respite.selectors import completed_stays

    today = timezone.localdate()
    qs = completed_stays(user, since=today - COMPLETED_WINDOW).filter(
        offer__kind__in=HOST_KINDS, offer__host_user__isnull=False
    )
    return (
        scope(user, "payouts.confirm_stay", qs)
        .select_related("offer", "offer__host_user", "payout")
        .order_by("-end", "-pk")
    )


def provider_payouts(user) -> QuerySet:
    return scope(user, "payouts.view_payout", Payout.objects.all()).select_related(
        "booking", "booking__offer", "host"
    )


def managed_regions(user) -> QuerySet:
    return scope(user, "payouts.manage_region", Region.objects.all()).order_by("name")


def region_payouts(user, region: Region) -> QuerySet:
    return (
        scope(user, "payouts.view_payout", Payout.objects.filter(region=region))
        .select_related("booking__offer", "provider", "host")
        .order_by("-period", "-pk")
    )


def rate_card(region: Region) -> QuerySet:
    return RateCard.objects.filter(region=region).order_by("unit", "-valid_from")


def reconciliation_runs(limit: int = 12) -> QuerySet:
    return ReconciliationRun.objects.all()[:limit]
