from django.utils.translation import gettext as _

from thuisnet.core.navigation import NavItem


def items(request) -> list[NavItem]:
    return [NavItem(_("Zoeken"), "/zoeken/", order=90, utility=True)]
