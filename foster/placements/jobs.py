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


@periodic("placements.link_support", every=timedelta(days=1))
def link_support() -> int:
    """Refresh "supported by a mentor or respite in the first year" of placements linked to
    one of the provider's households, from matching's pairings and respite's stays."""
    from .support import link_support as _link

    return _link()
