"""The registry behind ``can()`` and ``scope()``: one rule per capability, named ``app.verb``.

A capability that applies to rows of a model has two halves that must agree:

- ``check(user, obj)``, registered with ``@rule("app.verb")``: may this user do it to this one?
- ``scope(user, queryset)``, registered with ``@scope_of("app.verb")``: of these rows, which?

Lists, exports, search results and aggregates use ``scope()``; detail pages and actions use
``can()``. The matrix tests assert, for every role and every scoped capability on a populated
database, that a row is in the scope exactly when ``can()`` allows it
(``disagreements()`` lists the rows where they differ). Borrowed idea: bridgekeeper's rules
that both check an object and filter a queryset; the code is ours.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet

Rule = Callable[[Any, Any], bool]
Scope = Callable[[Any, QuerySet], QuerySet]
_RULES: dict[str, Rule] = {}
_SCOPES: dict[str, Scope] = {}


def rule(capability: str) -> Callable[[Rule], Rule]:
    def register(fn: Rule) -> Rule:
        if capability in _RULES:
            raise ValueError(f"Capability {capability!r} has two rules.")
        _RULES[capability] = fn
        return fn

    return register


def scope_of(capability: str) -> Callable[[Scope], Scope]:
    """Register the queryset half of ``capability`` (its ``@rule`` must exist too)."""

    def register(fn: Scope) -> Scope:
        if capability in _SCOPES:
            raise ValueError(f"Capability {capability!r} has two scopes.")
        _SCOPES[capability] = fn
        return fn

    return register


def _anonymous(user) -> bool:
    return user is None or not getattr(user, "is_authenticated", False) or not user.is_active


def can(user, capability: str, obj: Any = None) -> bool:
    """May ``user`` do ``capability`` (to ``obj``)? Unknown capabilities are a bug, not a no."""
    try:
        check = _RULES[capability]
    except KeyError:
        raise KeyError(f"Unknown capability {capability!r}; register it in accounts/policies.")
    if _anonymous(user):
        # Anonymous visitors only get what a rule grants them explicitly.
        return bool(getattr(check, "allows_anonymous", False) and check(user, obj))
    return bool(check(user, obj))


def scope(user, capability: str, queryset: QuerySet) -> QuerySet:
    """The rows of ``queryset`` that ``can(user, capability, row)`` allows, as a queryset.

    Filtering happens in the database, so a list costs the same few queries whatever its
    length, and counts and aggregates over the result answer the same question as the
    detail page.
    """
    if capability not in _RULES:
        raise KeyError(f"Unknown capability {capability!r}; register it in accounts/policies.")
    try:
        narrow = _SCOPES[capability]
    except KeyError:
        raise KeyError(f"Capability {capability!r} has no scope; register one with @scope_of.")
    if _anonymous(user) and not getattr(_RULES[capability], "allows_anonymous", False):
        return queryset.none()
    return narrow(user, queryset)


def require(user, capability: str, obj: Any = None) -> None:
    if not can(user, capability, obj):
        raise PermissionDenied(capability)


def anonymous_allowed(fn: Rule) -> Rule:
    fn.allows_anonymous = True  # type: ignore[attr-defined]
    return fn


def capabilities() -> list[str]:
    return sorted(_RULES)


def scoped_capabilities() -> list[str]:
    return sorted(_SCOPES)


def disagreements(user, capability: str, queryset: QuerySet) -> list[tuple[Any, bool, bool]]:
    """Rows where the two halves differ: ``(row, in_scope, check_allows)``. Empty is right."""
    in_scope = set(scope(user, capability, queryset).values_list("pk", flat=True))
    out = []
    for row in queryset:
        allowed = can(user, capability, row)
        if (row.pk in in_scope) != allowed:
            out.append((row, row.pk in in_scope, allowed))
    return out


def missing_scopes(object_capabilities: Iterable[str]) -> list[str]:
    """Of the capabilities that apply to rows, those without a scope half (for a test)."""
    return [c for c in object_capabilities if c not in _SCOPES]
