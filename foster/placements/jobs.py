"""Periodic jobs of the breakdown monitor."""

from datetime import timedelta

from thuisnet.core.jobs import periodic


@periodic("placements.check_targets", every=timedelta(hours=6))
def check_targets() -> int:
    """Recompute each region's target status and email coordinators when it changed."""
    from .services import check_targets as _check

    return len(_check())


@periodic("placements.check_cusum", every=timedelta(days=1))
def check_cusum() -> int:
    """Email coordinators and the provider's staff once when an early-warning chart signals."""
    from .cusum import check

    return check()
