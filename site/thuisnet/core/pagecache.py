"""Cached pages for anonymous visitors, invalidated by tags (issue 14).

The contract other apps call (keep its signature): ``invalidate(*tags)`` after a change
commits. Tags in use: ``"evenings"`` (a seat count or an evening changed), ``"answers"``
(the Q&A changed), ``"page:<id>"`` (one Wagtail page), ``"respite"`` (public respite offers).
"""

from __future__ import annotations


def invalidate(*tags: str) -> None:
    """Drop every cached page that depends on any of ``tags`` (after commit when in a transaction)."""
    # Placeholder until the page cache lands; callers may use it now.
    return None
