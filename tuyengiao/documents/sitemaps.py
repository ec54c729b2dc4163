from django.contrib.auth.models import AnonymousUser
from django.contrib.sitemaps import Sitemap

from tuyengiao.documents.selectors import documents_latest


class DocumentSitemap(Sitemap):
    """Public documents only: the sitemap is read by anyone."""

    limit = 5000

    def items(self):
        return documents_latest(AnonymousUser()).select_related(None).only("id", "updated_at")

    def lastmod(self, document):
        return document.updated_at
