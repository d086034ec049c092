"""Periodic mentor-matching jobs."""

from datetime import timedelta

from thuisnet.core.jobs import periodic

from . import services


@periodic("matching.end_trials", every=timedelta(hours=6))
def end_trials() -> int:
    """Trial periods that ended: a check-in to both sides, once per pairing (idempotent)."""
    return services.end_trials()
