from django.utils.translation import gettext as _

from thuisnet.accounts.policies import can
from thuisnet.accounts.policies import payouts as _payout_rules  # noqa: F401  (registers the rules)
from thuisnet.core.navigation import NavItem

from . import conf


def items(request) -> list:
    """Menu items, only while payouts are on (the lead adds "respite.payouts" to core's APPS)."""
    if not conf.enabled():
        return []
    user = request.user
    out = []
    if can(user, "payouts.onboard"):
        out.append(NavItem(_("Mijn uitbetalingen"), "/respijt/uitbetalingen/", order=22, task=True))
    if can(user, "payouts.confirm_stay"):
        out.append(NavItem(_("Uitbetalen"), "/respijt/uitbetalingen/aanbieder/", order=14, task=True))
    if can(user, "payouts.manage_region"):
        out.append(NavItem(_("Uitbetalingen"), "/respijt/uitbetalingen/regio/", order=17, task=True))
    return out
