from django.utils.translation import gettext as _

from thuisnet.accounts.policies import can, capabilities
from thuisnet.core.navigation import LABELS, NavItem


def items(request) -> list[NavItem]:
    out = [NavItem(label=_("Kennisbank"), url="/kennis/", order=30)]
    user = request.user
    if not getattr(user, "is_authenticated", False):
        return out
    if can(user, "knowledge.moderate"):
        out.append(NavItem(LABELS["knowledge.moderation"], "/kennis/moderatie/", order=17, task=True))
    if can(user, "cms.access"):
        out.append(NavItem(LABELS["cms"], "/admin/", order=18, task=True))
    known = set(capabilities())
    # The start path for new family-home parents (issue 16 item 1), when its rules are there.
    if "startpath.follow" in known and can(user, "startpath.follow"):
        out.append(NavItem(LABELS["startpath.mine"], "/kennis/startpad/", order=9, task=True))
    if "startpath.coach" in known and can(user, "startpath.coach"):
        out.append(NavItem(LABELS["startpath.coach"], "/kennis/startpad/coach/", order=24, task=True))
    if "startpath.view_region" in known and can(user, "startpath.view_region"):
        out.append(NavItem(LABELS["startpath.region"], "/kennis/startpad/regio/", order=25, task=True))
    return out
