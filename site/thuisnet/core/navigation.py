"""The main menu. Each app contributes items in its own ``navigation.py``:

    def items(request) -> list[NavItem]: ...

Items are shown in ``order``; ``current`` is set when the path starts with the item's URL.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import import_module

APPS = ("foster", "foster.placements", "respite", "knowledge", "matching", "search")


@dataclass
class NavItem:
    label: str
    url: str
    order: int = 50
    current: bool = False


def menu(request) -> list[NavItem]:
    items: list[NavItem] = []
    for app in APPS:
        try:
            module = import_module(f"{app}.navigation")
        except ModuleNotFoundError:
            continue
        items.extend(module.items(request))
    # Only the most specific item is current: /avonden/beheer/ is "Mijn avonden", not also
    # "Informatieavonden" at /avonden/.
    matching = [i for i in items if i.url != "/" and request.path.startswith(i.url)]
    if matching:
        max(matching, key=lambda i: len(i.url)).current = True
    return sorted(items, key=lambda i: (i.order, i.label))
