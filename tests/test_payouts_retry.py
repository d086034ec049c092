# ruff: noqa: F811  (fixtures imported from tests.payouts_support)
"""A failed payout can be sent again: by provider staff ("Opnieuw uitbetalen") under a new
idempotency key after the account and allowance checks, and by itself when the cause goes
away (an account enabled, the platform balance topped up: a few times, with back-off).
Stripe's refusals come from the local stand-in, with the error codes Stripe sends."""

from __future__ import annotations

import json
import time
from datetime import timedelta
from decimal import Decimal

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from respite.payouts import failures, services
from respite.payouts.models import ConnectedAccount, Payout, PayoutFailure
from tests.payouts_support import enable_account, payout_world, payouts_on, sign, stripe_stub  # noqa: F401
from tests.race import errors, race
from thuisnet.accounts.inbox import inbox_of
from thuisnet.accounts.policies import disagreements
from thuisnet.core.models import AuditLog

pytestmark = pytest.mark.django_db
BALANCE = "balance_insufficient"
NOT_ENABLED = "insufficient_capabilities_for_transfer"


def refuse_transfers(stub, code: str, times: int | None = 1) -> None:
    """Let the stand-in refuse the next ``times`` transfers (None: all) as Stripe does: HTTP 400,
    ``invalid_request_error`` with ``code``. The stand-in replays the refusal for the same key."""
    original = stub._route
    left = {"n": times}

    def route(method, path, form):
        if method == "POST" and path == "/v1/transfers" and (left["n"] is None or left["n"] > 0):
            if left["n"] is not None:
                left["n"] -= 1
            next(stub.counter)
            return 400, {
                "error": {"type": "invalid_request_error", "code": code, "message": f"Refused: {code}"}
            }
        return original(method, path, form)

    stub._route = route


def _confirm(world, i=0) -> Payout:
    return services.confirm_stay(world["stays"][i], by=world["staff"], unit="night", quantity=Decimal(2))


def _failed(stub, world, code=BALANCE, i=0) -> Payout:
    refuse_transfers(stub, code)
    payout = _confirm(world, i)
    assert payout.status == Payout.Status.FAILED and payout.failure_code == code
    return payout


def _keys(stub) -> list[str]:
    return [r["headers"]["idempotency-key"] for r in stub.transfer_posts()]


# ---------------------------------------------------------------- by hand


def test_it_retries_a_failed_payout_by_hand_with_a_new_key(payouts_on, payout_world):
    enable_account(payouts_on, payout_world["host"])
    failed = _failed(payouts_on, payout_world)
    old_key = failed.idempotency_key
    assert payouts_on.replies[old_key][0] == 400  # Stripe would replay the refusal for this key

    paid = services.retry_failed(failed, by=payout_world["staff"])

    assert paid.status == Payout.Status.PAID
    assert paid.idempotency_key != old_key
    assert _keys(payouts_on) == [old_key, paid.idempotency_key]
    assert len(payouts_on.transfers) == 1 and paid.stripe_transfer_id == payouts_on.transfers[0]["id"]
    assert paid.retried_by == payout_world["staff"] and paid.retried_at is not None
    history = PayoutFailure.objects.get(payout=paid)
    assert (history.idempotency_key, history.code) == (old_key, BALANCE)
    assert history.retry == PayoutFailure.Retry.MANUAL and history.retried_by == payout_world["staff"]
    assert history.new_idempotency_key == paid.idempotency_key
    row = AuditLog.objects.get(action="payouts.retry")
    assert row.actor == payout_world["staff"] and row.object_ref == str(paid.pk)
    assert row.detail["old_idempotency_key"] == old_key
    notice = inbox_of(payout_world["host"]).get()
    assert "€ 90,00 is alsnog overgemaakt" in notice.title


def test_it_refuses_to_retry_a_payout_that_did_not_fail(payouts_on, payout_world):
    enable_account(payouts_on, payout_world["host"])
    paid = _confirm(payout_world)
    with pytest.raises(services.PayoutRefused, match="niet mislukt"):
        services.retry_failed(paid, by=payout_world["staff"])
    assert len(payouts_on.transfer_posts()) == 1
    assert not AuditLog.objects.filter(action="payouts.retry").exists()


def test_it_refuses_a_retry_that_would_pass_the_allowance(payouts_on, payout_world):
    enable_account(payouts_on, payout_world["host"])
    failed = _failed(payouts_on, payout_world, i=0)
    _confirm(payout_world, 1)
    _confirm(payout_world, 2)  # EUR 180 of EUR 210 this month; the failed EUR 90 no longer fits
    with pytest.raises(services.PayoutRefused) as refused:
        services.retry_failed(failed, by=payout_world["staff"])
    assert "vrijwilligersvergoeding van € 210,00 per maand" in refused.value.message
    failed.refresh_from_db()
    assert failed.status == Payout.Status.FAILED
    assert len(payouts_on.transfer_posts()) == 3  # the failed one and the two paid ones


