"""Settings of the payouts app, with their defaults, read from ``django.conf.settings``.

Nothing here imports Stripe. The lead's ``settings/base.py`` holds ``PAYOUTS_ENABLED`` and the
Stripe keys (from the environment); everything else has a default here and may be overridden
by a setting of the same name.

The volunteer allowance ("vrijwilligersvergoeding") is the tax-free maximum a volunteer may
receive without proof of costs. Amounts are in euro cents. 2025: EUR 5.60 an hour (volunteers
aged 21 and over), EUR 210 a month, EUR 2,100 a year. 2026 is the same: the Belastingdienst
announced no change for 2026 at the time of writing; a region checks the figures each year and
overrides ``PAYOUTS_VOLUNTEER_CAPS`` in settings when they change.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings

DEFAULT_VOLUNTEER_CAPS: dict[int, dict[str, int]] = {
    2025: {"hour": 560, "month": 21000, "year": 210000},
    2026: {"hour": 560, "month": 21000, "year": 210000},
}


@dataclass(frozen=True)
class Cap:
    year: int
    hour: int  # cents
    month: int  # cents
    year_total: int  # cents


def enabled() -> bool:
    return bool(getattr(settings, "PAYOUTS_ENABLED", False))


def secret_key() -> str:
    return getattr(settings, "STRIPE_SECRET_KEY", "") or ""


def webhook_secret() -> str:
    return getattr(settings, "STRIPE_WEBHOOK_SECRET", "") or ""


def api_base() -> str:
    """Where the Stripe API is: empty means Stripe itself; tests point it at a local server."""
    return getattr(settings, "STRIPE_API_BASE", "") or ""


def currency() -> str:
    return getattr(settings, "PAYOUTS_CURRENCY", "eur")


def network_retries() -> int:
    return int(getattr(settings, "STRIPE_MAX_NETWORK_RETRIES", 2))


def connect_country() -> str:
    return getattr(settings, "PAYOUTS_CONNECT_COUNTRY", "NL")


def caps_table() -> dict[int, dict[str, int]]:
    return getattr(settings, "PAYOUTS_VOLUNTEER_CAPS", None) or DEFAULT_VOLUNTEER_CAPS


def cap_for(year: int) -> Cap | None:
    """The allowance of ``year``; ``None`` when the table has no row for it (no payouts then)."""
    row = caps_table().get(year)
    if row is None:
        return None
    return Cap(year=year, hour=row["hour"], month=row["month"], year_total=row["year"])
