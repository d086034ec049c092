"""Changing one placement: the checks of the form and the API, and the save by its key."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from thuisnet.accounts.models import Organisation

from ..models import Placement
from .import_format import check_ref


def validate_placement(data: dict) -> dict[str, str]:
    """Field errors (Dutch) for one placement as the form and the API give it."""
    errors = {}
    for key in ("child_ref", "carer_ref"):
        if data.get(key):
            problem = check_ref(data[key])
            if problem:
                errors[key] = problem
    start, end = data.get("start_date"), data.get("end_date")
    today = timezone.localdate()
    if start and start > today:
        errors["start_date"] = _("De startdatum ligt in de toekomst.")
    if end and start and end < start:
        errors["end_date"] = _("De einddatum ligt voor de startdatum.")
    elif end and end > today:
        errors["end_date"] = _("De einddatum ligt in de toekomst; laat hem leeg tot de plaatsing eindigt.")
    if data.get("end_code") and not end:
        errors["end_code"] = _("Een reden van beëindiging hoort bij een einddatum.")
    if data.get("end_reason") and not end:
        errors["end_reason"] = _("Een toelichting hoort bij een einddatum.")
    return errors


def save_placement(
    provider: Organisation, data: dict, *, instance: Placement | None = None, user=None
) -> tuple[Placement, bool]:
    """Create or update one placement by its key. Returns (placement, created)."""
    with transaction.atomic():
        if instance is None:
            instance = (
                Placement.objects.select_for_update()
                .filter(
                    provider=provider,
                    child_ref=data["child_ref"],
                    carer_ref=data["carer_ref"],
                    start_date=data["start_date"],
                )
                .first()
            )
        created = instance is None
        if created:
            instance = Placement(
                provider=provider,
                region_id=provider.region_id,
                created_by=user if user and user.is_authenticated else None,
            )
        for key, value in data.items():
            setattr(instance, key, value)
        if not instance.end_date:
            instance.end_code = ""
            instance.end_reason = ""
        if instance.household_id is not None:
            _support_from_household(provider, instance)
        instance.save()
    return instance, created


def _support_from_household(provider: Organisation, instance: Placement) -> None:
    """A linked household must be one of the provider's own; ``carer_supported`` then follows
    from its mentors and respite stays (``support.py``)."""
    from ..support import mentor_periods, respite_stays, supported

    household = instance.household
    if household.provider_id != provider.pk:
        raise ValueError("the household is not one of the provider's own")
    instance.carer_supported = supported(
        instance.start_date,
        instance.end_date,
        instance.carer_supported,
        timezone.localdate(),
        mentor_periods([household.pk]).get(household.pk, []),
        respite_stays([household.pk]).get(household.pk, []),
    )