def test_it_refuses_a_retry_while_the_account_is_not_enabled(payouts_on, payout_world):
    account = enable_account(payouts_on, payout_world["host"])
    failed = _failed(payouts_on, payout_world, code=NOT_ENABLED)
    ConnectedAccount.objects.filter(pk=account.pk).update(
        status=ConnectedAccount.Status.RESTRICTED, payouts_enabled=False
    )
    with pytest.raises(services.PayoutRefused, match="nog niet klaar"):
        services.retry_failed(failed, by=payout_world["staff"])
    assert len(payouts_on.transfer_posts()) == 1


def test_a_lost_answer_after_a_retry_is_sent_again_within_the_new_keys_window(payouts_on, payout_world):
    enable_account(payouts_on, payout_world["host"])
    failed = _failed(payouts_on, payout_world)
    Payout.objects.filter(pk=failed.pk).update(created_at=timezone.now() - timedelta(days=3))
    payouts_on.lose_next_transfer_answers = 1
    pending = services.retry_failed(failed, by=payout_world["staff"])
    assert pending.status == Payout.Status.PENDING
    assert services.retry_pending(now=timezone.now() + timedelta(minutes=5)) == 1
    pending.refresh_from_db()
    assert pending.status == Payout.Status.PAID and len(payouts_on.transfers) == 1


# ---------------------------------------------------------------- by itself


def _webhook(client, obj, event_id):
    body = json.dumps(
        {"id": event_id, "object": "event", "type": "account.updated", "created": int(time.time()),
         "data": {"object": obj}}
    ).encode()  # fmt: skip
    url = reverse("payouts:webhook")
    response = client.post(url, body, content_type="application/json", HTTP_STRIPE_SIGNATURE=sign(body))
    assert response.status_code == 200


def test_an_account_enabled_later_retries_its_failed_payout_by_itself(payouts_on, payout_world):
    account = enable_account(payouts_on, payout_world["host"])
    failed = _failed(payouts_on, payout_world, code=NOT_ENABLED)
    other = _failed(payouts_on, payout_world, code="", i=1)  # a refusal only people retry
    client = Client()
    state = {"id": account.stripe_account_id, "object": "account", "details_submitted": True}
    _webhook(client, {**state, "payouts_enabled": False}, "evt_restricted")
    assert services.retry_failed_automatically(now=timezone.now() + timedelta(days=2)) == 0
    assert len(payouts_on.transfer_posts()) == 2  # nothing sent while the account is restricted

    _webhook(client, {**state, "payouts_enabled": True}, "evt_enabled")

    failed.refresh_from_db()
    other.refresh_from_db()
    assert failed.status == Payout.Status.PAID and failed.retried_by is None
    assert failed.failures.get().retry == PayoutFailure.Retry.ACCOUNT_ENABLED
    assert other.status == Payout.Status.FAILED and other.retry_after is None
    assert len(payouts_on.transfers) == 1 and len(payouts_on.transfer_posts()) == 3
    assert "alsnog overgemaakt" in inbox_of(payout_world["host"]).get().title


