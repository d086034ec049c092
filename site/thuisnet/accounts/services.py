from __future__ import annotations

from django.db import transaction

from .models import Household, Municipality, User


@transaction.atomic
def complete_signup(
    user: User, *, full_name: str, family_form: str | None, municipality: Municipality | None
) -> User:
    """Finish a self-service sign-up: a parent gets an unverified household."""
    user.full_name = full_name.strip()
    if municipality is not None:
        user.region_id = municipality.region_id
    if family_form and municipality is not None:
        user.household = Household.objects.create(
            region_id=municipality.region_id,
            municipality=municipality,
            family_form=family_form,
            display_name=f"Gezin {full_name.strip().split(' ')[-1]}",
        )
    user.save()
    return user
