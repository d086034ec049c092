from django.utils.translation import gettext as _

from thuisnet.accounts.policies import can
from thuisnet.core.navigation import NavItem


def items(request) -> list[NavItem]:
    out = [NavItem(_("Respijtopvang"), "/respijt/", order=20)]
    user = request.user
    if can(user, "respite.cancel_own"):  # a parent with a household
        out.append(NavItem(_("Mijn aanvragen"), "/respijt/mijn-aanvragen/", order=21, task=True))
    if can(user, "respite.manage_availability"):  # provider staff or a host family
        out.append(NavItem(_("Respijt beheren"), "/respijt/beheer/", order=13, task=True))
    if can(user, "respite.view_demand"):
        out.append(NavItem(_("Respijt in de regio"), "/respijt/regio/", order=16, task=True))
    return out
