from django.urls import reverse
from django.utils.translation import gettext as _

from thuisnet.accounts.policies import can
from thuisnet.core.navigation import LABELS, NavItem


def items(request) -> list[NavItem]:
    user = getattr(request, "user", None)
    out = []
    if user is not None and user.is_authenticated:
        if can(user, "placements.edit"):
            out.append(NavItem(_("Plaatsingen"), reverse("placements:register"), order=14, task=True))
        if can(user, "placements.view_report"):
            out.append(
                NavItem(LABELS["placements.monitor"], reverse("placements:dashboard"), order=15, task=True)
            )
    return out
