from django.utils.translation import gettext as _

from thuisnet.core.navigation import NavItem


def items(request) -> list[NavItem]:
    return [NavItem(_("Mentoren"), "/mentoren/", order=40)]
