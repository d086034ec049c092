from django.utils.translation import gettext as _

from thuisnet.accounts.policies import can
from thuisnet.core.navigation import NavItem


def items(request) -> list[NavItem]:
    out = [NavItem(_("Informatieavonden"), "/avonden/", order=10)]
    user = request.user
    if can(user, "foster.list_prospects"):
        out.append(NavItem(_("Aspiranten"), "/avonden/aspiranten/", order=11, task=True))
    if can(user, "foster.my_activities"):
        out.append(NavItem(_("Mijn activiteiten"), "/avonden/mijn-activiteiten/", order=13, task=True))
    if can(user, "foster.list_organised"):
        out.append(NavItem(_("Mijn avonden"), "/avonden/beheer/", order=12, task=True))
    return out
