"""Periodic jobs of the recruitment app (run by ``manage.py worker``). All idempotent."""

from datetime import timedelta

from thuisnet.core.jobs import periodic

from . import services


@periodic("foster.send_reminders", every=timedelta(minutes=15))
def send_reminders() -> int:
    return services.send_reminders()


@periodic("foster.expire_offers", every=timedelta(minutes=5))
def expire_offers() -> int:
    return services.expire_offers()


@periodic("foster.retention", every=timedelta(hours=24))
def retention() -> dict:
    return services.apply_retention()


@periodic("foster.extend_series", every=timedelta(hours=24))
def extend_series() -> int:
    """Recurring series get session ledgers for occurrences that came into the horizon."""
    from .models import EveningPage

    pages = EveningPage.objects.live().exclude(repeat="")
    for page in pages:
        services.sync_evening(page)
    return pages.count()
