"""Rules for the foster app. Register each with @rule("foster.<verb>")."""

from thuisnet.accounts.roles import roles_of  # noqa: F401

from .registry import anonymous_allowed, rule  # noqa: F401
