"""Public pages of the library: shelves, search across all books, a book, the reader, the bulletin; the files
the reader asks for (web edition by byte ranges, page images, thumbnails, cover), each after an access check."""

import json

from django.core.paginator import Paginator
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tuyengiao.core.ranges import ranged_file_response
from tuyengiao.core.search import query_problems, query_typed
from tuyengiao.library.models import Book, BookPage, Collection
from tuyengiao.library.selectors import (
    book_for,
    book_search_inside,
    books_list,
    bulletins_by_year,
    collections_with_books,
    continue_reading,
    library_search,
    reading_position,
)
from tuyengiao.library.services import book_read_count, reading_position_save

PUBLIC_CACHE = "public, max-age=86400"
PRIVATE_CACHE = "private, no-store"


def _int(value, default: int = 1) -> int:
    return int(value) if isinstance(value, str) and value.isdigit() and len(value) < 7 else default


def _query(request) -> str:
    return query_typed(request.GET.get("q"))


def _private(response, book: Book):
    if not book.is_public:
        response["Cache-Control"] = PRIVATE_CACHE
    return response


def home(request):
    return render(
        request,
        "library/home.html",
        {
            "shelves": collections_with_books(request.user),
            "continue_reading": continue_reading(request.user),
            "bulletins": bulletins_by_year(request.user)[:1],
        },
    )


def collection(request, slug):
    shelf = get_object_or_404(Collection, slug=slug)
    page = Paginator(books_list(request.user, collection=shelf), 24).get_page(_int(request.GET.get("page")))
    return render(request, "library/collection.html", {"collection": shelf, "page_obj": page})


def search(request):
    query = _query(request)
    page = _int(request.GET.get("page"))
    result = library_search(request.user, query, page=page) if query else None
    pages = None
    if result and result.books_count > 10:
        pages = Paginator(range(result.books_count), 10).get_page(page)
    problems = query_problems(request.GET.get("q"))
    context = {"query": query, "result": result, "page_obj": pages, "problems": problems}
    return render(request, "library/search.html", context)


def bulletins(request):
    return render(request, "library/bulletins.html", {"years": bulletins_by_year(request.user)})


def book(request, pk):
    item = book_for(request.user, pk)
    if item is None:
        raise Http404
    context = {
        "book": item,
        "position": reading_position(request.user, item),
        "subjects": [subject.strip() for subject in item.subjects.split(",") if subject.strip()],
    }
    return _private(render(request, "library/book.html", context), item)


def reader(request, pk):
    item = book_for(request.user, pk)
    if item is None:
        raise Http404
    position = reading_position(request.user, item)
    start = _int(request.GET.get("trang"), position or 1)
    start = max(1, min(start, item.pages_total or 1))
    query = _query(request)
    sizes = list(item.pages.order_by("number").values_list("width", "height"))
    if not _from_reader(request, item):  # turning pages without JavaScript reloads the reader: one reading
        book_read_count(item)
    context = {
        "book": item,
        "page": start,
        "query": query,
        "hits": book_search_inside(item, query) if query else [],
        "sizes_json": json.dumps(sizes),
        "page_size": sizes[start - 1] if len(sizes) >= start else None,
        "toc": item.toc,
        "signed_in": request.user.is_authenticated,
        "position": position,
        "prev_page": start - 1 if start > 1 else None,
        "next_page": start + 1 if start < item.pages_total else None,
    }
    return _private(render(request, "library/reader.html", context), item)


def _from_reader(request, item: Book) -> bool:
    from urllib.parse import urlsplit

    referer = urlsplit(request.headers.get("Referer", ""))
    return referer.netloc == request.get_host() and referer.path == item.reader_url()


def search_inside(request, pk):
    """Pages of the book where the query stands: JSON for the reader, a page of links without JavaScript."""
    item = book_for(request.user, pk)
    if item is None:
        raise Http404
    query = _query(request)
    hits = book_search_inside(item, query) if query else []
    if request.GET.get("format") == "json":
        response = JsonResponse(
            {
                "query": query,
                "hits": [{"page": hit.number, "snippet": hit.snippet_html} for hit in hits],
            }
        )
    else:
        response = render(request, "library/search_inside.html", {"book": item, "query": query, "hits": hits})
    return _private(response, item)


@require_POST
def position(request, pk):
    """Keep the page a signed-in reader is on (the reader posts it as the pages turn)."""
    if not request.user.is_authenticated:
        return JsonResponse({"message": _("Sign in to keep your place in a book.")}, status=403)
    item = book_for(request.user, pk)
    if item is None:
        raise Http404
    try:
        page = int(json.loads(request.body or b"{}").get("page"))
    except (ValueError, TypeError, AttributeError):
        return JsonResponse({"message": _("The page must be a number.")}, status=400)
    if not 1 <= page <= max(item.pages_total, 1):
        return JsonResponse({"message": _("The book has no such page.")}, status=400)
    saved = reading_position_save(request.user, item, page)
    return JsonResponse({"page": saved.page})


def _file(request, item: Book, field_file, content_type: str, filename=None):
    if not field_file:
        raise Http404
    cache = PUBLIC_CACHE if item.is_public else PRIVATE_CACHE
    return ranged_file_response(request, field_file, content_type=content_type, cache_control=cache, filename=filename)


def web_pdf(request, pk):
    item = book_for(request.user, pk)
    if item is None:
        raise Http404
    return _file(request, item, item.web_pdf, "application/pdf")


def epub(request, pk):
    item = book_for(request.user, pk)
    if item is None:
        raise Http404
    return _file(request, item, item.epub, "application/epub+zip", filename=f"{item.pk}.epub")


def cover(request, pk):
    item = book_for(request.user, pk)
    if item is None:
        raise Http404
    return _file(request, item, item.cover, "image/webp")


def page_image(request, pk, number, variant="image"):
    item = book_for(request.user, pk)
    if item is None:
        raise Http404
    page = BookPage.objects.filter(book=item, number=number).only("image", "thumb").first()
    if page is None:
        raise Http404
    return _file(request, item, page.thumb if variant == "thumb" else page.image, "image/webp")


def book_urls(item: Book) -> dict:
    """The addresses the reader and the API hand out for a book."""
    return {
        "reader": reverse("library:reader", args=[item.pk]),
        "pdf": reverse("library:web_pdf", args=[item.pk]),
        "cover": reverse("library:cover", args=[item.pk]) if item.cover else None,
        "epub": reverse("library:epub", args=[item.pk]) if item.epub else None,
    }
