"""Reads of the library: what a reader may see, the search across all books and inside one, where a reader
stopped, the bulletin by year.

The search matches folded words (core.text.fold) page by page: PostgreSQL through the pages' GIN-indexed
tsvector, SQLite through the FTS5 table `library_fts` (migration 0002). Books come ordered by how many of
their pages match (a book whose title matches first), each with its first matching pages and an excerpt.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.db import connection
from django.db.models import BooleanField, Count, F, Q, QuerySet, Sum, Window
from django.db.models.expressions import RawSQL
from django.db.models.functions import RowNumber, TruncMonth
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import mark_safe

from tuyengiao.accounts.permissions import units_for
from tuyengiao.core.search import highlight, query_terms
from tuyengiao.core.text import search_text
from tuyengiao.library.models import Book, BookPage, BookReadDay, Collection, ReadingPosition

MANAGE = "library.change_book"
PAGES_PER_BOOK = 3
INSIDE_MAX_HITS = 1000


def books_visible(user, *, published: bool = True) -> QuerySet[Book]:
    """Published books `user` may read: public ones, and internal ones too for signed-in users (cadres)."""
    books = Book.objects.all()
    if published:
        books = books.filter(status=Book.Status.PUBLISHED)
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return books.filter(access=Book.Access.PUBLIC)
    return books


def book_for(user, pk: int) -> Book | None:
    return books_visible(user).select_related("collection").filter(pk=pk).first()


def books_managed(user) -> QuerySet[Book]:
    """Books `user` may change in the admin: those of the units where the user manages the library."""
    books = Book.objects.select_related("collection", "scan", "unit")
    if user.is_superuser:
        return books
    units = units_for(user, MANAGE)
    allowed = Q(unit__in=units.values("id"))
    if units.filter(parent__isnull=True).exists():
        allowed |= Q(unit__isnull=True)
    return books.filter(allowed)


def readings_by_month(user, *, months: int = 12) -> tuple[list[datetime.date], list[dict]]:
    """Readings of the books `user` manages, per calendar month over the last `months` months (oldest first):
    (months, [{"book", "counts": [n per month], "total"}]) with the most read books first."""
    today = timezone.localdate()
    first = today.replace(day=1)
    starts = [first]
    for _ in range(months - 1):
        starts.insert(0, (starts[0] - datetime.timedelta(days=1)).replace(day=1))
    rows = (
        BookReadDay.objects.filter(book__in=books_managed(user).values("pk"), day__gte=starts[0])
        .annotate(month=TruncMonth("day"))
        .values("book_id", "month")
        .annotate(count=Sum("count"))
    )
    counts: dict[int, dict] = defaultdict(dict)
    for row in rows:
        counts[row["book_id"]][row["month"]] = row["count"]
    books = Book.objects.in_bulk(list(counts))
    table = [
        {
            "book": books[pk],
            "counts": [by_month.get(start, 0) for start in starts],
            "total": sum(by_month.values()),
        }
        for pk, by_month in counts.items()
    ]
    table.sort(key=lambda row: (-row["total"], row["book"].title))
    return starts, table


def book_state(book: Book) -> tuple[str, str]:
    """(status, message) as staff should see it: a book whose digitisation failed is failed too."""
    scan = book.scan
    if book.status == Book.Status.PROCESSING and scan.status == scan.Status.FAILED:
        return Book.Status.FAILED.value, scan.error
    return book.status, book.error


def books_list(user, *, collection: Collection | None = None, kind: str = Book.Kind.BOOK, query: str = ""):
    books = books_visible(user).filter(kind=kind).select_related("collection")
    if collection is not None:
        books = books.filter(collection=collection)
    for word in search_text(query or "").split()[:10]:
        books = books.filter(search_head__contains=f" {word} ")  # whole words (services.search_head)
    return books.order_by("collection__order", "collection__name", "-year", "title")


def collections_with_books(user) -> list[tuple[Collection, list[Book]]]:
    books = list(books_list(user))
    by_collection: dict[int | None, list[Book]] = defaultdict(list)
    for book in books:
        by_collection[book.collection_id].append(book)
    shelves = [(collection, by_collection[collection.pk]) for collection in Collection.objects.all()]
    shelves = [(collection, items) for collection, items in shelves if items]
    if by_collection.get(None):
        shelves.append((None, by_collection[None]))
    return shelves


def bulletins_by_year(user) -> list[tuple[int | None, list[Book]]]:
    issues = books_visible(user).filter(kind=Book.Kind.BULLETIN).order_by("-year", "-issue_number", "-pk")
    years: dict[int | None, list[Book]] = defaultdict(list)
    for issue in issues:
        years[issue.year].append(issue)
    return list(years.items())


def continue_reading(user, limit: int = 6) -> list[tuple[Book, int]]:
    """The books a signed-in reader was reading, most recent first, with the page to go back to."""
    if not getattr(user, "is_authenticated", False):
        return []
    visible = books_visible(user).values("pk")
    positions = (
        ReadingPosition.objects.filter(user=user, book__in=visible)
        .select_related("book")
        .order_by("-updated_at")[:limit]
    )
    return [(position.book, position.page) for position in positions]


def reading_position(user, book: Book) -> int | None:
    if not getattr(user, "is_authenticated", False):
        return None
    return ReadingPosition.objects.filter(user=user, book=book).values_list("page", flat=True).first()


# -- search ---------------------------------------------------------------------------------------------------


@dataclass
class PageHit:
    number: int
    snippet: list  # (piece, is_match) pairs, see core.search.highlight

    @property
    def snippet_html(self) -> str:
        html = "".join(f"<mark>{escape(piece)}</mark>" if hit else escape(piece) for piece, hit in self.snippet)
        return mark_safe(html)  # noqa: S308 (every piece is escaped)

    @property
    def snippet_text(self) -> str:
        return "".join(piece for piece, _hit in self.snippet)


@dataclass
class BookHit:
    book: Book
    pages_count: int
    title_match: bool = False
    pages: list[PageHit] = field(default_factory=list)


@dataclass
class LibrarySearch:
    query: str
    books: list[BookHit]
    books_count: int
    pages_count: int


def _pages_matching(terms: list[str], books: QuerySet[Book]) -> QuerySet[BookPage]:
    """Pages of `books` holding every term (folded words or phrases)."""
    pages = BookPage.objects.filter(book__in=books.values("pk"))
    if connection.vendor == "postgresql":
        sql = "library_bookpage.search_vector @@ websearch_to_tsquery('simple', %s)"
        query = " ".join(f'"{term}"' if " " in term else term for term in terms)
        return pages.filter(Q(RawSQL(sql, [query], output_field=BooleanField())))  # noqa: S611 (bound parameter)
    expression = " AND ".join('"' + term.replace('"', " ") + '"' for term in terms)
    sql = "SELECT rowid FROM library_fts WHERE library_fts MATCH %s"
    return pages.filter(id__in=RawSQL(sql, [expression]))  # noqa: S611 (bound parameter)


def _snippets(page_ids: list[int], query: str) -> dict[int, list]:
    rows = BookPage.objects.filter(pk__in=page_ids).values_list("pk", "text", "folded_text")
    return {pk: highlight(text, query, width=200, folded_text=folded) for pk, text, folded in rows}


def library_search(user, query: str, *, page: int = 1, per_page: int = 10) -> LibrarySearch:
    """Books and the pages where the query stands: books whose title (authors, subjects) holds the words first,
    then those with the most matching pages; each with its first matching pages and an excerpt."""
    _accented, terms = query_terms(query)
    if not terms:
        return LibrarySearch(query=query, books=[], books_count=0, pages_count=0)
    visible = books_visible(user)
    pages = _pages_matching(terms, visible)
    per_book = dict(pages.order_by().values_list("book_id").annotate(count=Count("id")))
    title_words = search_text(" ".join(terms)).split()
    title_books = set(
        visible.filter(*[Q(search_head__contains=f" {word} ") for word in title_words]).values_list("pk", flat=True)
    )
    ranked = sorted(set(per_book) | title_books, key=lambda pk: (pk not in title_books, -per_book.get(pk, 0), pk))
    start = (max(1, page) - 1) * per_page
    shown = ranked[start : start + per_page]
    first_pages: dict[int, list[tuple[int, int]]] = defaultdict(list)
    numbered = pages.filter(book_id__in=shown).annotate(
        rank=Window(RowNumber(), partition_by=F("book_id"), order_by=F("number").asc())
    )
    for pk, book_id, number in numbered.filter(rank__lte=PAGES_PER_BOOK).values_list("pk", "book_id", "number"):
        first_pages[book_id].append((pk, number))  # one query for the first pages of every book shown
    for found in first_pages.values():
        found.sort(key=lambda item: item[1])
    snippets = _snippets([pk for found in first_pages.values() for pk, _number in found], query)
    books = {book.pk: book for book in visible.filter(pk__in=shown).select_related("collection")}
    hits = [
        BookHit(
            book=books[pk],
            pages_count=per_book.get(pk, 0),
            title_match=pk in title_books,
            pages=[PageHit(number=number, snippet=snippets.get(page_pk, [])) for page_pk, number in first_pages[pk]],
        )
        for pk in shown
        if pk in books
    ]
    return LibrarySearch(query=query, books=hits, books_count=len(ranked), pages_count=sum(per_book.values()))


def book_search_inside(book: Book, query: str) -> list[PageHit]:
    """Every page of the book where the query stands (at most INSIDE_MAX_HITS), with an excerpt."""
    _accented, terms = query_terms(query)
    if not terms:
        return []
    matches = list(
        _pages_matching(terms, Book.objects.filter(pk=book.pk))
        .order_by("number")
        .values_list("pk", "number")[:INSIDE_MAX_HITS]
    )
    snippets = _snippets([pk for pk, _number in matches], query)
    return [PageHit(number=number, snippet=snippets.get(pk, [])) for pk, number in matches]


def book_page_for(user, book_pk: int, number: int) -> BookPage | None:
    book = book_for(user, book_pk)
    if book is None:
        return None
    return BookPage.objects.filter(book=book, number=number).first()
