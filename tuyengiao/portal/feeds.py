from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _

from tuyengiao.portal.models import CategoryPage
from tuyengiao.portal.selectors import articles_published

FEED_SIZE = 30


class LatestFeed(Feed):
    title = _("Latest news")
    description = _("The newest articles of the portal")

    def link(self):
        return "/"

    def items(self):
        return articles_published()[:FEED_SIZE]

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.lead

    def item_link(self, item):
        return item.url

    def item_pubdate(self, item):
        return item.date

    def item_author_name(self, item):
        return item.author


class CategoryFeed(LatestFeed):
    def get_object(self, request, slug):
        return get_object_or_404(CategoryPage.objects.live().public(), slug=slug)

    def title(self, category):
        return category.title

    def link(self, category):
        return category.url

    def description(self, category):
        return category.description

    def items(self, category):
        return articles_published().child_of(category)[:FEED_SIZE]
