"""Full-text matching of documents, one way per database, on folded text.

The index is kept by the database itself (triggers of migration 0002): PostgreSQL fills `search_vector`
(head weighted A, then the body) and `title_vector` (the head) from `search_head` and `folded_text`;
SQLite mirrors them in the FTS5 tables `documents_fts` (head and body) and `documents_head_fts` (the head alone,
migration 0010). Both hold folded words, and the head also holds the accented words, so that accented matches can
rank first.

Ranking does not score every match (a word that stands in nearly every Party document matches them
all): results come in tiers, each newest first and read with LIMIT through an index:
the number typed, then the accents as typed in the head, then the folded words in the head, then the body.
"""

import hashlib
import re
import time
from typing import NamedTuple

from django.contrib.postgres.search import SearchQuery
from django.core.cache import cache
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
    """Terms as PostgreSQL's websearch syntax: phrases in quotes, all required. The word "or" is quoted too: bare,
    websearch reads it as OR, and the words on either side would no longer both be required (as they are on
    SQLite)."""
    return " ".join(f'"{term}"' if " " in term or term == "or" else term for term in terms)


def _words(terms: list[str]) -> SearchQuery:
    """PostgreSQL: the terms as a query of the folded words (migration 0002's 'simple' configuration)."""
    return SearchQuery(_websearch(terms), config="simple", search_type="websearch")


_NUMBER_WORD = re.compile(r"[0-9]{1,5}")
_PLAIN_WORD = re.compile(r"[a-z0-9]{1,20}")


def cited_numbers(terms: list[str]) -> list[str]:
    """PostgreSQL: the number lexemes (migration 0009) that every document holding the phrases among `terms` holds:
    "fnum" and a word of one to five digits with the two words after it ("05 nq tu": "fnum05nqtu"). Only words that
    PostgreSQL's parser keeps whole (plain letters and digits) make one, so each is what the migration made of the
    same words."""
    lexemes = []
    for term in terms:
        words = term.split()
        for first, second, third in zip(words, words[1:], words[2:], strict=False):
            if _NUMBER_WORD.fullmatch(first) and _PLAIN_WORD.fullmatch(second) and _PLAIN_WORD.fullmatch(third):
                lexemes.append(f"fnum{first}{second}{third}")
    return list(dict.fromkeys(lexemes))


def _fts5(terms: list[str]) -> str:
    """Terms as an FTS5 query: each a quoted phrase, all required."""
    return " AND ".join('"' + term.replace('"', " ") + '"' for term in terms)


class TextQuery:
    """The conditions for one query string; empty when the query holds no words."""

    def __init__(self, query: str):
        accented, folded = query_terms(query)
        self.folded = folded
        # Typed with accents: the accented tier asks for every term as typed (lower case).
        self.accented = accented if any(fold(term) != term for term in accented) else []

    def __bool__(self) -> bool:
        return bool(self.folded)

    def words(self) -> list[str]:
        """The distinct folded words of all terms (a phrase's words too)."""
        return list(dict.fromkeys(word for term in self.folded for word in term.split()))

    def body(self, *, walk: bool = False) -> Q:
        """Anywhere in the document (head or body). `walk`: written for reading documents in the order of an
        index (newest first), each tested against the set of matches, rather than looking up every match.

        PostgreSQL: a phrase that holds a number ("05 nq tu") also asks for the number's lexeme (cited_numbers), so
        that the index gives only the documents that cite it and the phrase is checked on those."""
        if _is_postgres() and (numbers := cited_numbers(self.folded)):
            lexemes = SearchQuery(" & ".join(f"'{lexeme}'" for lexeme in numbers), config="simple", search_type="raw")
            return Q(search_vector=_words(self.folded) & lexemes)
        return self._match("search_vector", "documents_fts", self.folded, walk)

    def head(self, accented: bool = False, *, walk: bool = False) -> Q:
        """In the number, type, title or issuer; with `accented`, with the accents as typed."""
        return self._match("title_vector", "documents_head_fts", self.accented if accented else self.folded, walk)

    def head_set(self, accented: bool = False, within: Q | None = None) -> Q:
        """The same as head(), written as membership of the set of head matches: cheap to test on each of a few
        rows, where testing each row's title_vector would fetch it from TOAST (PostgreSQL hashes the set once).
        `within`: a condition that every row tested already meets (the filters as lexemes of search_vector); the set
        is then only the head matches that meet it too, and PostgreSQL reads no other document for it (a BitmapAnd
        of the two GIN indexes: "cán bộ" stands in 4,945 titles, 240 of them resolutions of 2015–2020)."""
        if not _is_postgres():
            return self.head(accented)  # already a set: the rowids FTS5 matches
        from tuyengiao.documents.models import Document

        heads = Document.objects.filter(self.head(accented))
        return Q(pk__in=(heads.filter(within) if within is not None else heads).values("pk"))

    def _match(self, vector: str, fts_table: str, terms: list[str], walk: bool) -> Q:
        """PostgreSQL: the terms in `vector`; SQLite: in the FTS5 table `fts_table` (the whole document, or the head
        alone: migration 0010)."""
        if _is_postgres():  # its planner weighs both ways itself
            return Q(**{vector: _words(terms)})
        sql = f"SELECT rowid FROM {fts_table} WHERE {fts_table} MATCH %s"  # noqa: S608
        if walk:
            # "+id" is no longer the rowid to SQLite's planner: it reads in the order of the query's index and
            # tests each document against the matches, which it gathers once.
            sql = f"+documents_document.id IN ({sql})"
            return Q(RawSQL(sql, [_fts5(terms)], output_field=BooleanField()))  # noqa: S611
        return Q(id__in=RawSQL(sql, [_fts5(terms)]))  # noqa: S611


