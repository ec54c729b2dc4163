"""Reads of the documents store. Every read starts from `documents_visible(user)`: a restricted document
never reaches anyone without access, in results, facets, counts, feeds, the API or the sitemap."""

import datetime
import functools
import hashlib
import heapq
import json
import math
import re
import time
from collections import Counter
from collections.abc import Callable
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from operator import itemgetter

from django.conf import settings
from django.contrib.postgres.search import SearchQuery
from django.core.cache import cache
from django.db import connection, connections, transaction
from django.db.models import BooleanField, Case, CharField, F, IntegerField, Q, QuerySet, Value, When
from django.db.models.expressions import RawSQL
from django.db.models.functions import Cast, ExtractYear, Substr

from tuyengiao.accounts.permissions import units_for
from tuyengiao.core.docnumbers import (
    DocumentNumber,
    DocumentNumberError,
    document_number_parse,
    document_number_spaced,
)
from tuyengiao.core.search import excerpt_match, highlight
from tuyengiao.core.text import fold
from tuyengiao.documents.models import (
    NEWEST_FIRST,
    Access,
    Document,
    DocumentFile,
    DocumentType,
    FacetTally,
    Relation,
    StoreChange,
)
from tuyengiao.documents.search import (
    COUNTS_SECONDS,
    TextQuery,
    WordCounts,
    any_match,
    sampled_share,
    word_counts,
)
from tuyengiao.orgs.selectors import unit_governing_ids

PER_PAGE = 20
FACET_CACHE_SECONDS = 600
SAMPLE_ROWS = 1_000  # documents sampled to estimate how many match a query that matches too many to count
SAMPLE_DRIFT = 0.1  # a kept sample is taken again once the documents it was taken among grow or shrink by this share
RARE_SHARE = 0.02  # words in at most this share of documents are read at once, with no estimate first
BITMAP_UP_TO = 10_000  # matches read through the GIN index and sorted, rather than by walking the date index
COMPACT_UP_TO = 5_000  # matches read once as narrow rows, then counted, faceted and ordered here
COMPACT_UP_TO_SQLITE = 20_000  # the same on SQLite, where the narrow rows come from an index (migration 0006)
# A tier holding `size` of the `total` documents the filters leave is read by walking the date index when that walk,
# which tests about (offset + want) × total / size documents, costs no more than reading the tier's `size` matches
# from the GIN index; WALK_COST is what testing one document costs against reading one match (_page_of_tiers).
WALK_COST = 1.0
# The facets, and the columns of the narrow rows (_narrow_query) that PostgreSQL groups them by (_grouped_sql).
FACET_COLUMNS = {"type": "type_id", "level": "level", "status": "status", "issuer": "issuer_id", "year": "year"}
YEAR_FIRST, MAX_YEARS = 1930, 40  # a year filter stands in the index as one lexeme per year
LISTED = ("id", "number", "type", "title", "issuer", "issued_on", "level", "status", "access")  # a listing shows
TEXTS = ("full_text", "folded_text", "page_map")  # what excerpts are made from


# Each mark is taken below 2³¹ (models.store_mark makes them so; a row written otherwise must not overflow the sum).
_VERSION_SQL = (
    "SELECT count(*), CAST(coalesce(sum(mark % 2147483648), 0) AS BIGINT), "  # noqa: S608
    "count(CASE WHEN lists THEN 1 END), CAST(coalesce(sum(CASE WHEN lists THEN mark % 2147483648 END), 0) AS BIGINT) "
    f"FROM {StoreChange._meta.db_table}"
)
_version_read: ContextVar[list | None] = ContextVar("documents_version_read", default=None)


def _version_once(function):
    """`function` (a search) reads the store's version once, however many cached parts it looks up."""

    @functools.wraps(function)
    def once(*args, **kwargs):
        token = _version_read.set([])
        try:
            return function(*args, **kwargs)
        finally:
            _version_read.reset(token)

    return once


def documents_visible(user) -> QuerySet:
    """The documents `user` may read: public ones; for signed-in cadres also theirs, those for cadres, and
    those for named units that hold the user's unit; all documents of units where they manage documents."""
    documents = Document.objects.all()
    access = _access_read(user)
    if access is not None:
        return documents.filter(access__in=access) if access else documents
    allowed = Q(access__in=[Access.PUBLIC, Access.CADRES])
    if user.unit_id:
        reader_units = unit_governing_ids(user.unit)
        allowed |= Q(
            access=Access.UNITS,
            id__in=Document.access_units.through.objects.filter(unit_id__in=reader_units).values("document_id"),
        )
    managed = units_for(user, "documents.view_document")
    allowed |= Q(unit__in=managed.values("id"))
    return documents.filter(allowed)


