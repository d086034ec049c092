"""Where every searchable kind comes from: the apps' providers plus the search-side ones."""

from __future__ import annotations

from functools import lru_cache
from importlib import import_module

PROVIDER_MODULES = (
    "foster.search_provider",
    "knowledge.search_provider",
    "respite.search_provider",
    "search.extra_providers",
)


@lru_cache(maxsize=1)
def providers() -> dict:
    """kind -> provider module."""
    out = {}
    for dotted in PROVIDER_MODULES:
        module = import_module(dotted)
        for kind in module.KINDS:
            out[kind] = module
    return out


def kinds() -> list[str]:
    return list(providers())


def label(kind: str) -> str:
    return str(providers()[kind].KINDS[kind])


def watched() -> list[tuple]:
    out = []
    for module in dict.fromkeys(providers().values()):
        entries = module._watched() if hasattr(module, "_watched") else module.WATCHED
        out.extend(entries)
    return out
