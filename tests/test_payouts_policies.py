"""The payouts role x capability matrix: check and scope agree on a populated two-region database."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from respite.models import Booking
from respite.payouts.models import ConnectedAccount, Payout
from thuisnet.accounts.models import Region
from thuisnet.accounts.policies import can, disagreements, scope
from thuisnet.accounts.policies import payouts as payout_rules
from thuisnet.accounts.policies.registry import missing_scopes

pytestmark = pytest.mark.django_db


@pytest.fixture
def ledger(respite_world, support_parent):
    """Two payouts in region A (one per provider) and one in region B."""
    today = timezone.localdate()
    w = respite_world

    def stay(offer, household):
        return Booking.objects.create(
            offer=offer,
            household=household,
            start=today - timedelta(days=5),
            end=today - timedelta(days=3),
            units=2,
            age_band="8-11",
            status=Booking.Status.ACCEPTED,
            decide_by=timezone.now(),
        )

    rows = []
    for key in ("host", "other", "b"):
        offer = w["offers"][key]
        host = support_parent if key == "host" else w["b_parent"] if key == "b" else w["b_staff"]
        account, _ = ConnectedAccount.objects.get_or_create(
            user=host, defaults={"stripe_account_id": f"acct_{key}"}
        )
        booking = stay(offer, w["b_parent"].household)
        rows.append(
            Payout.objects.create(
                booking=booking,
                region_id=offer.municipality.region_id,
                provider=offer.provider,
                host=host,
                account=account,
                unit="night",
                quantity=Decimal(2),
                rate_cents=4500,
                amount_cents=9000,
                period=today,
                idempotency_key=f"k-{key}",
            )
        )
    return rows


@pytest.fixture
def people(
    parent, support_parent, staff, other_staff, coordinator, editor, admin_user, outsider, respite_world
):
    return {
        "anonymous": AnonymousUser(),
        "parent": parent,
        "host": support_parent,
        "staff": staff,
        "other_staff": other_staff,
        "coordinator": coordinator,
        "coordinator_b": respite_world["b_coordinator"],
        "staff_b": respite_world["b_staff"],
        "editor": editor,
        "admin_user": admin_user,
        "outsider": outsider,
    }


def _querysets():
    return {
        "payouts.onboard": ConnectedAccount.objects.all(),
        "payouts.view_payout": Payout.objects.all(),
        "payouts.confirm_stay": Booking.objects.all(),
        "payouts.manage_region": Region.objects.all(),
        "payouts.retry_payout": Payout.objects.all(),
    }


def test_every_row_capability_has_a_scope():
    assert missing_scopes(payout_rules.ROW_CAPABILITIES) == []


def test_check_and_scope_agree_for_every_role(ledger, people):
    for name, user in people.items():
        for capability, qs in _querysets().items():
            assert disagreements(user, capability, qs) == [], (name, capability)


def test_who_sees_which_payout(ledger, people):
    a_host, a_other, b = ledger
    seen = {name: set(scope(u, "payouts.view_payout", Payout.objects.all())) for name, u in people.items()}
    assert seen["host"] == {a_host}
    assert seen["staff"] == {a_host}  # the offer's provider
    assert seen["other_staff"] == {a_other}
    assert seen["coordinator"] == {a_host, a_other}
    assert seen["coordinator_b"] == {b}
    assert seen["admin_user"] == {a_host, a_other, b}
    assert seen["parent"] == seen["editor"] == seen["outsider"] == seen["anonymous"] == set()


def test_only_hosts_onboard_and_only_the_region_exports(ledger, people, region):
    assert can(people["host"], "payouts.onboard")
    assert not can(people["parent"], "payouts.onboard")
    assert not can(people["staff"], "payouts.onboard")
    assert can(people["coordinator"], "payouts.manage_region", region)
    assert not can(people["coordinator_b"], "payouts.manage_region", region)
    assert not can(people["staff"], "payouts.manage_region", region)
    assert can(people["staff"], "payouts.confirm_stay", ledger[0].booking)
    assert not can(people["other_staff"], "payouts.confirm_stay", ledger[0].booking)
    assert not can(people["host"], "payouts.confirm_stay", ledger[0].booking)
