"""The database engine: SQLite FTS5 or PostgreSQL full text over ``SearchDocument``.

SQLite: the FTS5 table ``search_fts`` holds the Snowball-stemmed title and body (stemmed in
Python, ``search.text``), queried with the stemmed terms OR-ed (each with its synonyms) and
ranked by BM25 with the title weighted 4 to 1. The last term also matches as a prefix while
someone types. PostgreSQL: the Dutch configuration stems title (weight A) and body (B), the
terms are OR-ed in a raw tsquery, ranked by ``ts_rank``; trigram similarity on the title adds
typo tolerance (``pg_trgm``).

Both return ``[(kind, object_id, raw_score)]`` with higher = better; the service puts the
raw scores on one scale.
"""

from __future__ import annotations

from django.db import connection

from ..models import SearchDocument
from ..text import compound_stems, expand

CANDIDATES = 200


def is_postgres() -> bool:
    return connection.vendor == "postgresql"


# --- writing ----------------------------------------------------------------------------------


def write_fts(doc_id: int, title_stems: str, body_stems: str) -> None:
    if is_postgres():
        return
    with connection.cursor() as c:
        c.execute("DELETE FROM search_fts WHERE rowid = %s", [doc_id])
        c.execute(
            "INSERT INTO search_fts(rowid, title, body) VALUES (%s, %s, %s)",
            [doc_id, title_stems, body_stems],
        )


def delete_fts(doc_ids: list[int]) -> None:
    if is_postgres() or not doc_ids:
        return
    with connection.cursor() as c:
        c.executemany("DELETE FROM search_fts WHERE rowid = %s", [[i] for i in doc_ids])


def clear() -> None:
    SearchDocument.objects.all().delete()
    if not is_postgres():
        with connection.cursor() as c:
            c.execute("DELETE FROM search_fts")


# --- querying ---------------------------------------------------------------------------------


# Synonyms count, but less than the words typed: a rare typed word ("bril") must outweigh
# a common group ("vergoeding", "kosten", "geld", ...).
SYNONYM_WEIGHT = 0.3


def _match(options: list[str]) -> str:
    return " OR ".join(dict.fromkeys(options))


def _fts_run(match: str, kinds) -> dict[tuple[str, int], float]:
    sql = (
        "SELECT d.kind, d.object_id, -bm25(search_fts, 4.0, 1.0) AS score "
        "FROM search_fts JOIN search_searchdocument d ON d.id = search_fts.rowid "
        "WHERE search_fts MATCH %s"
    )
    params: list = [match]
    if kinds:
        sql += " AND d.kind IN (" + ",".join(["%s"] * len(kinds)) + ")"
        params += list(kinds)
    sql += " ORDER BY score DESC LIMIT %s"
    params.append(CANDIDATES)
    with connection.cursor() as c:
        c.execute(sql, params)
        return {(k, int(i)): float(s) for k, i, s in c.fetchall()}


def query(term_stems: list[str], raw_words: list[str], *, kinds=None, prefix_last: bool = False):
    if not term_stems:
        return []
    if is_postgres():
        return _query_postgres(term_stems, raw_words, kinds=kinds)
    typed = [f'"{s}"' for s in term_stems]
    if prefix_last and len(term_stems[-1]) >= 3:
        typed.append(f'"{term_stems[-1]}"*')
    # Synonyms and the heads of typed compounds ("pleeggezin" -> "gezin") weigh less.
    related = {a for w in raw_words for s in compound_stems(w) for a in expand(s)}
    synonyms = sorted(related | {a for s in term_stems for a in expand(s)} - set(term_stems))
    scores = _fts_run(_match(typed), kinds)
    if synonyms:
        for key, score in _fts_run(_match([f'"{a}"' for a in synonyms]), kinds).items():
            scores[key] = scores.get(key, 0.0) + SYNONYM_WEIGHT * score
    ranked = sorted(scores.items(), key=lambda kv: -kv[1])[:CANDIDATES]
    return [(k, i, s) for (k, i), s in ranked]


# Title weighs A, body and municipality B; computed per query (the index is small: a few
# thousand rows), so no stored tsvector column to keep in step.
_PG_VECTOR = (
    "(setweight(to_tsvector('dutch', title), 'A')"
    " || setweight(to_tsvector('dutch', body || ' ' || municipality), 'B'))"
)


def _query_postgres(term_stems: list[str], raw_words: list[str], *, kinds=None):
    # Terms for the raw tsquery: the typed words and their synonyms, letters and digits only
    # (the Dutch configuration stems them itself).
    from ..text import synonym_groups, words

    terms = set(raw_words)
    for group in synonym_groups():
        group_words = {w for phrase in group for w in words(phrase)}
        if group_words & set(raw_words):
            terms |= group_words
    tsquery = " | ".join(sorted(t for t in terms if t.isalnum()))
    if not tsquery:
        return []
    text = " ".join(raw_words)
    sql = (
        f"SELECT kind, object_id, ts_rank({_PG_VECTOR}, to_tsquery('dutch', %s))"  # noqa: S608 - constant
        " + 0.5 * word_similarity(%s, title) AS score FROM search_searchdocument"
        f" WHERE {_PG_VECTOR} @@ to_tsquery('dutch', %s) OR %s <%% title"
    )
    params: list = [tsquery, text, tsquery, text]
    if kinds:
        sql = f"SELECT * FROM ({sql}) q WHERE kind = ANY(%s)"  # noqa: S608 - fixed SQL, values as params
        params.append(list(kinds))
    sql += " ORDER BY score DESC LIMIT %s"
    params.append(CANDIDATES)
    with connection.cursor() as c:
        c.execute(sql, params)
        return [(k, int(i), float(s)) for k, i, s in c.fetchall()]
