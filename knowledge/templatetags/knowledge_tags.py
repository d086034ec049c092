from __future__ import annotations

from django import template

from thuisnet.accounts.policies import can

register = template.Library()


@register.simple_tag(takes_context=True)
def ask_state(context) -> dict:
    """``{% ask_state as ask %}``: ``ask.allowed`` and, when not, ``ask.reason`` (Dutch)."""
    from ..selectors import ask_refusal

    user = context.get("user") or getattr(context.get("request"), "user", None)
    reason = ask_refusal(user)
    return {"allowed": not reason, "reason": reason}


@register.simple_tag(takes_context=True)
def startpath_link(context) -> bool:
    """Whether the knowledge navigation shows "Startpad"."""
    user = context.get("user")
    if not getattr(user, "is_authenticated", False):
        return False
    return can(user, "startpath.follow") or can(user, "startpath.coach") or can(user, "startpath.view_region")
