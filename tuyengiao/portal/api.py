import datetime

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, Path, Query, Router, Schema

from tuyengiao.api.main import DAY, NO_NUL, ErrorOut, QueryParams
from tuyengiao.core.errors import InvalidInputError
from tuyengiao.portal.selectors import article_search, articles_published

router = Router(tags=["news"])


class ArticleSummary(Schema):
    id: int
    title: str
    url: str
    date: datetime.datetime
    category: str
    lead: str
    author: str
    unit_code: str | None
    tags: list[str]

    @staticmethod
    def resolve_url(article):
        return article.full_url or article.url

    @staticmethod
    def resolve_category(article):
        return article.get_parent().title

    @staticmethod
    def resolve_unit_code(article):
        return article.unit.code if article.unit_id else None

    @staticmethod
    def resolve_tags(article):
        return [tag.name for tag in article.tags.all()]


class ArticleOut(ArticleSummary):
    body_text: str

    @staticmethod
    def resolve_body_text(article):
        return article.body_text()


class NewsPage(Schema):
    count: int
    items: list[ArticleSummary]


class NewsFilter(QueryParams):
    q: str | None = Field(None, max_length=200, pattern=NO_NUL, description="Words to find; accents are optional.")
    # Slugs of categories and tags may hold Vietnamese letters ("chuyển-đổi-số"): one that matches none finds nothing.
    category: str | None = Field(None, max_length=100, pattern=NO_NUL, description="The category's slug.")
    tag: str | None = Field(None, max_length=100, pattern=NO_NUL, description="A tag's slug, e.g. chuyển-đổi-số.")
    date_from: str | None = Field(None, description="From this day (YYYY-MM-DD).", **DAY)
    date_to: str | None = Field(None, description="To this day (YYYY-MM-DD).", **DAY)
    limit: int = Field(20, ge=1, le=100)
    offset: int = Field(0, ge=0, le=100_000)


def _day(value: str | None) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat(value) if value else None
    except ValueError as error:
        raise InvalidInputError(_("“%(day)s” is not a date.") % {"day": value}) from error


@router.get("/news", response={200: NewsPage, 422: ErrorOut}, summary="Published articles, newest first")
def news(request, filters: Query[NewsFilter]):
    from tuyengiao.portal.models import CategoryPage

    date_from, date_to = _day(filters.date_from), _day(filters.date_to)
    category = None
    if filters.category:
        category = CategoryPage.objects.live().public().filter(slug=filters.category).first()
        if category is None:
            return NewsPage(count=0, items=[])
    if filters.q:
        items = article_search(filters.q, category=category, date_from=date_from, date_to=date_to)
        if filters.tag:
            items = [article for article in items if filters.tag in {tag.slug for tag in article.tags.all()}]
        return NewsPage(count=len(items), items=items[filters.offset : filters.offset + filters.limit])
    articles = articles_published().prefetch_related("tags")
    if category is not None:
        articles = articles.child_of(category)
    if filters.tag:
        articles = articles.filter(tags__slug=filters.tag).distinct()
    if date_from:
        articles = articles.filter(date__date__gte=date_from)
    if date_to:
        articles = articles.filter(date__date__lte=date_to)
    return NewsPage(count=articles.count(), items=list(articles[filters.offset : filters.offset + filters.limit]))


@router.get(
    "/news/{article_id}", response={200: ArticleOut, 404: ErrorOut, 422: ErrorOut}, summary="One published article"
)
def article(request, article_id: int = Path(..., ge=1, le=2_147_483_647)):
    return get_object_or_404(articles_published(), pk=article_id)