def test_balance_failures_are_retried_by_the_job_with_back_off_and_then_left_to_people(
    payouts_on, payout_world
):
    enable_account(payouts_on, payout_world["host"])
    refuse_transfers(payouts_on, BALANCE, times=None)  # the balance stays empty
    payout = _confirm(payout_world)
    gaps = []
    for attempt in range(1, failures.MAX_AUTO_RETRIES + 1):
        payout.refresh_from_db()
        assert payout.status == Payout.Status.FAILED and payout.retry_after is not None
        gaps.append(payout.retry_after - payout.failed_at)
        assert services.retry_failed_automatically(now=payout.retry_after - timedelta(minutes=1)) == 0
        assert len(payouts_on.transfer_posts()) == attempt  # not before its time
        assert services.retry_failed_automatically(now=payout.retry_after) == 0  # sent, refused again
        assert len(payouts_on.transfer_posts()) == attempt + 1
    hours = [int(g.total_seconds() // 3600) for g in gaps]
    assert hours == [6, 12, 24, 24, 24]
    assert len(set(_keys(payouts_on))) == failures.MAX_AUTO_RETRIES + 1  # a new key every time
    payout.refresh_from_db()
    assert payout.auto_retries == failures.MAX_AUTO_RETRIES and payout.retry_after is None
    assert services.retry_failed_automatically(now=timezone.now() + timedelta(days=60)) == 0
    assert len(payouts_on.transfer_posts()) == failures.MAX_AUTO_RETRIES + 1  # it stopped
    assert payout.failures.count() == failures.MAX_AUTO_RETRIES + 1

    del payouts_on._route  # the balance is topped up: the stand-in answers as usual again
    paid = services.retry_failed(payout, by=payout_world["staff"])
    assert paid.status == Payout.Status.PAID and paid.auto_retries == 0


def test_the_job_pays_a_balance_failure_once_the_balance_is_back(payouts_on, payout_world):
    enable_account(payouts_on, payout_world["host"])
    payout = _failed(payouts_on, payout_world)
    assert services.retry_failed_automatically(now=payout.retry_after) == 1
    payout.refresh_from_db()
    assert payout.status == Payout.Status.PAID and payout.auto_retries == 1
    assert payout.failures.get().retry == PayoutFailure.Retry.JOB
    assert AuditLog.objects.get(action="payouts.retry").actor is None  # the system did it


# ---------------------------------------------------------------- who may, and the page


def test_staff_of_another_provider_may_not_retry(payouts_on, payout_world, other_staff, login, client):
    enable_account(payouts_on, payout_world["host"])
    failed = _failed(payouts_on, payout_world)
    with pytest.raises(PermissionDenied):
        services.retry_failed(failed, by=other_staff)
    c = login(other_staff)
    url = reverse("payouts:retry", args=[failed.pk])
    assert c.get(url).status_code == 403
    assert c.post(url).status_code == 403
    failed.refresh_from_db()
    assert failed.status == Payout.Status.FAILED and len(payouts_on.transfer_posts()) == 1


def test_the_retry_capability_check_and_scope_agree(
    payouts_on, payout_world, staff, other_staff, coordinator, admin_user, parent
):
    enable_account(payouts_on, payout_world["host"])
    _failed(payouts_on, payout_world)
    users = [staff, other_staff, coordinator, admin_user, parent, payout_world["host"], AnonymousUser()]
    for user in users:
        assert disagreements(user, "payouts.retry_payout", Payout.objects.all()) == []


def test_staff_retry_from_the_page_after_reading_the_cause(payouts_on, payout_world, login, client):
    enable_account(payouts_on, payout_world["host"])
    failed = _failed(payouts_on, payout_world)
    c = login(payout_world["staff"])
    listing = c.get(reverse("payouts:provider")).content.decode()
    url = reverse("payouts:retry", args=[failed.pk])
    assert url in listing and "te weinig geld op de Stripe-rekening" in listing
    page = c.get(url).content.decode()
    assert "Opnieuw uitbetalen" in page and "nooit twee keer" in page
    done = c.post(url, follow=True)
    assert "Opnieuw uitbetaald: € 90,00 is overgemaakt" in done.content.decode()
    assert Payout.objects.get(pk=failed.pk).status == Payout.Status.PAID
    again = c.post(url)  # a second click, later: refused in words, nothing sent
    assert again.status_code == 422 and "niet mislukt" in again.content.decode()
    assert len(payouts_on.transfers) == 1


# ---------------------------------------------------------------- two clicks at once (PostgreSQL)


def _race_retries(world, payout, n=2):
    staff = world["staff"]
    results = race(n, lambda i: services.retry_failed(Payout.objects.get(pk=payout.pk), by=staff))
    return results, errors(results, expected=(services.PayoutRefused,))


def _slow_allowance_check(monkeypatch):
    original = services._check_allowance

    def slow(*args, **kwargs):
        result = original(*args, **kwargs)
        time.sleep(0.3)  # widen the window between reading the status and writing the new key
        return result

    monkeypatch.setattr(services, "_check_allowance", slow)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_retries_at_once_pay_once(payouts_on, payout_world, monkeypatch):
    enable_account(payouts_on, payout_world["host"])
    failed = _failed(payouts_on, payout_world)
    _slow_allowance_check(monkeypatch)
    results, unexpected = _race_retries(payout_world, failed)
    assert unexpected == []
    assert sum(isinstance(r, Payout) for r in results) == 1
    assert sum(isinstance(r, services.PayoutRefused) for r in results) == 1
    assert Payout.objects.get(pk=failed.pk).status == Payout.Status.PAID
    assert len(payouts_on.transfers) == 1
    assert AuditLog.objects.filter(action="payouts.retry").count() == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_without_the_row_locks_both_retries_go_through(payouts_on, payout_world, monkeypatch):
    enable_account(payouts_on, payout_world["host"])
    failed = _failed(payouts_on, payout_world)
    _slow_allowance_check(monkeypatch)
    for model in (ConnectedAccount, Payout):
        monkeypatch.setattr(model.objects, "select_for_update", lambda *a, m=model, **k: m.objects.all())
    results, _unexpected = _race_retries(payout_world, failed)
    assert AuditLog.objects.filter(action="payouts.retry").count() == 2  # the race is real
