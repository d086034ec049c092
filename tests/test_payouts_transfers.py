# ruff: noqa: F811  (fixtures imported from tests.payouts_support)
"""Confirming a completed stay pays the host through a Stripe transfer, within the volunteer
allowance, once: tested at the HTTP level against the stripe library's real requests."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from respite.payouts import services
from respite.payouts.models import Payout
from tests.payouts_support import enable_account, payout_world, payouts_on, stripe_stub  # noqa: F401

pytestmark = pytest.mark.django_db


def _confirm(world, i, unit="night", quantity=2):
    return services.confirm_stay(world["stays"][i], by=world["staff"], unit=unit, quantity=Decimal(quantity))


def test_it_pays_a_completed_stay_with_one_transfer(payouts_on, payout_world):
    enable_account(payouts_on, payout_world["host"])
    payout = _confirm(payout_world, 0)
    assert payout.status == Payout.Status.PAID
    assert payout.amount_cents == 9000  # 2 nights at EUR 45
    posts = payouts_on.transfer_posts()
    assert len(posts) == 1
    sent = posts[0]
    assert sent["form"]["amount"] == "9000"
    assert sent["form"]["currency"] == "eur"
    assert sent["form"]["destination"] == "acct_host0001"
    assert sent["form"]["metadata[payout]"] == str(payout.pk)
    assert sent["headers"]["idempotency-key"] == payout.idempotency_key
    assert sent["headers"]["authorization"] == "Bearer sk_test_thuisnet"
    assert payout.stripe_transfer_id == payouts_on.transfers[0]["id"]


def test_it_refuses_a_payout_over_the_monthly_allowance_with_the_reason(payouts_on, payout_world):
    enable_account(payouts_on, payout_world["host"])
    _confirm(payout_world, 0)
    _confirm(payout_world, 1)  # EUR 180 of EUR 210 this month
    with pytest.raises(services.PayoutRefused) as refused:
        _confirm(payout_world, 2)  # another EUR 90 would make EUR 270
    assert "vrijwilligersvergoeding van € 210,00 per maand" in refused.value.message
    assert "er kan nog € 30,00 bij" in refused.value.message
    assert refused.value.field == "quantity"
    assert len(payouts_on.transfer_posts()) == 2
    assert Payout.objects.count() == 2


def test_it_allows_a_smaller_payout_that_fits_under_the_cap(payouts_on, payout_world):
    enable_account(payouts_on, payout_world["host"])
    _confirm(payout_world, 0)
    _confirm(payout_world, 1)
    payout = _confirm(payout_world, 2, unit="hour", quantity=6)  # 6 hours at EUR 5 = EUR 30
    assert payout.status == Payout.Status.PAID and payout.amount_cents == 3000


def test_it_refuses_a_payout_over_the_yearly_allowance(payouts_on, payout_world):
    account = enable_account(payouts_on, payout_world["host"])
    today = timezone.localdate()
    earlier = today.replace(day=1) - timedelta(days=1)
    if earlier.year != today.year:
        pytest.skip("in January the year has no earlier month")
    # EUR 2,050 paid earlier this year (in an earlier month, through the same ledger).
    Payout.objects.create(
        booking=payout_world["stays"][1],
        region_id=payout_world["offer"].municipality.region_id,
        provider=payout_world["offer"].provider,
        host=payout_world["host"],
        account=account,
        unit="night",
        quantity=Decimal(1),
        rate_cents=205000,
        amount_cents=205000,
        period=earlier,
        status=Payout.Status.PAID,
        idempotency_key="earlier",
        stripe_transfer_id="tr_earlier",
    )
    with pytest.raises(services.PayoutRefused) as refused:
        _confirm(payout_world, 0)
    assert "€ 2.100,00 per jaar" in refused.value.message
    assert "er kan nog € 50,00 bij" in refused.value.message
    assert payouts_on.transfer_posts() == []


def test_it_refuses_an_hourly_rate_above_the_hourly_allowance(payouts_on, payout_world, region):
    from respite.payouts.models import RateCard

    enable_account(payouts_on, payout_world["host"])
    RateCard.objects.create(
        region=region, unit="hour", amount_cents=800, valid_from=payout_world["stays"][0].start
    )
    with pytest.raises(services.PayoutRefused) as refused:
        _confirm(payout_world, 0, unit="hour", quantity=3)
    assert "€ 5,60 per uur" in refused.value.message


def test_it_retries_a_lost_answer_with_the_same_key_and_makes_one_transfer(payouts_on, payout_world):
    enable_account(payouts_on, payout_world["host"])
    payouts_on.lose_next_transfer_answers = 1  # Stripe made the transfer; the answer got lost
    payout = _confirm(payout_world, 0)
    assert payout.status == Payout.Status.PENDING
    assert len(payouts_on.transfers) == 1

    again = services.send_transfer(payout.pk)  # what the retry job does
    assert again.status == Payout.Status.PAID
    keys = [r["headers"]["idempotency-key"] for r in payouts_on.transfer_posts()]
    assert keys == [payout.idempotency_key, payout.idempotency_key]
    assert len(payouts_on.transfers) == 1
    assert again.stripe_transfer_id == payouts_on.transfers[0]["id"]
    assert again.attempts == 2


def test_the_retry_job_sends_pending_transfers_again(payouts_on, payout_world):
    enable_account(payouts_on, payout_world["host"])
    payouts_on.lose_next_transfer_answers = 1
    payout = _confirm(payout_world, 0)
    assert services.retry_pending(now=timezone.now() + timedelta(minutes=5)) == 1
    payout.refresh_from_db()
    assert payout.status == Payout.Status.PAID
    assert len(payouts_on.transfers) == 1


def test_a_refused_transfer_fails_and_may_be_confirmed_again_with_a_new_key(payouts_on, payout_world):
    enable_account(payouts_on, payout_world["host"])
    payouts_on.refuse_next_transfer = True
    failed = _confirm(payout_world, 0)
    assert failed.status == Payout.Status.FAILED
    assert "Insufficient funds" in failed.failure_reason
    again = _confirm(payout_world, 0)
    assert again.pk == failed.pk and again.status == Payout.Status.PAID
    assert again.idempotency_key != failed.idempotency_key
    assert len(payouts_on.transfers) == 1


def test_it_refuses_to_pay_a_stay_twice(payouts_on, payout_world):
    enable_account(payouts_on, payout_world["host"])
    _confirm(payout_world, 0)
    with pytest.raises(services.PayoutRefused, match="al een uitbetaling"):
        _confirm(payout_world, 0)
    assert len(payouts_on.transfers) == 1


def test_it_refuses_a_stay_that_is_not_over(payouts_on, payout_world):
    enable_account(payouts_on, payout_world["host"])
    stay = payout_world["stays"][0]
    stay.end = timezone.localdate() + timedelta(days=1)
    stay.save()
    with pytest.raises(services.PayoutRefused, match="verblijf voorbij"):
        _confirm(payout_world, 0, quantity=1)


def test_it_refuses_a_host_without_a_finished_stripe_account(payouts_on, payout_world):
    with pytest.raises(services.PayoutRefused, match="aanmelding bij Stripe"):
        _confirm(payout_world, 0)
    assert payouts_on.requests == []


def test_it_refuses_more_nights_than_the_stay_had(payouts_on, payout_world):
    enable_account(payouts_on, payout_world["host"])
    with pytest.raises(services.PayoutRefused, match="hoogstens 2 nachten"):
        _confirm(payout_world, 0, quantity=3)
