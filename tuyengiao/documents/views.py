"""Public pages of the documents store: search, a document, its files in the viewer, listings with feeds."""

from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.views.decorators.clickjacking import xframe_options_sameorigin

from tuyengiao.core.ranges import ranged_file_response
from tuyengiao.documents.forms import SearchForm
from tuyengiao.documents.models import Access, Issuer, Level
from tuyengiao.documents.selectors import (
    document_file_for,
    document_for,
    document_relations,
    document_search,
    documents_latest,
)

PAGE_SIZE = 20


def _page_number(request) -> int:
    value = request.GET.get("page", "1")
    return int(value) if value.isdigit() and len(value) < 6 else 1


def search(request):
    form = SearchForm(request.GET or None)
    form.is_valid()
    data = form.cleaned_data if form.is_bound else {}
    query = form.query() if form.is_bound else ""
    result = document_search(
        request.user,
        query,
        filters=form.filters() if form.is_bound else {},
        sort=data.get("sort") or "relevance",
        page=_page_number(request),
    )
    params = request.GET.copy()
    params.pop("page", None)
    browse = {}
    if not form.is_bound:  # the landing page: browse by level and by issuer, with their feeds
        slugs = dict(Issuer.objects.filter(pk__in=[pk for pk, *_ in result.facets["issuer"]]).values_list("pk", "slug"))
        browse = {
            "levels": result.facets["level"],
            "issuers": [(slugs[pk], label, count) for pk, label, count in result.facets["issuer"] if pk in slugs],
        }
    return render(
        request,
        "documents/search.html",
        {"form": form, "query": query, "result": result, "params": params.urlencode(), "browse": browse},
    )


def _private(request, document) -> bool:
    return document.access != Access.PUBLIC


def detail(request, pk):
    document = document_for(request.user, int(pk))
    if document is None:
        raise Http404
    response = render(
        request,
        "documents/detail.html",
        {
            "document": document,
            "relations": document_relations(request.user, document),
            "files": list(document.files.all()),
            "pages": document.full_text.split("\f") if document.full_text else [],
        },
    )
    if _private(request, document):
        response["Cache-Control"] = "private, no-store"
    return response


@xframe_options_sameorigin
def file_download(request, pk, file_pk, variant="original"):
    """The file after an access check: the original as uploaded, or the searchable PDF for the viewer."""
    document_file = document_file_for(request.user, int(pk), int(file_pk))
    if document_file is None:
        raise Http404
    scan = document_file.scan
    stored = scan.searchable_pdf if variant == "pdf" and scan.searchable_pdf else scan.original
    if variant == "pdf" and not stored.name.lower().endswith(".pdf") and scan.kind != scan.Kind.PDF:
        raise Http404
    return ranged_file_response(
        request,
        stored,
        content_type="application/pdf" if variant == "pdf" else None,
        cache_control="private, no-store" if _private(request, document_file.document) else "public, max-age=3600",
        filename=scan.name if variant == "original" else None,
        as_attachment=variant == "original",
    )


def viewer(request, pk, file_pk):
    """The in-browser PDF viewer (pdf.js), opened at ?trang=N."""
    document_file = document_file_for(request.user, int(pk), int(file_pk))
    if document_file is None or not (document_file.scan.searchable_pdf or document_file.scan.kind == "pdf"):
        raise Http404
    page = request.GET.get("trang", "1")
    response = render(
        request,
        "documents/viewer.html",
        {
            "document": document_file.document,
            "file": document_file,
            "page": int(page) if page.isdigit() and len(page) < 6 else 1,
        },
    )
    if _private(request, document_file.document):
        response["Cache-Control"] = "private, no-store"
    return response


def by_level(request, level):
    if level not in Level.values:
        raise Http404
    label = Level(level).label
    return _listing(request, documents_latest(request.user, level=level), _("Documents: %(level)s") % {"level": label})


def by_issuer(request, slug):
    issuer = get_object_or_404(Issuer, slug=slug)
    documents = documents_latest(request.user, issuer=issuer)
    return _listing(request, documents, _("Documents of %(issuer)s") % {"issuer": issuer}, issuer=issuer)


def _listing(request, documents, title, **context):
    from django.core.paginator import Paginator

    page = Paginator(documents, PAGE_SIZE).get_page(_page_number(request))
    return render(
        request,
        "documents/listing.html",
        {"title": title, "page_obj": page, "feed_url": request.path + "rss/", **context},
    )
