"""Rules for payouts to respite hosts (``respite.payouts``): each row capability has a check
(``@rule``) and a scope (``@scope_of``) that agree; ``tests/test_payouts_policies.py`` walks them.

- A host family or support family (a user linked to a host or support-family offer) onboards
  its own Stripe account and sees its own payouts.
- Staff of the offer's provider confirm a completed stay and see the payouts of their offers;
  they also send a failed payout again ("Opnieuw uitbetalen", ``payouts.retry_payout``).
- The region's coordinators (and administrators) see and export the region's payouts, the rate
  card and the reconciliation runs.

Nothing here imports Stripe.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from thuisnet.accounts.roles import ADMINISTRATOR, COORDINATOR, PROVIDER_STAFF, roles_of

from .registry import rule, scope_of

ROW_CAPABILITIES = {
    "payouts.onboard",
    "payouts.view_payout",
    "payouts.confirm_stay",
    "payouts.manage_region",
    "payouts.retry_payout",
}
HOST_KINDS = ("host_family", "support_family")


def _is_host(user) -> bool:
    return user.respite_host_offers.filter(kind__in=HOST_KINDS).exists()


@rule("payouts.onboard")
def onboard(user, account=None) -> bool:
    """A host onboards (and sees) only its own connected account."""
    if account is not None:
        return account.user_id == user.pk
    return _is_host(user)


@scope_of("payouts.onboard")
def onboard_scope(user, qs: QuerySet) -> QuerySet:
    return qs.filter(user_id=user.pk)


@rule("payouts.view_payout")
def view_payout(user, payout=None) -> bool:
    r = roles_of(user)
    if payout is None:
        return r.has(ADMINISTRATOR) or r.has(COORDINATOR) or r.has(PROVIDER_STAFF) or _is_host(user)
    if r.has(ADMINISTRATOR) or payout.host_id == user.pk:
        return True
    if r.has(PROVIDER_STAFF) and payout.provider_id in r.provider_ids:
        return True
    return r.has(COORDINATOR) and payout.region_id in r.coordinator_region_ids


@scope_of("payouts.view_payout")
def view_payout_scope(user, qs: QuerySet) -> QuerySet:
    r = roles_of(user)
    if r.has(ADMINISTRATOR):
        return qs
    q = Q(host_id=user.pk)
    if r.has(PROVIDER_STAFF):
        q |= Q(provider_id__in=r.provider_ids)
    if r.has(COORDINATOR):
        q |= Q(region_id__in=r.coordinator_region_ids)
    return qs.filter(q)


@rule("payouts.confirm_stay")
def confirm_stay(user, booking=None) -> bool:
    """Staff of the offer's provider confirm the hours or nights of a stay (rows: Booking)."""
    r = roles_of(user)
    if not r.has(PROVIDER_STAFF):
        return False
    return booking is None or booking.offer.provider_id in r.provider_ids


@scope_of("payouts.confirm_stay")
def confirm_stay_scope(user, qs: QuerySet) -> QuerySet:
    r = roles_of(user)
    if not r.has(PROVIDER_STAFF):
        return qs.none()
    return qs.filter(offer__provider_id__in=r.provider_ids)


@rule("payouts.retry_payout")
def retry_payout(user, payout=None) -> bool:
    """Staff of the payout's provider send a failed payout again (rows: Payout). Whether this
    payout may be sent again (failed, account enabled, allowance) is the service's question."""
    r = roles_of(user)
    if not r.has(PROVIDER_STAFF):
        return False
    return payout is None or payout.provider_id in r.provider_ids


@scope_of("payouts.retry_payout")
def retry_payout_scope(user, qs: QuerySet) -> QuerySet:
    r = roles_of(user)
    if not r.has(PROVIDER_STAFF):
        return qs.none()
    return qs.filter(provider_id__in=r.provider_ids)


@rule("payouts.manage_region")
def manage_region(user, region=None) -> bool:
    """Exports, rate card and reconciliation of a region (rows: Region)."""
    r = roles_of(user)
    if r.has(ADMINISTRATOR):
        return True
    if not r.has(COORDINATOR):
        return False
    rid = None if region is None else getattr(region, "pk", region)
    return rid is None or rid in r.coordinator_region_ids


@scope_of("payouts.manage_region")
def manage_region_scope(user, qs: QuerySet) -> QuerySet:
    r = roles_of(user)
    if r.has(ADMINISTRATOR):
        return qs
    if not r.has(COORDINATOR):
        return qs.none()
    return qs.filter(pk__in=r.coordinator_region_ids)
