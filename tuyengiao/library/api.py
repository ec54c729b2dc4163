from django.http import Http404
from ninja import Field, Path, Query, Router, Schema

from tuyengiao.api.main import NO_NUL, SLUG, ErrorOut, QueryParams
from tuyengiao.library.models import Book, Collection
from tuyengiao.library.selectors import book_for, books_list, bulletins_by_year, library_search

router = Router(tags=["library"])
PAGE_SIZE = 50


class BookSummary(Schema):
    id: int
    kind: str
    title: str
    authors: str
    publisher: str
    year: int | None
    issue_number: int | None
    collection: str | None
    pages: int
    url: str
    reader_url: str
    cover_url: str | None


class BookList(Schema):
    count: int
    results: list[BookSummary]


class TocEntry(Schema):
    title: str
    page: int
    level: int


class BookOut(BookSummary):
    description: str
    subjects: list[str]
    pdf_url: str
    epub_url: str | None
    toc: list[TocEntry]


class LibraryHit(Schema):
    book_id: int
    title: str
    page: int
    snippet: str = Field(description="Text around the match, matches in <mark>…</mark>.")
    url: str = Field(description="The reader at that page with the words highlighted.")


class LibraryResults(Schema):
    books_count: int
    pages_count: int
    results: list[LibraryHit]


class BulletinYear(Schema):
    year: int | None
    issues: list[BookSummary]


class BookFilter(QueryParams):
    q: str | None = Field(None, max_length=200, pattern=NO_NUL, description="Words of the title, authors or subjects.")
    collection: str | None = Field(None, max_length=160, pattern=SLUG, description="A collection's slug.")
    page: int = Field(1, ge=1, le=10_000)


class SearchFilter(QueryParams):
    q: str = Field(..., min_length=1, max_length=200, pattern=NO_NUL, description="Words or “phrases”.")
    page: int = Field(1, ge=1, le=1_000)


def _summary(request, book: Book) -> dict:
    from django.urls import reverse

    return {
        "id": book.pk,
        "kind": book.kind,
        "title": book.heading,
        "authors": book.authors,
        "publisher": book.publisher,
        "year": book.year,
        "issue_number": book.issue_number,
        "collection": book.collection.name if book.collection_id else None,
        "pages": book.pages_total,
        "url": request.build_absolute_uri(book.get_absolute_url()),
        "reader_url": request.build_absolute_uri(book.reader_url()),
        "cover_url": request.build_absolute_uri(reverse("library:cover", args=[book.pk])) if book.cover else None,
    }


@router.get("/library/books", response={200: BookList, 422: ErrorOut}, summary="Books of the library")
def books(request, filters: Query[BookFilter]):
    collection = None
    if filters.collection:
        collection = Collection.objects.filter(slug=filters.collection).first()
        if collection is None:
            return {"count": 0, "results": []}
    found = books_list(request.user, collection=collection, query=filters.q or "")
    start = (filters.page - 1) * PAGE_SIZE
    return {"count": found.count(), "results": [_summary(request, book) for book in found[start : start + PAGE_SIZE]]}


@router.get(
    "/library/books/{book_id}",
    response={200: BookOut, 404: ErrorOut, 422: ErrorOut},
    summary="One book with its table of contents",
)
def book(request, book_id: int = Path(..., ge=1, le=2_147_483_647)):
    from django.urls import reverse

    found = book_for(request.user, book_id)
    if found is None:
        raise Http404
    return {
        **_summary(request, found),
        "description": found.description,
        "subjects": [subject.strip() for subject in found.subjects.split(",") if subject.strip()],
        "pdf_url": request.build_absolute_uri(reverse("library:web_pdf", args=[found.pk])),
        "epub_url": request.build_absolute_uri(reverse("library:epub", args=[found.pk])) if found.epub else None,
        "toc": found.toc,
    }


@router.get("/library/search", response={200: LibraryResults, 422: ErrorOut}, summary="Search inside all books")
def search(request, filters: Query[SearchFilter]):
    from urllib.parse import urlencode

    result = library_search(request.user, filters.q, page=filters.page)
    hits = [
        {
            "book_id": hit.book.pk,
            "title": hit.book.heading,
            "page": page.number,
            "snippet": page.snippet_html,
            "url": request.build_absolute_uri(
                f"{hit.book.reader_url()}?{urlencode({'trang': page.number, 'q': filters.q})}"
            ),
        }
        for hit in result.books
        for page in hit.pages
    ]
    return {"books_count": result.books_count, "pages_count": result.pages_count, "results": hits}


@router.get("/library/bulletins", response={200: list[BulletinYear]}, summary="Issues of the bulletin, by year")
def bulletins(request):
    return [
        {"year": year, "issues": [_summary(request, issue) for issue in issues]}
        for year, issues in bulletins_by_year(request.user)
    ]
