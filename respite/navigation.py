from django.utils.translation import gettext as _

from thuisnet.accounts.roles import roles_of
from thuisnet.core.navigation import NavItem


def items(request) -> list[NavItem]:
    out = [NavItem(_("Respijtopvang"), "/respijt/", order=20)]
    user = request.user
    r = roles_of(user)
    if r.household_id:
        out.append(NavItem(_("Mijn aanvragen"), "/respijt/mijn-aanvragen/", order=21))
    if r.provider_ids or (user.is_authenticated and user.respite_host_offers.exists()):
        out.append(NavItem(_("Respijt beheren"), "/respijt/beheer/", order=22))
    if r.coordinator_region_ids:
        out.append(NavItem(_("Respijt in de regio"), "/respijt/regio/", order=23))
    return out
