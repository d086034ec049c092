from thuisnet.core.navigation import NavItem


def items(request) -> list[NavItem]:
    return []
