"""Dutch text analysis shared by the database engine and the judged-set command.

Lower-case, fold accents (``één`` = ``een``), split on anything that is not a letter or a
digit, drop Dutch stop words, and stem with the Snowball Dutch stemmer (``vergoedingen`` and
``vergoeding`` both become ``vergoed``). The same function runs at index and at query time,
so what was stored and what is asked meet in the same form.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from pathlib import Path

import snowballstemmer

SYNONYMS_FILE = Path(__file__).parent / "data" / "synonyms.txt"

# Snowball's Dutch stop word list, shortened to words that never carry meaning in a query.
_STOP_TEXT = """aan al alles als altijd andere ben bij daar dan dat de der deze die dit doch doen door dus
    een eens en er ge geen geweest haar had heb hebben heeft hem het hier hij hoe hun iemand iets
    ik in is ja je jij jou jouw kan kon krijg krijgen kun kunnen maar me meer men met mij mijn moet
    na naar niet niets nog nu of om omdat onder ons ook op over reeds te tegen toch toen tot u uit
    uw van veel voor want waren was wat we wel welk werd wie wij wil worden wordt zal ze zelf zich
    zij zijn zo zonder zou mag mogen hoeveel waar wanneer waarom"""
STOP_WORDS = frozenset(_STOP_TEXT.split())

_WORD = re.compile(r"[a-z0-9]+")
_stemmer = snowballstemmer.stemmer("dutch")


def fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", (text or "").lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def words(text: str) -> list[str]:
    """Folded words without stop words (not stemmed): the vocabulary for "bedoelde je"."""
    return [w for w in _WORD.findall(fold(text)) if w not in STOP_WORDS]


@lru_cache(maxsize=20000)
def stem(word: str) -> str:
    return _stemmer.stemWord(word)


# Heads of Dutch compounds parents split or join ("pleegvergoeding" / "vergoeding"): a long
# word ending in one of these also yields the head's stem, at index and at query time.
# fmt: off
COMPOUND_HEADS = (
    "vergoeding", "vergoedingen", "gezin", "gezinnen", "zorg", "ouder", "ouders", "kind",
    "kinderen", "avond", "avonden", "huis", "plek", "kosten", "geld", "regeling", "voorziening",
    "opvang", "school", "moeder", "vader", "dochter", "zoon", "kaart", "diploma", "les",
)
# fmt: on


@lru_cache(maxsize=20000)
def _word_stems(word: str) -> tuple[str, ...]:
    out = [stem(word)]
    for head in COMPOUND_HEADS:
        if len(word) >= len(head) + 3 and word.endswith(head):
            head_stem = stem(head)
            if head_stem not in out:
                out.append(head_stem)
            break
    return tuple(out)


def compound_stems(word: str) -> tuple[str, ...]:
    return _word_stems(word)


def stems(text: str) -> list[str]:
    return [s for w in words(text) for s in _word_stems(w)]


def stem_text(text: str) -> str:
    return " ".join(stems(text))


@lru_cache(maxsize=1)
def synonym_groups() -> tuple[tuple[str, ...], ...]:
    groups = []
    for line in SYNONYMS_FILE.read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            groups.append(tuple(t.strip() for t in line.split(",") if t.strip()))
    return tuple(groups)


@lru_cache(maxsize=1)
def _synonyms_by_stem() -> dict[str, frozenset[str]]:
    table: dict[str, set[str]] = {}
    for group in synonym_groups():
        group_stems = {s for phrase in group for s in stems(phrase)}
        for s in group_stems:
            table.setdefault(s, set()).update(group_stems)
    return {k: frozenset(v) for k, v in table.items()}


def expand(term_stem: str) -> frozenset[str]:
    """A stem and its synonyms' stems (always including itself)."""
    return _synonyms_by_stem().get(term_stem, frozenset()) | {term_stem}
