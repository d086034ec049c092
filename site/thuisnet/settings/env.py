"""Read settings from the environment, failing loudly on values we cannot use.

A typo in a production environment file ("ture", "12o") must stop the process at
start-up with a message naming the variable, not silently fall back to a default.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from typing import TypeVar

from django.core.exceptions import ImproperlyConfigured

T = TypeVar("T")

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off"}


def _raw(name: str) -> str | None:
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return None
    return value.strip()


def envstr(name: str, default: str | None = None, *, required: bool = False) -> str | None:
    value = _raw(name)
    if value is None:
        if required:
            raise ImproperlyConfigured(f"Environment variable {name} is required but not set.")
        return default
    return value


def envbool(name: str, default: bool) -> bool:
    value = _raw(name)
    if value is None:
        return default
    if value.lower() in _TRUE:
        return True
    if value.lower() in _FALSE:
        return False
    raise ImproperlyConfigured(
        f"Environment variable {name}={value!r} is not a boolean; use one of {sorted(_TRUE | _FALSE)}."
    )


def _parsed(name: str, default: T, parse: Callable[[str], T], kind: str) -> T:
    value = _raw(name)
    if value is None:
        return default
    try:
        return parse(value)
    except (ValueError, InvalidOperation):
        raise ImproperlyConfigured(f"Environment variable {name}={value!r} is not {kind}.")


def envint(name: str, default: int, *, minimum: int | None = None, maximum: int | None = None) -> int:
    result = _parsed(name, default, int, "a whole number")
    if minimum is not None and result < minimum:
        raise ImproperlyConfigured(f"Environment variable {name}={result} is below {minimum}.")
    if maximum is not None and result > maximum:
        raise ImproperlyConfigured(f"Environment variable {name}={result} is above {maximum}.")
    return result


def envdecimal(name: str, default: Decimal) -> Decimal:
    return _parsed(name, default, Decimal, "a decimal number")


def envlist(name: str, default: list[str] | None = None) -> list[str]:
    value = _raw(name)
    if value is None:
        return list(default or [])
    return [item.strip() for item in value.split(",") if item.strip()]


def envchoice(name: str, default: str, choices: set[str]) -> str:
    value = _raw(name) or default
    if value not in choices:
        raise ImproperlyConfigured(f"Environment variable {name}={value!r} must be one of {sorted(choices)}.")
    return value
