from django.utils.translation import gettext as _

from thuisnet.accounts.policies import can
from thuisnet.core.navigation import LABELS, NavItem


def items(request) -> list[NavItem]:
    out = [NavItem(_("Mentoren"), "/mentoren/", order=40)]
    user = request.user
    if getattr(user, "is_authenticated", False) and can(user, "matching.view_overview"):
        out.append(NavItem(LABELS["matching.rounds"], "/mentoren/rondes/", order=19, task=True))
    if getattr(user, "is_authenticated", False) and can(user, "matching.open_constellations"):
        out.append(
            NavItem(LABELS["matching.constellations"], "/mentoren/constellaties/", order=45, task=True)
        )
    return out
