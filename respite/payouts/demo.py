"""Demo data for payouts, called by `manage.py load_demo`: the region's rate card, so a region
that turns payouts on in the demo (PAYOUTS_ENABLED=1 with a Stripe test key) can pay at once.
Idempotent: one row per unit and date. Nothing of Stripe is touched here."""

from __future__ import annotations

from datetime import date

from .models import RateCard, Unit

# Within the 2025/2026 volunteer allowance (€5.60 an hour): a night and a day part are paid
# as a fixed allowance, an hour at the maximum hourly rate.
DEMO_RATES = {Unit.NIGHT: 2500, Unit.DAY_PART: 1500, Unit.HOUR: 560}


def load(region, stdout=None) -> None:
    for unit, cents in DEMO_RATES.items():
        RateCard.objects.get_or_create(
            region=region, unit=unit, valid_from=date(2025, 1, 1), defaults={"amount_cents": cents}
        )
