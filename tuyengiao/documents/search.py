"""Full-text matching of documents, one way per database, on folded text.

The index is kept by the database itself (triggers of migration 0002): PostgreSQL fills `search_vector`
(head weighted A, then the body) and `title_vector` (the head) from `search_head` and `folded_text`;
SQLite mirrors the same two columns in the FTS5 table `documents_fts`. Both hold folded words, and the
head also holds the accented words, so that accented matches can rank first.

Ranking does not score every match (a word that stands in nearly every Party document matches them
all): results come in tiers, each newest first and read with LIMIT through an index:
the number typed, then the accents as typed in the head, then the folded words in the head, then the body.
"""

from django.db import connection
from django.db.models import BooleanField, Q
from django.db.models.expressions import RawSQL

from tuyengiao.core.search import query_terms
from tuyengiao.core.text import fold, nfc


def head_text(*parts: str) -> str:
    """What the head index holds: the folded parts, then their accented words in lower case."""
    text = " ".join(nfc(part) for part in parts if part)
    accented = text.lower()
    folded = fold(text)
    return folded if accented == folded else f"{folded} {accented}"


def _is_postgres() -> bool:
    return connection.vendor == "postgresql"


def _websearch(terms: list[str]) -> str:
    """Terms as PostgreSQL's websearch syntax: phrases in quotes, all required."""
    return " ".join(f'"{term}"' if " " in term else term for term in terms)


def _fts5(terms: list[str], column: str | None = None) -> str:
    """Terms as an FTS5 query: each a quoted phrase, all required, optionally in one column."""
    expression = " AND ".join('"' + term.replace('"', " ") + '"' for term in terms)
    return f"{column} : ({expression})" if column else expression


class TextQuery:
    """The conditions for one query string; empty when the query holds no words."""

    def __init__(self, query: str):
        accented, folded = query_terms(query)
        self.folded = folded
        # Typed with accents: the accented tier asks for every term as typed (lower case).
        self.accented = accented if any(fold(term) != term for term in accented) else []

    def __bool__(self) -> bool:
        return bool(self.folded)

    def body(self) -> Q:
        """Anywhere in the document (head or body)."""
        return self._match("search_vector", None, self.folded)

    def head(self, accented: bool = False) -> Q:
        """In the number, type, title or issuer; with `accented`, with the accents as typed."""
        return self._match("title_vector", "search_head", self.accented if accented else self.folded)

    def _match(self, vector: str, fts_column: str | None, terms: list[str]) -> Q:
        if _is_postgres():
            sql = f"documents_document.{vector} @@ websearch_to_tsquery('simple', %s)"
            # The column is one of two fixed names; the query is a bound parameter.
            return Q(RawSQL(sql, [_websearch(terms)], output_field=BooleanField()))  # noqa: S611
        sql = "SELECT rowid FROM documents_fts WHERE documents_fts MATCH %s"
        return Q(id__in=RawSQL(sql, [_fts5(terms, fts_column)]))  # noqa: S611
