"""One inbox per person ("Mijn meldingen"): booking changes, messages, Q&A and event changes.

The contract other apps call (keep its signature): ``notify(user, kind=..., title=..., url=...)``.
Called inside a transaction it is written with that transaction, so a rolled-back change
never leaves a notification behind.
"""

from __future__ import annotations

KINDS = ("booking", "message", "question", "event", "matching", "startpath")


def notify(user, *, kind: str, title: str, url: str = "", body: str = "") -> None:
    """Put one notification in ``user``'s inbox. ``title`` is already translated text."""
    # Placeholder until the inbox model lands (issue 13 item 2); callers may use it now.
    return None
