# ruff: noqa: F811  (fixtures imported from tests.payouts_support)
"""The monthly reconciliation compares Thuisnet's payouts with Stripe's transfers (read through
the stripe library's list call) and reports every difference; a job and a command run it."""

from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from respite.payouts import jobs, services
from respite.payouts.models import ReconciliationRun
from tests.payouts_support import enable_account, payout_world, payouts_on, stripe_stub  # noqa: F401

pytestmark = pytest.mark.django_db


def _pay(world, i):
    return services.confirm_stay(world["stays"][i], by=world["staff"], unit="night", quantity=Decimal(2))


def _this_month():
    return timezone.localdate().replace(day=1)


def test_a_month_that_matches_is_reported_as_matching(payouts_on, payout_world):
    enable_account(payouts_on, payout_world["host"])
    _pay(payout_world, 0)
    _pay(payout_world, 1)
    run = services.reconcile(_this_month())
    assert run.status == ReconciliationRun.Status.OK
    assert (run.ledger_count, run.stripe_count) == (2, 2)
    assert run.ledger_cents == run.stripe_cents == 18000
    listed = [r for r in payouts_on.requests if r["method"] == "GET" and r["path"] == "/v1/transfers"]
    assert listed and "created[gte]" in listed[0]["form"] and listed[0]["form"]["limit"] == "100"


def test_it_reports_an_amount_difference_an_unknown_and_a_missing_transfer(payouts_on, payout_world):
    enable_account(payouts_on, payout_world["host"])
    first = _pay(payout_world, 0)
    second = _pay(payout_world, 1)
    payouts_on.transfers[0]["amount"] = 8000  # changed in Stripe's dashboard
    payouts_on.transfers.pop(1)  # Stripe has no record of the second
    stray = dict(payouts_on.transfers[0], id="tr_stray", amount=1234, metadata={})
    payouts_on.transfers.append(stray)  # made outside Thuisnet
    run = services.reconcile(_this_month())
    assert run.status == ReconciliationRun.Status.DIFFERENCES
    kinds = {d["kind"]: d for d in run.differences}
    assert kinds["amount_differs"]["payout"] == first.pk
    assert (kinds["amount_differs"]["ledger_cents"], kinds["amount_differs"]["stripe_cents"]) == (9000, 8000)
    assert kinds["missing_in_stripe"]["payout"] == second.pk
    assert kinds["unknown_transfer"]["transfer"] == "tr_stray"
    assert len(run.differences) == 3


def test_a_transfer_reversed_in_stripe_is_reported(payouts_on, payout_world):
    enable_account(payouts_on, payout_world["host"])
    payout = _pay(payout_world, 0)
    payouts_on.transfers[0]["amount_reversed"] = 9000
    run = services.reconcile(_this_month())
    assert [d["kind"] for d in run.differences] == ["reversed_in_stripe"]
    assert run.differences[0]["booking"] == payout.booking_reference


def test_the_command_prints_the_differences(payouts_on, payout_world):
    enable_account(payouts_on, payout_world["host"])
    _pay(payout_world, 0)
    payouts_on.transfers[0]["amount"] = 1
    out = StringIO()
    call_command("reconcile_payouts", month=_this_month().strftime("%Y-%m"), stdout=out)
    assert "differences" in out.getvalue() and "amount_differs" in out.getvalue()


def test_the_command_refuses_when_payouts_are_off(settings):
    settings.PAYOUTS_ENABLED = False
    with pytest.raises(CommandError, match="off"):
        call_command("reconcile_payouts")


def test_the_monthly_job_runs_once_for_last_month(payouts_on, payout_world):
    assert jobs.reconcile_last_month() == 1
    assert jobs.reconcile_last_month() == 0
    assert ReconciliationRun.objects.count() == 1


def test_an_unreachable_stripe_is_recorded_not_raised(payouts_on, payout_world, settings):
    settings.STRIPE_API_BASE = "http://127.0.0.1:8749"  # nothing listens there
    run = services.reconcile(_this_month())
    assert run.status == ReconciliationRun.Status.ERROR and run.error


def test_the_region_reconciles_from_its_page_and_a_bad_month_is_shown_at_the_field(
    payouts_on, payout_world, coordinator, region, login, client
):
    from django.urls import reverse

    enable_account(payouts_on, payout_world["host"])
    _pay(payout_world, 0)
    c = login(coordinator)
    url = reverse("payouts:reconcile", args=[region.pk])
    bad = c.post(url, {"rec-month": "november"})
    assert bad.status_code == 200
    assert bad.context["reconcile_form"].errors["month"] == [
        "Vul de maand in als jaar-maand, bijvoorbeeld 2026-11."
    ]
    assert 'value="november"' in bad.content.decode()
    done = c.post(url, {"rec-month": _this_month().strftime("%Y-%m")}, follow=True)
    assert "Thuisnet en Stripe komen overeen" in done.content.decode()
    assert ReconciliationRun.objects.get().status == ReconciliationRun.Status.OK
