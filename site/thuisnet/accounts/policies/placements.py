"""Rules for the placement register and breakdown monitor. Register with @rule("placements.<verb>")."""

from thuisnet.accounts.roles import roles_of  # noqa: F401

from .registry import anonymous_allowed, rule  # noqa: F401
