"""Periodic payout jobs. Each does nothing (and imports nothing of Stripe) while payouts are off."""

from datetime import timedelta

from django.utils import timezone

from thuisnet.core.jobs import periodic

from . import conf


@periodic("payouts.retry_pending", every=timedelta(minutes=10))
def retry_pending() -> int:
    """Transfers without an answer from Stripe: send again with the same idempotency key."""
    if not conf.enabled():
        return 0
    from . import services

    return services.retry_pending()


@periodic("payouts.retry_failed", every=timedelta(hours=1))
def retry_failed() -> int:
    """Refusals that go away by themselves (platform balance too low, host account not yet
    enabled): sent again under a new key, at most 5 times, 6 to 24 hours apart (``failures``).
    Hourly, so an attempt is at most an hour late."""
    if not conf.enabled():
        return 0
    from . import services

    return services.retry_failed_automatically()


@periodic("payouts.reconcile_last_month", every=timedelta(hours=24))
def reconcile_last_month() -> int:
    """Once a month (the job runs daily, a run per month is enough): last month against Stripe."""
    if not conf.enabled():
        return 0
    from . import services
    from .models import ReconciliationRun

    last_month = (timezone.localdate().replace(day=1) - timedelta(days=1)).replace(day=1)
    if (
        ReconciliationRun.objects.filter(month=last_month)
        .exclude(status=ReconciliationRun.Status.ERROR)
        .exists()
    ):
        return 0
    services.reconcile(last_month)
    return 1
