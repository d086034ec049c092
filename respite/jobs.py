"""Periodic respite jobs: expire undecided requests, scrub children's data, extend ledgers."""

from datetime import timedelta

from thuisnet.core.jobs import periodic

from . import services


@periodic("respite.expire_requests", every=timedelta(minutes=5))
def expire_requests() -> int:
    return services.expire_overdue()


@periodic("respite.scrub_child_data", every=timedelta(hours=6))
def scrub_child_data() -> int:
    return services.scrub_child_data()


@periodic("respite.extend_ledgers", every=timedelta(hours=24))
def extend_ledgers() -> int:
    return services.extend_ledgers()
