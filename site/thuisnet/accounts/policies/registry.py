"""The registry behind ``can()``: one rule per capability, named ``app.verb``."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.exceptions import PermissionDenied

Rule = Callable[[Any, Any], bool]
_RULES: dict[str, Rule] = {}


def rule(capability: str) -> Callable[[Rule], Rule]:
    def register(fn: Rule) -> Rule:
        if capability in _RULES:
            raise ValueError(f"Capability {capability!r} has two rules.")
        _RULES[capability] = fn
        return fn

    return register


def can(user, capability: str, obj: Any = None) -> bool:
    """May ``user`` do ``capability`` (to ``obj``)? Unknown capabilities are a bug, not a no."""
    try:
        check = _RULES[capability]
    except KeyError:
        raise KeyError(f"Unknown capability {capability!r}; register it in accounts/policies.")
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        # Anonymous visitors only get what a rule grants them explicitly.
        return bool(getattr(check, "allows_anonymous", False) and check(user, obj))
    return bool(check(user, obj))


def require(user, capability: str, obj: Any = None) -> None:
    if not can(user, capability, obj):
        raise PermissionDenied(capability)


def anonymous_allowed(fn: Rule) -> Rule:
    fn.allows_anonymous = True  # type: ignore[attr-defined]
    return fn


def capabilities() -> list[str]:
    return sorted(_RULES)
