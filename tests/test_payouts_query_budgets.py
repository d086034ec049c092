# ruff: noqa: F811  (fixtures imported from tests.payouts_support)
"""The payout lists cost the same number of queries with 2 payouts as with 20."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from respite.models import Booking
from respite.payouts.models import ConnectedAccount, Payout
from tests.payouts_support import enable_account, payout_world, payouts_on, stripe_stub  # noqa: F401
from tests.query_budget import same_budget

pytestmark = pytest.mark.django_db


@pytest.fixture
def grow(payouts_on, payout_world):
    enable_account(payouts_on, payout_world["host"])
    first = payout_world["stays"][0]
    account = ConnectedAccount.objects.get(user=payout_world["host"])
    today = timezone.localdate()

    def add(n):
        for i in range(n):
            booking = Booking.objects.create(
                offer=first.offer,
                household=first.household,
                start=today - timedelta(days=4),
                end=today - timedelta(days=2),
                units=2,
                age_band="8-11",
                status=Booking.Status.ACCEPTED,
                decide_by=timezone.now(),
            )
            Payout.objects.create(
                booking=booking,
                region_id=first.offer.municipality.region_id,
                provider=first.offer.provider,
                host=payout_world["host"],
                account=account,
                unit="night",
                quantity=Decimal(2),
                rate_cents=1000,
                amount_cents=2000,
                period=today,
                status=Payout.Status.PAID,
                idempotency_key=f"budget-{booking.pk}",
            )

    add(2)
    return lambda: add(18)


@pytest.mark.parametrize("who,url", [("host", "payouts:overview"), ("staff", "payouts:provider")])
def test_host_and_provider_lists_keep_their_budget(
    who, url, grow, payout_world, login, client, django_assert_max_num_queries
):
    c = login(payout_world[who])
    same_budget(c, reverse(url), grow, django_assert_max_num_queries)


def test_the_region_page_keeps_its_budget(
    grow, coordinator, region, login, client, django_assert_max_num_queries
):
    c = login(coordinator)
    same_budget(c, reverse("payouts:region_detail", args=[region.pk]), grow, django_assert_max_num_queries)
