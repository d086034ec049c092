"""Rules for the matching app. Register each with @rule("matching.<verb>")."""

from thuisnet.accounts.roles import roles_of  # noqa: F401

from .registry import anonymous_allowed, rule  # noqa: F401
