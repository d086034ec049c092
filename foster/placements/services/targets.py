"""Targets: setting and adopting them, and the job that checks their status."""

from __future__ import annotations

from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone

from thuisnet.accounts.models import Region

from ..models import Target
from ..report import _EPOCH, cohort_result, target_block


def set_target(
    region: Region,
    *,
    cohort_start: date,
    cohort_end: date,
    horizon_months: int,
    max_share,
    instance: Target | None = None,
) -> Target:
    target = instance or Target(region=region)
    target.cohort_start, target.cohort_end = cohort_start, cohort_end
    target.horizon_months, target.max_share = horizon_months, max_share
    target.save()
    return target


def adopt_target(region: Region, assessment, *, share: float, note: str, user) -> Target:
    """Adopt a feasible target for the next two cohort years (12 months), with the
    coordinator's note and the calculation behind it. An existing target for the same
    cohort is replaced, so adopting twice leaves one target."""
    from decimal import Decimal

    with transaction.atomic():
        target = (
            Target.objects.select_for_update()
            .filter(region=region, cohort_start=assessment.next_start, cohort_end=assessment.next_end)
            .first()
        ) or Target(region=region, cohort_start=assessment.next_start, cohort_end=assessment.next_end)
        target.horizon_months = 12
        target.max_share = Decimal(str(round(share, 3)))
        target.adopted_by = user
        target.adopted_at = timezone.now()
        target.note = note
        target.basis = {**assessment.basis(), "adopted_share": round(share, 3)}
        target.last_status = ""
        target.save()
    return target


def target_status_now(target: Target, as_of: date | None = None) -> str:
    as_of = as_of or timezone.localdate()
    result = cohort_result(target.region, target.cohort_start, target.cohort_end, as_of)
    return target_block(target, result)["status"]


def check_targets(as_of: date | None = None) -> list[tuple[Target, str, str]]:
    """Recompute every target's status; email the region's coordinators when it changed.

    Idempotent: the stored status changes in the same transaction as the queued email, and
    the email carries a dedupe key of target, status and day.
    """
    from thuisnet.accounts.models import Membership
    from thuisnet.core.mail import queue_templated

    as_of = as_of or timezone.localdate()
    changes = []
    for target in Target.objects.select_related("region"):
        status = target_status_now(target, as_of)
        with transaction.atomic():
            locked = Target.objects.select_for_update().get(pk=target.pk)
            previous = locked.last_status
            locked.last_checked_at = timezone.now()
            if status == previous:
                locked.save(update_fields=["last_checked_at"])
                continue
            locked.last_status = status
            locked.save(update_fields=["last_status", "last_checked_at"])
            emails = sorted(
                set(
                    Membership.objects.filter(
                        role="coordinator",
                        organisation__kind="region",
                        organisation__region=target.region,
                        user__is_active=True,
                    ).values_list("user__email", flat=True)
                )
            )
            if emails and previous:
                queue_templated(
                    emails,
                    "placements/email/target_status",
                    {
                        "target": locked,
                        "region": target.region,
                        "previous": previous,
                        "status": status,
                        "as_of": as_of,
                    },
                    dedupe_key=f"placements.target:{target.pk}:{status}:{as_of.isoformat()}",
                )
            changes.append((locked, previous, status))
    return changes


def quarter_of(day: int) -> str:
    d = _EPOCH + timedelta(days=int(day))
    return f"{d.year}-K{(d.month - 1) // 3 + 1}"
