"""Highlighted snippets as safe HTML: the text escaped, matched words in ``<mark>``.

Elasticsearch marks its fragments with two private-use characters (``OPEN``/``CLOSE``)
instead of ``<mark>``: the fragment is raw source text, so it is escaped here piece by piece
and only the engine's own markers become ``<mark>``. A literal ``<mark>`` (or ``<script>``)
typed by a parent stays visible text. Escaping is Django's (only ``& < > " '``): Dutch letters
(ë, é, ij) pass unchanged. The database engine marks the words of the snippet whose stem is
one of the query's stems, so both engines give the same shape of answer.
"""

from __future__ import annotations

import re

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from .text import fold, stem

OPEN, CLOSE = "\ue000", "\ue001"
_MARKED = re.compile(f"{OPEN}(.*?){CLOSE}", re.S)
_TOKEN = re.compile(r"\w+", re.U)


def from_engine(fragment: str) -> SafeString:
    """An Elasticsearch fragment (marked with OPEN/CLOSE) as safe HTML."""
    out, pos = [], 0
    for m in _MARKED.finditer(fragment):
        out.append(_plain(fragment[pos : m.start()]))
        out.append(f"<mark>{_plain(m.group(1))}</mark>")
        pos = m.end()
    out.append(_plain(fragment[pos:]))
    return mark_safe("".join(out))  # noqa: S308 - every piece escaped above


def _plain(text: str) -> str:
    # Stray markers (unbalanced, or typed into the source) never reach the page.
    return escape(text.replace(OPEN, "").replace(CLOSE, ""))


def mark_stems(text: str, query_stems: set[str]) -> SafeString:
    """``text`` escaped, each word whose (folded) stem is in ``query_stems`` in <mark>."""
    if not text:
        return mark_safe("")
    out, pos = [], 0
    for m in _TOKEN.finditer(text):
        word = m.group(0)
        folded = fold(word)
        if folded and stem(folded) in query_stems:
            out.append(escape(text[pos : m.start()]))
            out.append(f"<mark>{escape(word)}</mark>")
            pos = m.end()
    out.append(escape(text[pos:]))
    return mark_safe("".join(out))  # noqa: S308 - every piece escaped above
