from django.contrib.auth.models import AnonymousUser
from django.contrib.sitemaps import Sitemap

from tuyengiao.library.selectors import books_visible


class BookSitemap(Sitemap):
    """Published public books and bulletin issues only: the sitemap is read by anyone."""

    limit = 5000

    def items(self):
        return books_visible(AnonymousUser()).only("id", "updated_at").order_by("pk")

    def lastmod(self, book):
        return book.updated_at
