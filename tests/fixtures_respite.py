"""Fixtures for the respite tests (loaded from conftest.py)."""

from __future__ import annotations

from datetime import time, timedelta

import pytest


@pytest.fixture
def agreement(region):
    from respite.models import WorkingAgreement

    return WorkingAgreement.objects.create(
        region=region,
        max_nights_per_quarter=12,
        lead_time_hours=48,
        emergency_share=0,
        decision_hours=48,
        cancel_cutoff_hours=24,
    )


@pytest.fixture
def make_offer(provider, municipalities, agreement):
    """``make_offer(capacity=2, kind="place", every="night")``: an offer available every night
    (or every day from 08:00 to 21:00 for a support family) from today on."""
    from django.utils import timezone

    from respite import services

    def _make(
        capacity=2,
        kind="place",
        title=None,
        municipality="deventer",
        postcode="7411",
        age=(0, 17),
        handles=("lvb", "medical", "behaviour", "autism", "trauma", "physical"),
        max_stay=7,
        min_notice_hours=0,
        org=None,
        host_user=None,
        min_stay=None,
    ):
        extra = {} if min_stay is None else {"min_stay": min_stay}
        offer = services.create_offer(
            org or provider,
            capacity=capacity,
            kind=kind,
            title=title or f"Aanbod {kind} {capacity}",
            municipality=municipalities[municipality],
            postcode=postcode,
            age_min=age[0],
            age_max=age[1],
            handles=list(handles),
            max_stay=max_stay,
            min_notice_hours=min_notice_hours,
            host_user=host_user,
            **extra,
        )
        today = timezone.localdate()
        if kind == "support_family":
            start, end = services.local_dt(today, time(8)), services.local_dt(today, time(21))
        else:
            start, end = (
                services.local_dt(today, time(17)),
                services.local_dt(today + timedelta(days=1), time(17)),
            )
        services.add_pattern(offer, start=start, end=end, repeat="daily")
        offer.refresh_from_db()
        return offer

    return _make


@pytest.fixture
def offer(make_offer):
    return make_offer(capacity=2)


@pytest.fixture
def next_week():
    """A Monday at least a week ahead: far enough for every lead time."""
    from django.utils import timezone

    today = timezone.localdate()
    return today + timedelta(days=7 + (7 - today.weekday()) % 7)


@pytest.fixture
def child():
    from respite.services import Child

    return Child("K1", 9, ["behaviour"])


@pytest.fixture
def book(child):
    """``book(user, offer, start, nights=1, **kw)`` requests a stay through the service."""
    from respite import services

    def _book(user, offer, start, nights=1, **kw):
        kw.setdefault("child", child)
        return services.request_booking(user, offer, start=start, end=start + timedelta(days=nights), **kw)

    return _book
