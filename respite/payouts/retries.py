"""Sending a failed payout again: the private steps behind ``services.retry_failed`` (by hand),
``services.retry_failed_automatically`` (the periodic job) and an account becoming enabled
(``services._apply_state``). Only ``services`` calls this module; the policy of what is retried
by itself, how often and how far apart, is written down in ``failures``.

A retry is two steps, as a confirmation is: one transaction turns the payout from FAILED to
PENDING under a new idempotency key (after the account and allowance checks, with the host's
account row and then the payout row locked, the project's lock order), and after the commit
``services.send_transfer`` sends it. Two retries at once: the second finds it no longer failed.
"""

from __future__ import annotations

import logging
from datetime import datetime

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from thuisnet.core.db import retry_on_conflict

from . import failures, services
from .models import ConnectedAccount, Payout, PayoutFailure

log = logging.getLogger(__name__)


@retry_on_conflict
def reopen(payout_id: int, *, by, how: str, due_by: datetime | None = None) -> bool:
    """FAILED to PENDING under a new key, after the checks; False when an automatic retry is not
    (or no longer) due. Raises ``services.PayoutRefused`` when it may not be sent again."""
    host_id = Payout.objects.values_list("host_id", flat=True).get(pk=payout_id)
    # The global lock order (thuisnet.core.db): the host's account row, then the payout.
    account = ConnectedAccount.objects.select_for_update().filter(user_id=host_id).first()
    payout = Payout.objects.select_for_update().get(pk=payout_id)
    automatic = how != PayoutFailure.Retry.MANUAL
    if payout.status != Payout.Status.FAILED:
        if automatic:
            return False
        raise services.PayoutRefused(
            _("Deze uitbetaling is niet mislukt (%(status)s); opnieuw uitbetalen is niet nodig.")
            % {"status": payout.get_status_display()}
        )
    if automatic and (payout.retry_after is None or (due_by is not None and payout.retry_after > due_by)):
        return False
    if account is None or not account.ready:
        raise services.PayoutRefused(
            _(
                "Het Stripe-account van het gastgezin is nog niet klaar voor uitbetalingen. "
                "Opnieuw uitbetalen kan pas als Stripe het account heeft goedgekeurd."
            )
        )
    today = timezone.localdate()
    amount = services.Quote(
        unit=payout.unit,
        quantity=payout.quantity,
        rate_cents=payout.rate_cents,
        amount_cents=payout.amount_cents,
    )
    # The same check as a confirmation, without this payout (a failed one counts for nothing).
    services._check_allowance(host_id, amount, today, exclude=payout)
    now = timezone.now()
    old_key = payout.idempotency_key
    payout.status = Payout.Status.PENDING
    payout.idempotency_key = services._new_key()
    payout.key_issued_at = now
    payout.account = account
    # The money is received now, so it counts in this month's allowance (as a re-confirmation).
    payout.period = today
    payout.failure_reason = payout.failure_code = ""
    payout.retry_after = None
    # A person retrying starts the automatic budget again (see ``failures``).
    payout.auto_retries = payout.auto_retries + 1 if automatic else 0
    payout.retried_by, payout.retried_at = by, now
    payout.save()
    services._close_failures(payout, by=by, how=how, old_key=old_key)
    return True


def retry_automatically(payout_id: int, *, how: str, due_by: datetime | None = None) -> Payout | None:
    """One automatic retry; a refusal (allowance, account) uses up an attempt and waits its turn."""
    try:
        if not reopen(payout_id, by=None, how=how, due_by=due_by):
            return None
    except services.PayoutRefused as refusal:
        with transaction.atomic():
            payout = Payout.objects.select_for_update().get(pk=payout_id)
            if payout.status == Payout.Status.FAILED:
                payout.auto_retries += 1
                payout.retry_after = services._next_retry(payout.auto_retries, timezone.now())
                payout.save(update_fields=["auto_retries", "retry_after"])
        log.info("automatic payout retry refused", extra={"payout": payout_id, "reason": refusal.message})
        return None
    return services.send_transfer(payout_id)


def retry_account_failures(account: ConnectedAccount) -> None:
    """The account is enabled: send again at once what failed because it was not."""
    ids = Payout.objects.filter(
        account=account,
        status=Payout.Status.FAILED,
        failure_code__in=failures.ACCOUNT_CODES,
        retry_after__isnull=False,  # within the automatic budget
    ).values_list("pk", flat=True)
    for pk in list(ids):
        retry_automatically(pk, how=PayoutFailure.Retry.ACCOUNT_ENABLED)


def retry_due(now: datetime) -> int:
    """Failed payouts whose back-off is over: balance failures, and account failures once the
    account is enabled (when Stripe's event was missed). The number paid."""
    ids = list(
        Payout.objects.filter(status=Payout.Status.FAILED, retry_after__lte=now)
        .filter(
            Q(failure_code__in=failures.BALANCE_CODES)
            | Q(failure_code__in=failures.ACCOUNT_CODES, account__status=ConnectedAccount.Status.ENABLED)
        )
        .order_by("retry_after", "pk")
        .values_list("pk", flat=True)
    )
    paid = 0
    for pk in ids:
        payout = retry_automatically(pk, how=PayoutFailure.Retry.JOB, due_by=now)
        paid += payout is not None and payout.status == Payout.Status.PAID
    return paid