def sampled_share(
    text_query: TextQuery, matches, documents, rows: int, total: int, parts=()
) -> list[float | None] | None:
    """The share of `documents` (`total` of them) that are `matches`, in a sample of about `rows` documents; then
    the share that each of `parts` (querysets of the documents) is, from the same sample on PostgreSQL, None on
    SQLite. None when there is nothing to sample.

    PostgreSQL samples rows of the documents (TABLESAMPLE BERNOULLI, REPEATABLE: the same rows for every count and
    each time). SQLite counts FTS5's matches of the words in SAMPLE_RANGES ranges of ids spread over the table
    (FTS5 seeks each range in the words' lists and reads no more of them), so the filters are taken as
    independent of the words.
    """
    if _is_postgres():
        percent = min(100.0, 100.0 * rows / total)
        sample = f'FROM "documents_document" TABLESAMPLE BERNOULLI ({percent:.4f}) REPEATABLE (0)'
        counts, params = [], []
        for queryset in (documents, matches, *parts):  # the outer FROM comes first in the ORM's SQL
            sql, part_params = queryset.order_by().values("id").query.sql_with_params()
            sampled_sql = sql.replace('FROM "documents_document"', sample, 1)
            counts.append(f"(SELECT count(*) FROM ({sampled_sql}) s)")  # noqa: S608
            params += part_params
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT {', '.join(counts)}", params)
            sampled, *matched = cursor.fetchone()
        return [count / sampled for count in matched] if sampled else None
    with connection.cursor() as cursor:
        cursor.execute("SELECT min(id), max(id) FROM documents_document")
        first, last = cursor.fetchone()
    count = _documents_indexed()
    if not count or first is None:
        return None
    width = max(1, round(rows / SAMPLE_RANGES * (last - first + 1) / count))
    step = max(width, (last - first + 1) // SAMPLE_RANGES)
    ranges = [(start, start + width - 1) for start in range(first, last + 1, step)][:SAMPLE_RANGES]
    within = " + ".join("(SELECT count(*) FROM documents_document WHERE id BETWEEN %s AND %s)" for _ in ranges)
    matching = " + ".join(
        "(SELECT count(*) FROM documents_fts WHERE documents_fts MATCH %s AND rowid BETWEEN %s AND %s)" for _ in ranges
    )
    expression = _fts5(text_query.folded)
    params = [bound for pair in ranges for bound in pair]
    params += [value for low, high in ranges for value in (expression, low, high)]
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {within}, {matching}", params)
        sampled, matched = cursor.fetchone()
    return [matched / sampled, *(None for _ in parts)] if sampled else None


SAMPLE_RANGES = 20  # ranges of document ids that SQLite samples (sampled_share)
STATISTICS_SECONDS = 300  # how long a process keeps PostgreSQL's statistics of the words (ANALYZE renews them)
COUNTS_SECONDS = 600  # how long counts of words and documents (SQLite, _vocabulary_counts) and words found together
# (PostgreSQL, any_match) are cached
_statistics: dict = {}


class WordCounts(NamedTuple):
    """How many documents hold each word (`counts`), how many documents are indexed (`total`; SQLite: 0 when a
    word stands in none), and the words that the statistics do not know (`unknown`: PostgreSQL's, counted as often
    as the rarest word they know)."""

    counts: dict[str, int]
    total: int
    unknown: tuple[str, ...] = ()


def word_counts(words: list[str]) -> WordCounts | None:
    """How many documents hold each of `words`, and how many documents are indexed, from the index's statistics:
    no document is read. None when there are none yet.

    SQLite: FTS5's vocabulary (migration 0006), exact. PostgreSQL: the planner's statistics of search_vector
    (the most common lexemes and their frequencies, kept by ANALYZE); a word not among them counts as often as the
    rarest of them, an upper bound.
    """
    if not words:
        return None
    if not _is_postgres():
        counts = _vocabulary_counts(words)
        # A word in no document answers the search at once (any_match): the documents are not counted for it.
        return WordCounts(counts, _documents_indexed() if min(counts.values()) else 0)
    database = connection.settings_dict["NAME"]
    statistics = _statistics.get(database)
    if statistics is None or statistics[0] < time.monotonic():
        statistics = (time.monotonic() + STATISTICS_SECONDS, _lexeme_frequencies())
        _statistics[database] = statistics
    frequencies, rarest, rows = statistics[1]
    if not rows:
        return None
    counts = {word: round(frequencies.get(word, rarest) * rows) for word in words}
    return WordCounts(counts, rows, tuple(word for word in words if word not in frequencies))


def any_match(statistics: WordCounts) -> bool:
    """Whether the words that word_counts counted may stand together in some document: a word that no document
    holds (a typo, "xyzzy") is then answered before a search is built. False is exact; True is safe (the search
    then finds what there is).

    SQLite counts each word exactly. PostgreSQL knows the common words from its statistics; the others are looked
    up together in the GIN index. The lookup is a materialised CTE, planned for all its rows as the search itself
    is (through the index, for words too rare to be in the statistics), and read no further than its first row: as
    an EXISTS, the planner would rather scan the table for the first match it expects soon.

    A True is kept (COUNTS_SECONDS) under the words alone: it may outlive the documents that gave it, and stays safe,
    so the next ask of the same rare words ("dinh thự họ Vương") does not look them up again, nor read the store's
    version for that. A False is never kept: it is exact only as long as no document holds the words."""
    if not _is_postgres():
        return min(statistics.counts.values()) > 0
    if not statistics.unknown:
        return True
    words = " ".join(statistics.unknown)
    key = "documents:together:" + hashlib.sha256(words.encode()).hexdigest()
    if cache.get(key):
        return True
    with connection.cursor() as cursor:
        cursor.execute(
            "WITH m AS MATERIALIZED (SELECT 1 FROM documents_document WHERE search_vector @@ "
            "plainto_tsquery('simple', %s)) SELECT EXISTS (SELECT 1 FROM m)",
            [words],
        )
        together = cursor.fetchone()[0]
    if together:
        cache.set(key, True, COUNTS_SECONDS)
    return together


def statistics_forget() -> None:
    """Read PostgreSQL's statistics of the words again at the next search (they are kept STATISTICS_SECONDS)."""
    _statistics.clear()


def _lexeme_frequencies() -> tuple[dict[str, float], float, int]:
    """PostgreSQL: (share of documents holding each of the most common lexemes, the smallest such share, how
    many documents the table holds), as of the last ANALYZE."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT s.most_common_elems::text::text[], s.most_common_elem_freqs, c.reltuples::bigint "
            "FROM pg_class c LEFT JOIN pg_stats s ON s.schemaname = current_schema() "
            "AND s.tablename = 'documents_document' AND s.attname = 'search_vector' "
            "WHERE c.oid = 'documents_document'::regclass"
        )
        row = cursor.fetchone()
    if row is None or not row[0] or row[2] <= 0:
        return {}, 0.0, 0
    lexemes, shares, rows = row
    # The shares are followed by their minimum, their maximum and the share of empty vectors.
    return dict(zip(lexemes, shares, strict=False)), shares[len(lexemes)], rows


def _vocabulary_counts(words: list[str]) -> dict[str, int]:
    """SQLite: how many documents hold each word. FTS5 counts them by reading the word's list of documents: a few
    milliseconds for a word in nearly every one, so a count is kept (COUNTS_SECONDS).

    The count of a word that some document holds is kept through document changes, as PostgreSQL's statistics are
    kept until its next ANALYZE: it only steers a search (read its matches at once, or estimate them), and a change
    moves it by a document or a few. A word that no document holds is not kept: that zero answers a search with no
    read (any_match), and a new document may hold it. Counting it again is one lookup in the vocabulary, cheaper
    than reading the store's version to keep it by: a search of a typo then reads nothing else (0.11 against 0.19 ms
    after a change, among 100,000 documents, on 2026-12-07)."""
    keys = {word: f"documents:word-count:{hashlib.blake2s(word.encode(), digest_size=8).hexdigest()}" for word in words}
    kept = cache.get_many(keys.values())
    counts = {word: kept[key] for word, key in keys.items() if key in kept}
    missing = [word for word in keys if word not in counts]
    if missing:
        marks = ", ".join(["%s"] * len(missing))
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT term, doc FROM documents_fts_terms WHERE term IN ({marks})", missing)  # noqa: S608
            found = dict(cursor.fetchall())
        counted = {word: found.get(word, 0) for word in missing}
        if found:
            cache.set_many({keys[word]: count for word, count in found.items()}, COUNTS_SECONDS)
        counts.update(counted)
    return {word: counts[word] for word in words}


def _documents_indexed() -> int:
    """SQLite: how many documents there are. It only steers a search, as the words' counts do (_vocabulary_counts),
    and is kept through changes as they are (COUNTS_SECONDS): counting them again after every change took 0.9 of the
    9 ms of the first search of "Lũng Cú" after a change, among 100,000 documents (on 2026-12-07). A count of nought is
    not kept, so that the first documents of an empty store are counted at once."""
    from tuyengiao.documents.models import Document

    count = cache.get("documents:indexed")
    if count is None:
        count = Document.objects.count()
        if count:
            cache.set("documents:indexed", count, COUNTS_SECONDS)
    return count
