# ruff: noqa: F811  (fixtures imported from tests.payouts_support)
"""PostgreSQL: parallel confirmations for one host never pass the monthly allowance together,
and one stay confirmed twice at once is paid once. The host's account row lock is the guard;
the last test takes it away and shows the race it then loses."""

from __future__ import annotations

import time
from datetime import timedelta
from decimal import Decimal

import pytest
from django.db.models import Sum
from django.utils import timezone

from respite.models import Booking
from respite.payouts import services
from respite.payouts.models import ConnectedAccount, Payout
from tests.payouts_support import enable_account, payout_world, payouts_on, stripe_stub  # noqa: F401
from tests.race import errors, race

# serialized_rollback: like every transactional test here, so the flush at its end does not leave
# the next serialized test to load content types that post_migrate already recreated.
pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True, serialized_rollback=True)]
THREADS = 6


def _stays(world, n):
    first = world["stays"][0]
    today = timezone.localdate()
    out = list(world["stays"])
    for i in range(n - len(out)):
        out.append(
            Booking.objects.create(
                offer=first.offer,
                household=first.household,
                start=today - timedelta(days=3),
                end=today - timedelta(days=1),
                units=2,
                age_band="8-11",
                status=Booking.Status.ACCEPTED,
                decide_by=timezone.now(),
            )
        )
    return out


def _race(fn, n):
    """(what each call returned or the refusal it got, the other exceptions: a 500 in real
    life) of ``n`` simultaneous calls of ``fn(i)`` (``tests.race``)."""
    results = race(n, fn)
    outcomes = [r for r in results if not isinstance(r, Exception) or isinstance(r, services.PayoutRefused)]
    return outcomes, errors(results, expected=(services.PayoutRefused,))


def _paid_this_month(host) -> int:
    return (
        Payout.objects.filter(host=host, status__in=Payout.COUNTING).aggregate(s=Sum("amount_cents"))["s"]
        or 0
    )


def _slow_allowance_check(monkeypatch):
    original = services._check_allowance

    def slow(*args, **kwargs):
        result = original(*args, **kwargs)  # reads the month's and year's totals
        time.sleep(0.3)  # widen the window between reading the totals and inserting
        return result

    monkeypatch.setattr(services, "_check_allowance", slow)


def test_parallel_confirmations_stay_within_the_monthly_allowance(payouts_on, payout_world, monkeypatch):
    enable_account(payouts_on, payout_world["host"])
    stays = _stays(payout_world, THREADS)
    _slow_allowance_check(monkeypatch)
    staff = payout_world["staff"]
    outcomes, errors = _race(
        lambda i: services.confirm_stay(stays[i], by=staff, unit="night", quantity=Decimal(2)), THREADS
    )
    assert errors == []
    paid = [o for o in outcomes if isinstance(o, Payout)]
    assert len(paid) == 2  # 2 x EUR 90 fit under EUR 210; a third would not
    assert _paid_this_month(payout_world["host"]) == 18000
    assert len(payouts_on.transfers) == 2


def test_one_stay_confirmed_twice_at_once_is_paid_once(payouts_on, payout_world):
    enable_account(payouts_on, payout_world["host"])
    stay, staff = payout_world["stays"][0], payout_world["staff"]
    outcomes, errors = _race(
        lambda i: services.confirm_stay(stay, by=staff, unit="night", quantity=Decimal(2)), 4
    )
    assert errors == []
    assert sum(isinstance(o, Payout) for o in outcomes) == 1
    assert Payout.objects.filter(booking=stay).count() == 1
    assert len(payouts_on.transfers) == 1


def test_without_the_account_lock_the_allowance_is_overrun(payouts_on, payout_world, monkeypatch):
    enable_account(payouts_on, payout_world["host"])
    stays = _stays(payout_world, THREADS)
    _slow_allowance_check(monkeypatch)
    monkeypatch.setattr(
        ConnectedAccount.objects, "select_for_update", lambda *a, **k: ConnectedAccount.objects.all()
    )
    staff = payout_world["staff"]
    outcomes, _errors = _race(
        lambda i: services.confirm_stay(stays[i], by=staff, unit="night", quantity=Decimal(2)), THREADS
    )
    assert _paid_this_month(payout_world["host"]) > 21000  # the race is real
