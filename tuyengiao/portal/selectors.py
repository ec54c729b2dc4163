"""Reads for the news portal: home sections, related articles, search, archive."""

import datetime

from django.utils import timezone

from tuyengiao.core.search import query_terms
from tuyengiao.core.text import search_text
from tuyengiao.documents.selectors import SearchResult, document_search
from tuyengiao.portal.models import AlbumPage, ArticlePage, CategoryPage, InfoPage, WebsiteLink

LATEST_COUNT = 8
PER_CATEGORY = 4
SEARCH_DOCUMENTS_SHOWN = 3  # documents shown beside the news on the site search; the rest are one link away


def articles_published():
    return ArticlePage.objects.live().public().select_related("unit").order_by("-date", "-pk")


def home_sections() -> dict:
    latest = list(articles_published()[:LATEST_COUNT])
    categories = list(CategoryPage.objects.live().public().in_menu().order_by("path"))
    by_category = []
    for category in categories:
        items = list(articles_published().child_of(category)[:PER_CATEGORY])
        if items:
            by_category.append((category, items))
    return {
        "latest": latest,
        "featured": list(articles_published().filter(featured=True)[:3]),
        "by_category": by_category,
        "links": list(WebsiteLink.objects.all()),
        "albums": list(AlbumPage.objects.live().public().order_by("-date", "-pk")[:3]),
    }


def menu_categories():
    return CategoryPage.objects.live().public().in_menu().order_by("path")


def info_pages():
    """The organisation page and its English version, linked from every page's footer."""
    return InfoPage.objects.live().public().order_by("path")


def article_others(article: ArticlePage, count: int = 6):
    """ "Các tin khác": the newest other articles of the same category."""
    return articles_published().sibling_of(article, inclusive=False)[:count]


def article_search(
    query: str,
    *,
    category: CategoryPage | None = None,
    date_from: datetime.date | None = None,
    date_to: datetime.date | None = None,
) -> list[ArticlePage]:
    """Articles whose folded text holds every term; accented matches rank above folded ones.

    "tuyen giao ha giang" finds "Tuyên giáo Hà Giang"; an article with the accents as typed comes first,
    then matches in the title, then the newest.
    """
    accented, folded = query_terms(query)
    if not folded:
        return []
    articles = articles_published()
    for term in folded:
        articles = articles.filter(search_folded__contains=f" {term} ")
    if category is not None:
        articles = articles.child_of(category)
    zone = timezone.get_current_timezone()
    # A bound on the first or the last day of the calendar leaves out nothing, and its time in UTC would overflow.
    date_from = date_from if date_from and date_from > datetime.date.min else None
    date_to = date_to if date_to and date_to < datetime.date.max else None
    if date_from:
        articles = articles.filter(date__gte=datetime.datetime.combine(date_from, datetime.time.min, zone))
    if date_to:
        articles = articles.filter(
            date__lt=datetime.datetime.combine(date_to + datetime.timedelta(days=1), datetime.time.min, zone)
        )
    results = list(articles[:500])

    def rank(article: ArticlePage):
        text = f"{article.title}\n{article.lead}".lower()
        accent_hits = sum(term in text for term in accented)
        title_hits = sum(f" {term} " in search_text(article.title) for term in folded)
        return (-accent_hits, -title_hits, -article.date.timestamp())

    results.sort(key=rank)
    return results


def search_documents(user, query: str, *, count: int = SEARCH_DOCUMENTS_SHOWN) -> SearchResult | None:
    """The documents the site search shows beside the news: the first `count` that the documents store's own
    search gives `user` for `query` (a number typed loosely first), with the number of all matches.

    Restricted documents the user may not read are neither shown nor counted (document_search starts from
    the documents visible to the user). None when the query holds no word or number: the store's search
    would list every document for it.
    """
    _accented, folded = query_terms(query)
    if not folded:
        return None
    return document_search(user, query, per_page=count)


def articles_in_month(year: int, month: int):
    zone = timezone.get_current_timezone()
    first = datetime.datetime(year, month, 1, tzinfo=zone)
    after = datetime.datetime(year + (month == 12), month % 12 + 1, 1, tzinfo=zone)
    return articles_published().filter(date__gte=first, date__lt=after)


def archive_months() -> list[datetime.date]:
    """Months that have articles, newest first."""
    zone = timezone.get_current_timezone()
    months = {
        article_date.astimezone(zone).date().replace(day=1)
        for article_date in articles_published().values_list("date", flat=True)
    }
    return sorted(months, reverse=True)


def articles_tagged(slug: str):
    return articles_published().filter(tags__slug=slug).distinct()
