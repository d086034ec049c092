"""The main menu. Each app contributes items in its own ``navigation.py``:

    def items(request) -> list[NavItem]: ...

An item is either public (what anyone may open: evenings, respite, the knowledge base,
mentors) or a *task* (``task=True``: work of the signed-in person's role, such as
"Aspiranten" or "Respijt beheren"). Each role sees its few main tasks in the menu and the
rest under "Meer":

- the menu bar holds at most ``MAX_MAIN`` items: the role's tasks first (by ``order``), then
  public items while there is room; everything else goes under "Meer". Visitors and most
  parents have no more than five items and see no "Meer" at all.

Items are shown in ``order``; ``current`` is set on the most specific item whose URL the path
starts with. Search is not an item of the list: the header shows it on its own.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from importlib import import_module

from django.utils.translation import gettext_lazy as _

APPS = ("foster", "foster.placements", "respite", "respite.payouts", "knowledge", "matching", "search")

#: Labels of task items, kept here so the site catalog translates them (one wording everywhere).
LABELS = {
    "placements.monitor": _("Plaatsingsmonitor"),
    "knowledge.moderation": _("Moderatie"),
    "cms": _("Redactie (CMS)"),
    "matching.rounds": _("Mentorrondes"),
    "matching.constellations": _("Constellaties"),
    "startpath.mine": _("Mijn startpad"),
    "startpath.coach": _("Starters begeleiden"),
    "startpath.region": _("Startpad in de regio"),
}

#: How many items the menu bar shows before the rest go under "Meer".
MAX_MAIN = 5


@dataclass
class NavItem:
    label: str
    url: str
    order: int = 50
    current: bool = False
    task: bool = False
    #: Items that the header shows apart from the menu (search).
    utility: bool = False


@dataclass
class Menu:
    """The grouped menu for one request; iterating it yields the main items (old templates)."""

    main: list[NavItem] = field(default_factory=list)
    more: list[NavItem] = field(default_factory=list)
    utility: list[NavItem] = field(default_factory=list)

    def __iter__(self):
        return iter(self.main)

    def __len__(self) -> int:
        return len(self.main)

    @property
    def all(self) -> list[NavItem]:
        return sorted(self.main + self.more + self.utility, key=_key)

    @property
    def more_current(self) -> bool:
        return any(i.current for i in self.more)


def _key(item: NavItem) -> tuple:
    return (item.order, str(item.label))


def collect(request) -> list[NavItem]:
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
    return sorted(items, key=_key)


def menu(request) -> Menu:
    items = collect(request)
    utility = [i for i in items if i.utility]
    rest = [i for i in items if not i.utility]
    tasks = [i for i in rest if i.task]
    public = [i for i in rest if not i.task]
    main = tasks[:MAX_MAIN]
    main += public[: MAX_MAIN - len(main)]
    chosen = {id(i) for i in main}
    # Under "Meer": the role's further tasks first, then the public items.
    more = [i for i in tasks if id(i) not in chosen] + [i for i in public if id(i) not in chosen]
    # The role's own tasks lead the bar, then the public items (each in ``order``).
    return Menu(main=main, more=more, utility=utility)