def _access_read(user) -> tuple[str, ...] | None:
    """What `user` may read when that is a matter of access alone: the access values ((): every document), or None
    when it also depends on their unit (documents_visible)."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return (Access.PUBLIC,)
    return () if user.is_superuser else None


def document_for(user, pk: int) -> Document | None:
    return (
        documents_visible(user)
        .select_related("type", "issuer", "unit")
        .prefetch_related("fields", "files__scan")
        .filter(pk=pk)
        .first()
    )


def document_relations(user, document: Document) -> list[tuple[str, list[Document]]]:
    """Relations by type, read both ways ("replaces" from the source, "replaced by" from the target),
    only to documents the user may read."""
    from tuyengiao.documents.models import INVERSE_LABELS, RelationKind

    visible = documents_visible(user).values("id")
    groups: dict[str, list[Document]] = {}
    outgoing = Relation.objects.filter(source=document, target__in=visible).select_related("target__type")
    for relation in outgoing.order_by("kind", F("target__issued_on").desc(nulls_last=True)):
        groups.setdefault(str(RelationKind(relation.kind).label), []).append(relation.target)
    incoming = Relation.objects.filter(target=document, source__in=visible).select_related("source__type")
    for relation in incoming.order_by("kind", F("source__issued_on").desc(nulls_last=True)):
        groups.setdefault(str(INVERSE_LABELS[relation.kind]), []).append(relation.source)
    return list(groups.items())


_DIGIT = re.compile(r"\d")
_TYPED_NUMBER = re.compile(r"^\s*(?P<type>[^\d]+?)\s+(?:so\s+)?(?P<number>\d{1,5})\s*$")


def typed_number(query: str) -> DocumentNumber | None:
    """The document number that the whole query is, in any loose form ("19/CT-TW", "So 19-CT/TW", in quotes too,
    "07 CT TW"), or None."""
    text = (query or "").strip().strip('"')
    if not _DIGIT.search(text):
        return None  # every number holds a digit; the parser would refuse it with a translated message, in vain
    try:
        return document_number_parse(text)
    except DocumentNumberError:
        return document_number_spaced(text, _type_codes)


def _type_codes() -> list[str]:
    """The codes of the document types ("CT", "QĐ")."""
    return [kind.code for kind in _lists()["type"].values() if kind.code]


def number_condition(query: str, number: DocumentNumber | None) -> Q | None:
    """The documents whose number is the query (`number`: typed_number(query)), or a type and a number ("chi thi
    19", "Nghị quyết 27"), as a condition on the documents table (indexed columns)."""
    if number is not None:
        return Q(number_key=str(number))
    query = (query or "").strip().strip('"')
    if match := _TYPED_NUMBER.match(fold(query)):
        types = [pk for pk, kind in _lists()["type"].items() if fold(kind.name) == match["type"].strip()]
        if types:
            return Q(type__in=types, number_int=int(match["number"]))
    return None


@dataclass
class Hit:
    document: Document
    title: list = field(default_factory=list)  # the title as (piece, is_match) pairs
    excerpt: list = field(default_factory=list)
    file_id: int | None = None
    page: int | None = None


@dataclass
class SearchResult:
    count: int
    hits: list[Hit]
    facets: dict
    page: int
    pages: int
    approximate: bool = False  # count and facets estimated: the query matches too many documents to count


def _filtered(documents: QuerySet, filters: dict, *, beside_text: bool = False) -> QuerySet:
    """The filters of a search. `beside_text` (PostgreSQL): written so that no index can serve them, for the
    planner would rather read the rows a date or type index gives and test each one's vector (fetching it
    from TOAST) than take the full-text index; the filters are then checked on the index's matches."""
    if beside_text and connection.vendor == "postgresql":

        def condition(column: str, operator: str, value) -> Q:
            sql = f"(documents_document.{column} + 0) {operator} %s"
            return Q(RawSQL(sql, [value], output_field=BooleanField()))  # noqa: S611
    else:

        def condition(column: str, operator: str, value) -> Q:
            lookup = {"=": "", ">=": "__gte", "<=": "__lte"}[operator]
            return Q(**{f"{column}{lookup}": value})

    if filters.get("type"):
        documents = documents.filter(condition("type_id", "=", int(filters["type"])))
    if filters.get("level"):
        documents = documents.filter(level=filters["level"])
    if filters.get("status"):
        documents = documents.filter(status=filters["status"])
    if filters.get("issuer"):
        documents = documents.filter(condition("issuer_id", "=", int(filters["issuer"])))
    if filters.get("field"):
        documents = documents.filter(fields=filters["field"])
    if filters.get("year_from"):
        documents = documents.filter(condition("issued_on", ">=", datetime.date(int(filters["year_from"]), 1, 1)))
    if filters.get("year_to"):
        documents = documents.filter(condition("issued_on", "<=", datetime.date(int(filters["year_to"]), 12, 31)))
    return documents


def _filter_lexemes(filters: dict) -> tuple[str, bool]:
    """The filters as a tsquery of the lexemes that documents_filter_vector() puts in search_vector, and whether
    it holds every filter given."""
    terms, complete = [], True
    for name, prefix in (("type", "ftype"), ("issuer", "fissuer"), ("level", "flevel"), ("status", "fstatus")):
        if filters.get(name):
            value = str(filters[name]).replace("_", "")
            if value.isalnum():
                terms.append(f"{prefix}{value}")
            else:
                complete = False
    year_from, year_to = filters.get("year_from"), filters.get("year_to")
    if year_from or year_to:
        first = int(year_from) if year_from else YEAR_FIRST
        last = int(year_to) if year_to else datetime.date.today().year + 1
        if not 0 <= last - first <= MAX_YEARS:
            complete = False  # a long span (or none: the end before the start) is left to the table's condition
        else:
            terms.append("(" + " | ".join(f"fyear{year}" for year in range(first, last + 1)) + ")")
    if filters.get("field"):
        complete = False
    return " & ".join(terms), complete


def _facets(documents: QuerySet, *, text: bool = False) -> dict:
    """Counts per type, level, status, issuer and year among `documents`, in one pass (_counted's form).

    PostgreSQL counts them with grouping sets; with a text condition it is told to read the matches through the
    GIN index: its planner does not count the cost of fetching each row's vector, and a full scan that tests every
    vector is many times slower than the index even when nearly every document matches. SQLite's narrow rows are
    counted here: a GROUP BY would read them from the wide table.
    """
    if connection.vendor != "postgresql":
        return _counted(_narrow_rows(documents))
    inner, params = _narrow_query(documents).query.sql_with_params()
    with _scans("index" if text else None), connection.cursor() as cursor:
        cursor.execute(_grouped_sql(f"({inner}) AS m"), params)
        groups = cursor.fetchone()[0]
    return _grouped_counts(groups)


def _grouped_sql(source: str, counted: str = "count(*)") -> str:
    """PostgreSQL: the facets of the narrow rows in `source` (_narrow_query), counted with grouping sets in one pass
    and given as one JSON array (_grouped_facets). `counted`: what each row counts for (FacetTally's rows: "sum(n)")."""
    columns = ", ".join(FACET_COLUMNS.values())
    groupings = ", ".join(f"GROUPING({column}) AS g_{column}" for column in FACET_COLUMNS.values())
    sets = ", ".join(f"({column})" for column in FACET_COLUMNS.values())
    return (
        f"SELECT json_agg(g) FROM (SELECT {columns}, {groupings}, {counted} AS n FROM {source} "  # noqa: S608
        f"GROUP BY GROUPING SETS ({sets}, ())) g"
    )


def _grouped_counts(groups: list[dict] | None) -> dict:
    """The counts (and the total) of _grouped_sql's groups, in _counted's form."""
    counts: dict[str, dict] = {name: {} for name in FACET_COLUMNS}
    total = 0
    for group in groups or []:
        grouped = [name for name, column in FACET_COLUMNS.items() if not group[f"g_{column}"]]
        if grouped:
            counts[grouped[0]][group[FACET_COLUMNS[grouped[0]]]] = group["n"]
        else:
            total = group["n"]
    return {"total": total, **counts}


def _labelled_facets(counts: dict) -> dict[str, list[tuple] | int]:
    """The facets as a search returns them, from counts in _counted's form: the total, and per facet
    [(value, label, count)]. Labels are put on here, not kept with the counts: a cached label is a lazy translation,
    and unpickling one builds its proxy class anew (1.7 ms for the seven of level and status)."""
    return {"total": counts["total"], **{name: _labelled(name, counts[name]) for name in FACET_COLUMNS}}


def _labelled(name: str, counts: dict) -> list[tuple]:
    """[(value, label, count)], largest first (years newest first), no empty values."""
    from tuyengiao.documents.models import Level, Status

    counts = {value: count for value, count in counts.items() if value not in (None, "")}
    if not counts:
        return []
    if name in ("type", "issuer"):
        named = _lists()[name]
        if any(value not in named for value in counts):  # made since the lists were read, and sent no signal
            named = _lists(fresh=True)[name]
        labels = {value: str(named[value]) for value in counts if value in named}
    elif name == "level":
        labels = dict(Level.choices)
    elif name == "status":
        labels = dict(Status.choices)
    else:
        labels = {value: str(value) for value in counts}
    items = [(value, labels.get(value, str(value)), count) for value, count in counts.items()]
    if name == "year":
        return sorted(items, key=lambda item: -int(item[0]))
    return sorted(items, key=lambda item: (-item[2], str(item[1])))


_LISTS: dict = {}  # this process's copy of _lists(), under the version it was read at: (read until, lists)


def _lists(*, fresh: bool = False) -> dict[str, dict]:
    """Every document type and issuer by id ({"type": …, "issuer": …}), read by each process once until a type
    or an issuer changes (lists_version; at most FACET_CACHE_SECONDS, for changes that send no signal): a few dozen
    rows that every search labels its facets and hits with. A change of a document leaves them: reading them again
    after each took about 1 of the 9 ms of the first search of "Lũng Cú" after a change (on 2026-12-07). `fresh`:
    read them now, for an id they lack."""
    from tuyengiao.documents.models import Issuer

    key = (connection.alias, connection.settings_dict["NAME"], lists_version())
    kept = _LISTS.get(key)
    if fresh or kept is None or kept[0] < time.monotonic():
        lists = {
            "type": {kind.pk: kind for kind in DocumentType.objects.all()},
            "issuer": {issuer.pk: issuer for issuer in Issuer.objects.all()},
        }
        kept = (time.monotonic() + FACET_CACHE_SECONDS, lists)
        _LISTS.clear()
        _LISTS[key] = kept
    return kept[1]


def _listing(documents: QuerySet) -> QuerySet:
    return documents.select_related("type", "issuer").defer(*TEXTS, "search_head", "search_vector", "title_vector")


def _matching(text_query: TextQuery, numbered: Q | None, *, walk: bool = False) -> Q:
    """The words anywhere in the document, or the number typed."""
    condition = text_query.body(walk=walk)
    return condition | numbered if numbered is not None else condition


def _tier_conditions(text_query: TextQuery, numbered: Q | None, *, walk: bool = False) -> list[Q]:
    """What puts a match in each tier but the last (the body): the number typed, the accents as typed in the
    head, the folded words in the head. `walk`: for reading newest first (TextQuery.body)."""
    conditions = [numbered] if numbered is not None else []
    if text_query:
        if text_query.accented:
            conditions.append(text_query.head(accented=True, walk=walk))
        conditions.append(text_query.head(walk=walk))
    return conditions


def _tier_rank(text_query: TextQuery, numbered: Q | None, *, within: Q | None = None):
    """The tier of each match as a rank to read on each of a few thousand rows (_compact): the number typed ranks
    highest, then the accents as typed in the head, then the folded words in the head; the body 0.

    The head is tested as membership of the set of its matches that meet `within` (TextQuery.head_set). The accents
    as typed stand only in heads that hold the folded words, so they are tested only on those rows, on the row's
    own title_vector (PostgreSQL): a second set would read the head index and the filters' lexemes once more
    ("cán bộ" among resolutions of 2015–2020: 240 rows tested instead of a set of 4.3 ms)."""
    whens = []
    if numbered is not None:
        whens.append(When(numbered, then=Value(3)))
    if text_query:
        head = Value(1)
        if text_query.accented:
            head = Case(When(text_query.head(accented=True), then=Value(2)), default=Value(1))
        whens.append(When(text_query.head_set(within=within), then=head))
    return Case(*whens, default=Value(0), output_field=IntegerField()) if whens else Value(0)


def _tiers(documents: QuerySet, text_query: TextQuery, numbered: Q | None) -> list[QuerySet]:
    """The result tiers, each newest first and not overlapping the ones before it; read in the order of the
    date index, each document tested against the tier's matches."""
    conditions = _tier_conditions(text_query, numbered, walk=True)
    if text_query:
        conditions.append(text_query.body(walk=True))
    tiers = []
    for index, condition in enumerate(conditions):
        tier = documents.filter(condition)
        for earlier in conditions[:index]:
            tier = tier.exclude(earlier)
        tiers.append(tier.order_by(*NEWEST_FIRST))
    return tiers


def _page_of_tiers(
    tiers: list[QuerySet], offset: int, limit: int, sizes: list[int | None] | None = None
) -> list[Document]:
    """Documents offset..offset+limit of the tiers read one after the other; a tier is counted only when
    the page lies beyond it.

    `sizes`: how many documents each tier holds, as a sample tells (PostgreSQL). A tier is read by walking the
    date index, each document tested, when that tests fewer documents than the tier holds; else its matches are
    read through the GIN index and sorted. The planner cannot tell: it takes the words of a phrase, or accented
    words in titles, for much rarer than they are ("thông tin cơ sở" in 5,000 titles, estimated 4)."""
    results: list[Document] = []
    total = sizes[-1] if sizes else None
    for index, tier in enumerate(tiers):
        if len(results) >= limit:
            break
        want = limit - len(results)
        size = sizes[index] if sizes and index < len(sizes) - 1 else None
        walk = size is not None and size * size >= WALK_COST * (offset + want) * total
        ids = None
        if offset:
            # A tier read from the GIN index gives its count and the page from one read of its matches.
            counted, ids = _tier_page(tier, offset, want) if size is not None and not walk else (tier.count(), None)
            if offset >= counted:
                offset -= counted
                continue
        if ids is None:
            with _scans(None if size is None else "walk" if walk else "bitmap"):
                ids = list(tier.values_list("id", flat=True)[offset : offset + want])
        results += _listed(ids)
        offset = 0
    return results


def _tier_page(tier: QuerySet, offset: int, want: int) -> tuple[int, list[int]]:
    """PostgreSQL: how many documents a tier holds, and the ids of its documents offset..offset+want (newest first,
    undated last), from one read of its matches through the GIN index: a materialised CTE of their ids and dates,
    counted and ordered in the same statement. Counting the tier, then reading the page, would read them twice."""
    inner, params = tier.order_by().values_list("id", "issued_on").query.sql_with_params()
    sql = (
        f"WITH t (id, day) AS MATERIALIZED ({inner}) SELECT (SELECT count(*) FROM t), "  # noqa: S608
        "ARRAY(SELECT id FROM t ORDER BY day DESC NULLS LAST, id DESC LIMIT %s OFFSET %s)"
    )
    with _scans("bitmap"), connection.cursor() as cursor:
        cursor.execute(sql, [*params, want, offset])
        return cursor.fetchone()


@_version_once
def document_search(
    user, query: str = "", *, filters: dict | None = None, sort: str = "relevance", page: int = 1, per_page=PER_PAGE
) -> SearchResult:
    """Search what `user` may read: one box (words, "phrases", numbers in any form) and filters.

    Relevance puts the number typed first, then matches in the head (with the accents as typed before
    folded ones), then matches in the text; each tier newest first. Facets count the whole result.
    """
    # An empty filter is no filter (the search form sends each one): dropped here, so that what is kept under the
    # filters is the same for the form and the API, and no part of the search takes an empty one for a filter.
    filters = {name: value for name, value in (filters or {}).items() if value}
    query = (query or "").replace("\x00", " ")  # PostgreSQL refuses NUL in text
    number = typed_number(query)
    text_query = TextQuery(query_for_text(query, number))
    numbered = number_condition(query, number)
    # How many documents hold each word, from the index's statistics (no document is read).
    statistics = word_counts(text_query.words()) if text_query and numbered is None else None
    if statistics is not None and not any_match(statistics):
        facets = {name: [] for name in FACET_COLUMNS}  # no document holds the words: nothing to read, for anyone
        return SearchResult(count=0, hits=[], facets=facets, page=1, pages=1)
    # The querysets are built where something is read with them: a search of few matches served from what is kept
    # builds none ("dinh thự họ Vương" so served among 100,000 documents: 1.1–1.3 against 1.5 ms on PostgreSQL,
    # "khen mong" 0.78 against 1.06 ms on SQLite, on 2026-12-07).
    visible = functools.cache(lambda: documents_visible(user))
    documents = functools.cache(lambda: _filtered(visible(), filters, beside_text=bool(text_query)))
    if numbered is not None and connection.vendor != "postgresql":
        # SQLite: as a set of ids, so that "words or number" is two index lookups (not a scan of the table), and
        # testing a row for it needs no column of the table (the narrow index of migration 0006 has none of them).
        numbered = Q(pk__in=Document.objects.filter(numbered).values("pk"))
    estimated = None  # what the planner estimates, when not the matches themselves
    in_index = None  # PostgreSQL: the filters as lexemes of search_vector
    if text_query:
        condition = _matching(text_query, numbered, walk=_walked(statistics, documents, user, filters))
        lexemes, complete = _filter_lexemes(filters) if connection.vendor == "postgresql" else ("", False)
        if lexemes:
            # The filters again, as the lexemes they stand as in the vector (migration 0005): the GIN index
            # intersects them with the words, and only the matching rows are read. The planner knows how often
            # each lexeme stands, not how selective the table conditions written for no index are.
            in_index = Q(search_vector=SearchQuery(lexemes, config="simple", search_type="raw"))
            matches = functools.cache(lambda: documents().filter(condition).filter(in_index))
            if complete:
                estimated = functools.cache(lambda: visible().filter(condition).filter(in_index))
        else:
            matches = functools.cache(lambda: documents().filter(condition))
    elif numbered is not None:
        matches = functools.cache(lambda: documents().filter(numbered))
    else:
        matches = documents
    approximate = False
    counted = estimated if estimated is not None else matches
    estimate, read_up_to, steered = _expected(text_query, numbered, statistics, counted, documents, user, filters)
    many = estimate is not None and estimate > settings.DOCUMENTS_EXACT_COUNT_UP_TO
    compact = None
    # The result tiers (querysets), built only where they are sampled or read.
    tiers = functools.cache(lambda: _tiers(documents(), text_query, numbered) if sort != "date" else [])
    sizes = None  # how many documents each tier holds, where a sample tells
    typed = fold(query).strip() if numbered is not None else ""
    if (text_query or numbered is not None) and not many and read_up_to:
        # The ids up to the page asked for; a page past the last one is the last one, among at most read_up_to.
        want = min(max(1, page), read_up_to // per_page + 1) * per_page

        def read_compact():
            rank = _tier_rank(text_query, numbered, within=in_index) if sort != "date" else Value(0)
            return _compact(matches(), rank, up_to=read_up_to, steered=steered, want=want)

        names = (sorted(filters.items()), text_query.folded, text_query.accented, typed, sort, want, read_up_to)
        compact = _kept_for_public(user, "documents:compact", names, read_compact)
        if compact is None and text_query:
            # More matches than foretold (the statistics are stale, or the words go together): estimate them now.
            estimate, sizes = _sampled_count(text_query, matches(), documents(), user, filters, tiers())
            many = estimate is not None and estimate > settings.DOCUMENTS_EXACT_COUNT_UP_TO
    elif many:
        sampled, sizes = _sampled_count(text_query, matches(), documents(), user, filters, tiers())
        estimate = sampled or estimate
    if compact is not None:
        facets, ordered = compact  # few matches: one read of their narrow rows gave the count, facets and order
    elif many:
        # Nearly every document matches ("nghị quyết đảng"): counting them is the slow part of a search, and
        # a reader needs only the order of magnitude. The count is that of a sample, and the facets those of the
        # documents the filters leave (cached until a document changes), scaled to it.
        facets, approximate = _facets_scaled(documents(), user, filters, estimate), True
    elif not text_query and numbered is None:
        facets = _facets_cached(documents(), user, filters)  # browsing with filters only: exact, cached
    else:
        # More matches than one read of narrow rows takes, and few enough to count (11,792 of "đảng viên" in force in
        # the province): counting them reads nearly every row of the table. The count is kept until a document
        # changes, as an estimate is, for the next page and the next reader who asks the same.
        names = (sorted(filters.items()), text_query.folded, typed)
        facets = _facets_kept(matches(), user, *names, text=bool(text_query))
    facets = _labelled_facets(facets)
    count = facets.pop("total")
    pages = max(1, -(-count // per_page))
    page = min(max(1, page), pages)
    offset = (page - 1) * per_page
    if compact is not None:
        hits = _hits_kept(user, ordered[offset : offset + per_page], query)
    else:
        # A few matches are read through the GIN index and sorted; walking the date index would test the vector
        # of nearly every row for them. Many matches are found at once by walking the date index (the planner's
        # pick).
        with _scans("bitmap" if text_query and not approximate and count <= BITMAP_UP_TO else None):
            if not count:
                found = []
            elif sort == "date" or not (text_query or numbered is not None):
                newest = matches()
                if text_query and connection.vendor != "postgresql":  # SQLite: walk the date index
                    newest = documents().filter(_matching(text_query, numbered, walk=True))
                newest = newest.order_by(*NEWEST_FIRST).values_list("id", flat=True)
                found = _listed(list(newest[offset : offset + per_page]))
            else:
                found = _page_of_tiers(tiers(), offset, per_page, sizes)
        hits = _hits(found, query)
    return SearchResult(count=count, hits=hits, facets=facets, page=page, pages=pages, approximate=approximate)


def _expected(
    text_query: TextQuery,
    numbered: Q | None,
    statistics: WordCounts | None,
    counted: Callable[[], QuerySet],
    documents: Callable[[], QuerySet],
    user,
    filters: dict,
) -> tuple[int | None, int, bool]:
    """What a search learns before it reads any match: an estimate of how many there are where they may be too
    many to count (else None); how many to read at once as narrow rows (0: too many for that); and whether that
    read must be steered to the full-text index.

    The words' `statistics` (search.word_counts; None with a number typed) tell first, without a query: words as
    rare as Lũng Cú are read at once. PostgreSQL otherwise asks its planner (`counted`: the matches, the filters as
    lexemes). SQLite estimates from its exact counts of each word, as independent words, among the documents the
    filters leave. `counted` and `documents` give their queryset when called, built only where it is read.
    """
    postgres = connection.vendor == "postgresql"
    up_to = COMPACT_UP_TO if postgres else COMPACT_UP_TO_SQLITE
    if not text_query:
        return None, (up_to if numbered is not None else 0), True
    if postgres:
        if statistics is not None:
            if min(statistics.counts.values()) <= min(up_to, statistics.total * RARE_SHARE):
                # So few that the planner itself reads them through the index: no estimate, no steering.
                return None, up_to, False
        estimate = _estimated_count(counted())
        return estimate, (up_to if estimate <= up_to else 0), True
    exact = settings.DOCUMENTS_EXACT_COUNT_UP_TO
    if statistics is not None:
        counts, total = statistics.counts, statistics.total
        if min(counts.values()) > exact and total:
            share = math.prod(count / total for count in counts.values())
            estimate = round(_facets_cached(documents(), user, filters)["total"] * share)
            if estimate > exact:
                return _about(estimate), 0, False
    return None, up_to, False


def _walked(statistics: WordCounts | None, documents: Callable[[], QuerySet], user, filters: dict) -> bool:
    """SQLite: whether the matches of words are read by walking the documents that the filters leave, each tested
    against the set of the words' matches (gathered once), rather than by looking each match up among them. So when
    the words stand in more documents than the filters leave: "đảng viên" stands in 99,928 of 100,000 documents,
    11,789 of them in force in the province; reading its matches that way took 45 ms, against 72 (on 2026-12-07).
    How many documents hold all the words is estimated from each word's count, as for independent words; words in at
    most RARE_SHARE of the documents are looked up, with no count of the documents the filters leave first; so are
    words in at most DOCUMENTS_EXACT_COUNT_UP_TO documents for a signed-in cadre, whose count of the documents the
    filters leave is read from the documents, not the tallies (_expected counts them past that anyway). `documents`
    gives the documents the filters leave when called."""
    if connection.vendor == "postgresql" or not filters or statistics is None or not statistics.total:
        return False  # with no filter, every document would be walked
    counts, total = statistics.counts, statistics.total
    fewest = min(counts.values())
    if fewest <= total * RARE_SHARE:
        return False
    if _access_read(user) is None and fewest <= settings.DOCUMENTS_EXACT_COUNT_UP_TO:
        return False
    together = total * math.prod(count / total for count in counts.values())
    return together > _facets_cached(documents(), user, filters)["total"]


def _kept_for_public(user, name: str, names: tuple, read):
    """What `read` gives, kept under `name` for every anonymous reader until a document changes (at most
    FACET_CACHE_SECONDS), under the `names` of the search: the order and facets of few matches (_compact; filters,
    terms, order, ids wanted) and their page of hits (_hits_kept). The next citizen to ask the same, as thousands do
    in the days before a contest on one resolution, and the next page, are served from it. A search engine's
    query-result cache (Solr's queryResultCache). "Too many for one read" (None) is kept too, so that the read is
    not tried again in vain.

    A signed-in reader's searches are not kept: what they may read changes with their unit and roles, which send
    no signal, and a kept list of ids would outlive that."""
    if getattr(user, "is_authenticated", False):
        return read()
    key = _scoped_key(name, user, *names)
    kept = cache.get(key, _NOT_KEPT)
    if kept is _NOT_KEPT:
        kept = read()
        cache.set(key, kept, FACET_CACHE_SECONDS)
    return kept


_NOT_KEPT = object()


def _compact(matches: QuerySet, rank, *, up_to: int, steered: bool, want: int) -> tuple[dict, list[int]] | None:
    """The facets of the matches and the ids of the first `want` of them in the order of the results (tier by tier,
    each newest first, undated last), from one read of their narrow rows; None when there are more than `up_to`.
    A row's tier is its `rank` (_tier_rank), cheap to test per row: columns, or membership of a set that the
    database reads once through its index. `steered`: read through bitmap (GIN) scans only (PostgreSQL).

    PostgreSQL counts the facets and picks the first `want` in the same statement, over the rows it read once; that
    saves carrying thousands of rows here (4,567 of "chuyen doi so" since 2020: 9.2 against 9.7 ms for the statement,
    and the 1.4 ms of counting and ordering them here). SQLite reads its narrow rows from an index, and they are
    counted and ordered here (_counted, _first_rows): asked to order them, it took twice as long to read them."""
    if connection.vendor == "postgresql":
        with _scans("bitmap" if steered else None):
            groups, ordered = _compact_counted(matches, rank, up_to=up_to, want=want)
        counts = _grouped_counts(groups)
        return None if counts["total"] > up_to else (counts, ordered)
    rows = _narrow_rows(matches, {"rank": rank}, limit=up_to + 1)
    if len(rows) > up_to:
        return None
    return _counted(rows), [row[0] for row in _first_rows(rows, want)]


def _compact_counted(matches: QuerySet, rank, *, up_to: int, want: int) -> tuple[list[dict] | None, list[int]]:
    """PostgreSQL's _compact: the narrow rows read once (a materialised CTE), then counted per facet with grouping
    sets (_grouped_sql) and the first `want` ids taken in order, in one statement."""
    narrow, params = _narrow_query(matches, {"rank": rank})[: up_to + 1].query.sql_with_params()
    sql = (
        f"WITH m AS MATERIALIZED ({narrow}) SELECT ({_grouped_sql('m')}), "  # noqa: S608
        "ARRAY(SELECT id FROM m ORDER BY rank DESC, day DESC NULLS LAST, id DESC LIMIT %s)"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, want])
        return cursor.fetchone()


def _first_rows(rows: list[tuple], want: int) -> list[tuple]:
    """The first `want` of narrow rows with their rank (_compact) in the order of the results: tier by tier, each
    newest first, undated last. Only those are put in order: a page is a few of thousands of matches."""
    if None in map(itemgetter(5), rows):
        rows = [row if row[5] is not None else (*row[:5], "", *row[6:]) for row in rows]  # SQLite: ISO text
    return heapq.nlargest(want, rows, key=itemgetter(7, 5, 0))


def _narrow_rows(documents: QuerySet, flags: dict | None = None, *, limit: int | None = None) -> list[tuple]:
    """(id, type_id, level, status, issuer_id, issue date, year, *flags) of each of `documents`, read as the
    database gives them: no converter runs on each of thousands of rows. SQLite gives the date as it stores it (ISO
    text), from the narrow indexes of migration 0006."""
    narrow = _narrow_query(documents, flags)
    sql, params = (narrow[:limit] if limit is not None else narrow).query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _narrow_query(documents: QuerySet, flags: dict | None = None) -> QuerySet:
    """The narrow rows of _narrow_rows, as a query: id, type_id, level, status, issuer_id, day, year, *flags."""
    flags = flags or {}
    if connection.vendor == "postgresql":
        day, year = F("issued_on"), Cast(ExtractYear("issued_on"), output_field=IntegerField())
    else:  # the date as stored, and its first four characters (Django's ExtractYear is a Python function there)
        day = Cast("issued_on", output_field=CharField())
        year = Cast(Substr(day, 1, 4), output_field=IntegerField())
    narrow = documents.order_by().annotate(day=day, year=year, **flags)
    return narrow.values_list("id", "type_id", "level", "status", "issuer_id", "day", "year", *flags)


def _counted(rows: list[tuple]) -> dict:
    """The counts per value of each facet (and the total) of narrow rows (_narrow_rows): {"total": n, "type":
    {type_id: n, …}, …}."""
    counts = {
        name: Counter(map(itemgetter(index), rows))
        for index, name in enumerate(("type", "level", "status", "issuer"), 1)
    }
    counts["year"] = Counter(map(itemgetter(6), rows))
    return {"total": len(rows), **counts}


def _listed(ids: list[int]) -> list[Document]:
    """The documents of `ids` in that order, with what a listing shows and their texts (for excerpts). One
    statement written here, not compiled by the ORM, and its rows made into documents the way the ORM makes them
    (Model.from_db, after the database's and the fields' converters), without a RawQuerySet: that took 1.1 of the
    1.9 ms of reading a page of 20 on SQLite (on 2026-12-02). Types and issuers come from _lists()."""
    if not ids:
        return []
    sql, names, converters = _listed_statement(connection.alias)
    with connection.cursor() as cursor:
        cursor.execute(sql % ", ".join(["%s"] * len(ids)), ids)
        rows = cursor.fetchall()
    by_id = {}
    for row in rows:
        values = list(row)
        for index, column, functions in converters:
            for convert in functions:
                values[index] = convert(values[index], column, connection)
        document = Document.from_db(connection.alias, names, values)
        by_id[document.pk] = document
    return _named([by_id[pk] for pk in ids if pk in by_id])


def _named(documents: list[Document]) -> list[Document]:
    """`documents` with their type and issuer as _lists() has them now (no statement)."""
    lists = _lists()
    kinds, issuers = lists["type"], lists["issuer"]
    type_field, issuer_field = Document._meta.get_field("type"), Document._meta.get_field("issuer")
    for document in documents:
        if (kind := kinds.get(document.type_id)) is not None:
            type_field.set_cached_value(document, kind)
        if (issuer := issuers.get(document.issuer_id)) is not None:
            issuer_field.set_cached_value(document, issuer)
    return documents


@functools.cache
def _listed_statement(alias: str) -> tuple[str, list[str], list[tuple]]:
    """_listed's statement (with "%s" where the marks of the ids go), the attnames of its columns, and the
    converters of each column that has any, as the ORM's compiler finds them for the database `alias`. The columns
    are in the model's order, which Model.from_db asks of a partial row."""
    database = connections[alias]
    quote, meta = database.ops.quote_name, Document._meta
    wanted = {*LISTED, *TEXTS}
    fields = [model_field for model_field in meta.concrete_fields if model_field.name in wanted]
    converters = []
    for index, model_field in enumerate(fields):
        column = model_field.get_col(meta.db_table)
        functions = database.ops.get_db_converters(column) + column.get_db_converters(database)
        if functions:
            converters.append((index, column, functions))
    columns = ", ".join(quote(model_field.column) for model_field in fields)
    sql = f"SELECT {columns} FROM {quote(meta.db_table)} WHERE {quote(meta.pk.column)} IN (%s)"  # noqa: S608
    return sql, [model_field.attname for model_field in fields], converters


_SCANS = {"bitmap": ("off", "on"), "walk": ("on", "off"), "index": ("on", "on")}  # enable_indexscan, _bitmapscan


@contextmanager
def _scans(scan: str | None):
    """On PostgreSQL, read the statements inside through bitmap (GIN) scans only ("bitmap"), by walking an index in
    its order ("walk"), or through any index ("index"); no table scan. None: as the planner picks. JIT is off
    inside: a statement that has to take a path switched off costs the planner ten billion, and it would spend 45 ms
    compiling it (a list of 13 issuers read in 62 ms)."""
    if scan is None or connection.vendor != "postgresql":
        yield
        return
    indexscan, bitmapscan = _SCANS[scan]
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "SELECT set_config('enable_indexscan', %s, true), set_config('enable_bitmapscan', %s, true), "
            "set_config('enable_seqscan', 'off', true), set_config('jit', 'off', true)",
            [indexscan, bitmapscan],
        )
        yield


def _estimated_count(matches: QuerySet) -> int | None:
    """PostgreSQL's estimate of how many rows the query returns (from its statistics; no rows are read)."""
    if connection.vendor != "postgresql":
        return None
    sql, params = matches.order_by().values("id").query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}", params)
        plan = cursor.fetchone()[0]
    if isinstance(plan, str):
        plan = json.loads(plan)
    return _about(int(plan[0]["Plan"]["Plan Rows"]))


def _sampled_count(
    text_query: TextQuery, matches: QuerySet, documents: QuerySet, user, filters: dict, tiers: list[QuerySet]
) -> tuple[int | None, list[int | None] | None]:
    """How many documents match, from a sample of about SAMPLE_ROWS documents (search.sampled_share): the share
    of the sample that matches, times how many documents the filters leave. The planner's estimate, and SQLite's
    from its word counts, take words as independent: a phrase or words that go together ("học tập và làm theo tư
    tưởng…") are then off by half or twice; the sample is right within a few percent.

    With it, from the same sample (PostgreSQL), how many documents each tier but the last holds, then how many
    the filters leave (_page_of_tiers); None on SQLite.

    The shares are kept through changes of documents (at most COUNTS_SECONDS), as the words' statistics are, and
    multiplied by how many documents the filters leave now: a change moves a share by a document in a hundred
    thousand, and sampling again took most of the first search of common words after every change (11 of the
    20 ms of "nghị quyết đảng" on SQLite, among 100,000 documents, on 2026-12-07). A change that moves how many
    documents the filters leave by more than SAMPLE_DRIFT (an import, a purge) samples again."""
    total = _facets_cached(documents, user, filters)["total"]
    if not total or not text_query:
        return None, None
    key = _scoped_key(
        "documents:sampled", user, text_query.folded, len(tiers), sorted(filters.items()), versioned=False
    )
    kept = cache.get(key)  # (how many documents the filters left, the shares)
    if kept is None or abs(total - kept[0]) > kept[0] * SAMPLE_DRIFT:
        kept = (total, sampled_share(text_query, matches, documents, SAMPLE_ROWS, total, tiers[:-1]))
        cache.set(key, kept, COUNTS_SECONDS)
    shares = kept[1]
    if not shares:
        return None, None
    sizes = None
    if None not in shares[1:]:
        sizes = [round(share * total) for share in shares[1:]] + [total]
    return _about(round(shares[0] * total)) or None, sizes


def _about(rows: int) -> int:
    """An estimate to two significant digits."""
    return round(rows, 2 - len(str(rows))) if rows >= 100 else rows


def documents_version() -> int:
    """The version of the documents store, which every committed change moves (models.StoreChange: how many changes
    are kept, and the sum of their marks): the keys of what searches keep in the cache carry it. Read from the
    database, where every process sees it as soon as a change commits, once per search (_version_once)."""
    return _versions()[0]


def lists_version() -> int:
    """The version of the lists of types and issuers (_lists), which only a change of a type or an issuer moves;
    read with documents_version."""
    return _versions()[1]


def _versions() -> tuple[int, int]:
    read = _version_read.get()
    if read:
        return read[0]
    with connection.cursor() as cursor:
        cursor.execute(_VERSION_SQL)
        rows, marks, list_rows, list_marks = cursor.fetchone()
    versions = ((rows << 48) + marks, (list_rows << 48) + list_marks)
    if read is not None:
        read.append(versions)
    return versions


def _facets_cached(documents: QuerySet, user, filters: dict) -> dict:
    """The counts of the documents the filters leave for this reader (_counted's form), kept until a document
    changes: from the tallies where they tell (_facets_tallied), else from the documents."""
    return _facets_kept(documents, user, sorted(filters.items()), tallied=lambda: _facets_tallied(user, filters))


def _facets_kept(matches: QuerySet, user, *names, text: bool = False, tallied=None) -> dict:
    """The counts (and the total) of `matches`, which `names` name, for this reader, kept until a document changes
    (at most FACET_CACHE_SECONDS), in _counted's form. `text`: `matches` are those of words (_facets). `tallied`:
    what gives the same counts faster, or None where it cannot."""
    key = _scoped_key("documents:counts", user, *names)
    facets = cache.get(key)
    if facets is None:
        facets = tallied() if tallied is not None else None
        if facets is None:
            facets = _facets(matches, text=text)
        cache.set(key, facets, FACET_CACHE_SECONDS)
    return facets


_TALLIED_FILTERS = {"type", "issuer", "level", "status", "year_from", "year_to"}  # what FacetTally's groups hold


def _facets_tallied(user, filters: dict) -> dict | None:
    """The counts of the documents that the filters leave for `user`, in _counted's form, summed from FacetTally's
    groups (a few thousand rows) instead of read from every document: 46 of the 75 ms of the first search of
    "nghị quyết đảng" after a change, among 100,000 documents on PostgreSQL (on 2026-12-07). None where the groups
    cannot tell: a signed-in reader who may read more than by access (their unit's documents), or a filter that
    the groups do not hold (a field, or any filter added to _filtered later). PostgreSQL sums the groups with
    grouping sets, SQLite with a GROUP BY per facet."""
    if set(filters) - _TALLIED_FILTERS:
        return None
    access = _access_read(user)  # as documents_visible reads it
    if access is None:
        return None
    tallies = FacetTally.objects.filter(access__in=access) if access else FacetTally.objects.all()
    if filters.get("type"):
        tallies = tallies.filter(type_id=int(filters["type"]))
    if filters.get("issuer"):
        tallies = tallies.filter(issuer_id=int(filters["issuer"]))
    for name in ("level", "status"):
        if filters.get(name):
            tallies = tallies.filter(**{name: filters[name]})
    if filters.get("year_from"):
        tallies = tallies.filter(year__gte=int(filters["year_from"]))
    if filters.get("year_to"):
        tallies = tallies.filter(year__lte=int(filters["year_to"]))
    inner, params = tallies.order_by().values_list(*FACET_COLUMNS.values(), "n").query.sql_with_params()
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(_grouped_sql(f"({inner}) AS t", "sum(n)"), params)
            counts = _grouped_counts(cursor.fetchone()[0])
        else:  # a GROUP BY per facet, one statement: a column of SQLite holds values of any type
            sums = [
                f"SELECT %s, {column}, sum(n) FROM ({inner}) GROUP BY {column}"  # noqa: S608
                for column in FACET_COLUMNS.values()
            ]
            sums.append(f"SELECT 'total', NULL, sum(n) FROM ({inner})")  # noqa: S608
            cursor.execute(
                " UNION ALL ".join(sums), [value for name in FACET_COLUMNS for value in (name, *params)] + list(params)
            )
            counts = {name: {} for name in FACET_COLUMNS}
            for name, value, n in cursor.fetchall():
                if name == "total":
                    counts["total"] = n
                else:
                    counts[name][value] = n
    # A group whose documents all left it sums to nought until it is folded.
    return {
        "total": counts["total"] or 0,
        **{name: {v: n for v, n in counts[name].items() if n} for name in FACET_COLUMNS},
    }


def _scoped_key(name: str, user, *parts, versioned: bool = True) -> str:
    """A cache key for what one reader (or every anonymous one) sees of the documents as they are now; not
    `versioned`: the same key through changes of the documents."""
    scope = f"u{user.pk}" if getattr(user, "is_authenticated", False) else "public"
    version = documents_version() if versioned else None
    return f"{name}:" + hashlib.sha256(repr((version, scope, *parts)).encode()).hexdigest()


def _facets_scaled(documents: QuerySet, user, filters: dict, estimate: int) -> dict:
    """The counts of the documents the filters leave, scaled to `estimate` (_counted's form)."""
    whole = _facets_cached(documents, user, filters)
    total = whole["total"] or 1
    scale = min(1.0, estimate / total)
    scaled = {"total": min(estimate, whole["total"])}
    for name in FACET_COLUMNS:
        scaled[name] = {value: max(1, round(count * scale)) for value, count in whole[name].items()}
    return scaled


def query_for_text(query: str, number: DocumentNumber | None) -> str:
    """The words to look for in the text: a query that is a document number (`number`: typed_number(query)) is
    looked for in its canonical form, as a phrase."""
    return f'"{number}"' if number is not None else query


def _hits(found: list[Document], query: str) -> list[Hit]:
    """Excerpts around the best match in each text (core.search.excerpt_match), with the file and page it stands
    on. `found` comes from _listed, with the texts read."""
    hits = []
    for document in found:
        full_text, folded_text, page_map = document.full_text, document.folded_text, document.page_map or []
        # The whole title: the excerpt starts a third of its width before the first match.
        hit = Hit(document=document, title=highlight(document.title, query, width=3 * (len(document.title) + 1)))
        position = excerpt_match(folded_text, query) if query else None
        if position is not None:
            hit.excerpt = highlight(full_text, query, folded_text=folded_text, first=position)
            hit.file_id, hit.page = _page_at(folded_text, position, page_map)
        elif full_text:  # the words stand only in the head: the opening of the text
            hit.excerpt = highlight(full_text, "", folded_text=folded_text)
        hits.append(hit)
    return hits


def _hits_kept(user, ids: list[int], query: str) -> list[Hit]:
    """The hits of the page of `ids` (_hits), kept for every anonymous reader until a document changes
    (_kept_for_public), beside the order and facets of the search: asked again, a search of few matches reads no
    document. Reading the page's texts and marking the words in them was most of such a search (on 2026-12-07, of
    "khen mong" among 100,000 documents on PostgreSQL: 4.6 and 1.4 of its 8.0 ms). Each document is kept without its
    texts; its type and issuer are named as they are now (_named)."""

    def read() -> list[Hit]:
        hits = _hits(_listed(ids), query)
        for hit in hits:
            _drop_texts(hit.document)
        return hits

    hits = _kept_for_public(user, "documents:hits", (query, ids), read) if ids else []
    _named([hit.document for hit in hits])
    return hits


def _drop_texts(document: Document) -> None:
    """`document` made fit to keep: its texts deferred (read again if ever asked for), no type or issuer. In place:
    a document read for a page of hits serves nothing else, and a copy of each took 0.2 of the 9 ms of the first
    search of "dinh thự họ Vương" on PostgreSQL (on 2026-12-07)."""
    for name in TEXTS:
        document.__dict__.pop(name, None)
    document._state.fields_cache = {}


def _page_at(folded_text: str, position: int, page_map: list) -> tuple[int | None, int | None]:
    """The file and page (1-based) where `position` of the joined text stands."""
    index = folded_text.count("\f", 0, position)
    for file_id, pages in page_map:
        if index < pages:
            return file_id, index + 1
        index -= pages
    return None, None


def documents_latest(user, *, level: str | None = None, issuer=None) -> QuerySet:
    documents = documents_visible(user)
    if level:
        documents = documents.filter(level=level)
    if issuer is not None:
        documents = documents.filter(issuer=issuer)
    return _listing(documents.order_by(*NEWEST_FIRST))


def document_file_for(user, document_pk: int, file_pk: int) -> DocumentFile | None:
    visible = documents_visible(user).filter(pk=document_pk)
    return DocumentFile.objects.select_related("scan", "document").filter(document__in=visible, pk=file_pk).first()
