"""Every "may X do Y" question in Thuisnet is answered by ``can(user, capability, obj)``.

Rules live in one module per area (core, foster, respite, knowledge, matching) so the
whole policy can be read in one folder; views and services never test roles themselves.
"""

from . import core, foster, knowledge, matching, payouts, placements, respite, startpath  # noqa: F401  (registers rules)
from .registry import can, capabilities, disagreements, require, scope, scoped_capabilities

__all__ = ["can", "capabilities", "disagreements", "require", "scope", "scoped_capabilities"]
