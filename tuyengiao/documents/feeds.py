"""RSS of the newest documents by level and by issuer: only public documents, whoever asks."""

from django.contrib.auth.models import AnonymousUser
from django.contrib.syndication.views import Feed
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _

from tuyengiao.documents.models import Issuer, Level
from tuyengiao.documents.selectors import documents_latest

FEED_SIZE = 30


class _DocumentFeed(Feed):
    def item_title(self, item):
        return f"{item.heading}: {item.title}" if item.number or item.type_id else item.title

    def item_description(self, item):
        parts = [str(item.issuer or ""), item.issued_on.strftime("%d/%m/%Y") if item.issued_on else ""]
        return " · ".join(part for part in parts if part)

    def item_link(self, item):
        return item.get_absolute_url()

    def item_pubdate(self, item):
        return item.created_at


class LevelFeed(_DocumentFeed):
    def get_object(self, request, level):
        if level not in Level.values:
            raise Http404
        return level

    def title(self, level):
        return _("Documents: %(level)s") % {"level": Level(level).label}

    def link(self, level):
        return reverse("documents:level", args=[level])

    def description(self, level):
        return self.title(level)

    def items(self, level):
        return documents_latest(AnonymousUser(), level=level)[:FEED_SIZE]


class IssuerFeed(_DocumentFeed):
    def get_object(self, request, slug):
        return get_object_or_404(Issuer, slug=slug)

    def title(self, issuer):
        return _("Documents of %(issuer)s") % {"issuer": issuer}

    def link(self, issuer):
        return issuer.get_absolute_url()

    def description(self, issuer):
        return self.title(issuer)

    def items(self, issuer):
        return documents_latest(AnonymousUser(), issuer=issuer)[:FEED_SIZE]
