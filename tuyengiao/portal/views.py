import datetime

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _

from tuyengiao.core.errors import DomainError
from tuyengiao.core.ratelimits import rate_limit_hit
from tuyengiao.core.search import highlight, query_problems, query_typed
from tuyengiao.library.selectors import library_search
from tuyengiao.portal.forms import FeedbackForm
from tuyengiao.portal.models import ARTICLES_PER_PAGE, ArticlePage, CategoryPage
from tuyengiao.portal.selectors import (
    archive_months,
    article_search,
    articles_in_month,
    articles_tagged,
    search_documents,
)
from tuyengiao.portal.services import feedback_submit


def feedback(request, article_id):
    """The feedback form of an article ("Phản hồi"), on its own page so that articles can be cached whole.

    The article page loads it inline with HTMX; without JavaScript the reader follows the link here.
    Sent feedback waits for moderation; on a problem the form keeps what was written.
    """
    article = get_object_or_404(ArticlePage.objects.live().public(), pk=int(article_id))
    form = FeedbackForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if rate_limit_hit(request, group="portal-feedback", rate=settings.FEEDBACK_RATE):
            form.is_valid()
            form.add_error(None, _("You have sent feedback too often. Please wait a few minutes and try again."))
            status = 429
        elif form.is_valid():
            try:
                feedback_submit(article=article, request=request, **form.cleaned_data)
            except DomainError as error:
                form.add_error("message", error.message)
            else:
                messages.success(
                    request, _("Thank you. Your feedback is awaiting moderation and will appear once approved.")
                )
                return redirect(article.url + "#phan-hoi")
    template = "portal/includes/feedback_form.html" if request.headers.get("HX-Request") else "portal/feedback.html"
    return render(request, template, {"article": article, "form": form}, status=status)


def _date(value: str) -> datetime.date | None:
    try:
        return datetime.datetime.strptime(value.strip(), "%d/%m/%Y").date() if value.strip() else None
    except ValueError:
        return None


def search(request):
    """News, documents and books for one query. Documents and books come first, a few of each, on the first page
    of an unfiltered search (category and dates are the news's own filters); the rest are one link away."""
    query = query_typed(request.GET.get("q"))
    categories = CategoryPage.objects.live().public().order_by("path")
    category = (
        categories.filter(pk=request.GET.get("category")).first() if request.GET.get("category", "").isdigit() else None
    )
    date_from, date_to = _date(request.GET.get("from", "")), _date(request.GET.get("to", ""))
    problems = query_problems(request.GET.get("q")) + [
        _("“%(value)s” is not a date; write it as dd/mm/yyyy.") % {"value": request.GET.get(name)}
        for name, parsed in (("from", date_from), ("to", date_to))
        if request.GET.get(name, "").strip() and parsed is None
    ]
    results = article_search(query, category=category, date_from=date_from, date_to=date_to) if query else []
    page = Paginator(results, ARTICLES_PER_PAGE).get_page(request.GET.get("page"))
    hits = [(article, highlight(f"{article.lead} {article.body_text()}", query)) for article in page]
    news_filtered = category is not None or any(request.GET.get(name, "").strip() for name in ("from", "to"))
    documents = search_documents(request.user, query) if page.number == 1 and not news_filtered else None
    books = library_search(request.user, query, per_page=3) if documents is not None else None
    response = render(
        request,
        "portal/search.html",
        {
            "query": query,
            "page_obj": page,
            "hits": hits,
            "documents": documents,
            "books": books,
            "categories": categories,
            "category": category,
            "problems": problems,
            "news_filtered": news_filtered,  # the filters are shown open
        },
    )
    if documents is not None:
        # Like the documents store's own pages, never kept whole in the page cache: a document (or book)
        # made restricted must vanish from results at once.
        add_never_cache_headers(response)
    return response


def tag(request, slug):
    articles = articles_tagged(slug)
    if not articles.exists():
        raise Http404
    page = Paginator(articles, ARTICLES_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "portal/tag.html", {"tag": slug, "page_obj": page})


def archive(request, year=None, month=None):
    months = archive_months()
    if year is None:
        if not months:
            return render(request, "portal/archive.html", {"months": []})
        return redirect("portal:archive_month", year=months[0].year, month=months[0].month)
    year, month = int(year), int(month)
    if not 1 <= month <= 12:
        raise Http404
    page = Paginator(articles_in_month(year, month), ARTICLES_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request, "portal/archive.html", {"months": months, "page_obj": page, "current": datetime.date(year, month, 1)}
    )
