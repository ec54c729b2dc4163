from django.core.paginator import Paginator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey
from taggit.models import TaggedItemBase
from wagtail import blocks
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.fields import StreamField
from wagtail.images.blocks import ImageChooserBlock
from wagtail.models import Page
from wagtail.search import index
from wagtail.snippets.models import register_snippet

from tuyengiao.core.text import search_text

ARTICLES_PER_PAGE = 12


class HomePage(Page):
    """The portal's home page: latest news, featured stories, each category, links."""

    intro = models.TextField(_("introduction"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    subpage_types = ["portal.CategoryPage", "portal.InfoPage", "portal.AlbumIndexPage"]
    max_count = 1

    class Meta:
        verbose_name = _("home page")
        verbose_name_plural = _("home pages")

    def get_context(self, request, *args, **kwargs):
        from tuyengiao.portal.selectors import home_sections

        context = super().get_context(request, *args, **kwargs)
        context.update(home_sections())
        return context


class CategoryPage(Page):
    """A news category ("Tuyên giáo các cấp") or a unit's own section inside one ("Thông tin cơ sở" → "Bắc Mê").

    Shown in the menu when "show in menus" is on. The editors of `unit` (and of the units above it) write
    here; the province's approvers publish (portal.editorial).
    """

    description = models.TextField(_("description"), blank=True)
    unit = models.ForeignKey(
        "orgs.Unit",
        verbose_name=_("unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Editors of this unit and of the units above it write in this section."),
    )

    content_panels = [*Page.content_panels, FieldPanel("description"), FieldPanel("unit")]
    parent_page_types = ["portal.HomePage", "portal.CategoryPage"]
    subpage_types = ["portal.ArticlePage", "portal.CategoryPage"]

    class Meta:
        verbose_name = _("category")
        verbose_name_plural = _("categories")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        articles = ArticlePage.objects.live().public().descendant_of(self).order_by("-date", "-pk")
        context["articles"] = Paginator(articles.select_related("unit"), ARTICLES_PER_PAGE).get_page(
            request.GET.get("page")
        )
        return context


class InfoPage(Page):
    """A standing page: the organisation (functions, structure, contacts) as Decree 42/2022/NĐ-CP asks, or its
    English version."""

    language = models.CharField(
        _("language of the page"), max_length=8, choices=[("vi", "Tiếng Việt"), ("en", "English")], default="vi"
    )
    body = StreamField(
        [
            (
                "paragraph",
                blocks.RichTextBlock(label=_("Paragraph"), features=["h2", "h3", "bold", "italic", "ol", "ul", "link"]),
            ),
            (
                "contact",
                blocks.StructBlock(
                    [
                        ("name", blocks.CharBlock(label=_("Name"))),
                        ("address", blocks.CharBlock(label=_("Address"), required=False)),
                        ("phone", blocks.CharBlock(label=_("Phone"), required=False)),
                        ("email", blocks.EmailBlock(label=_("E-mail"), required=False)),
                    ],
                    label=_("Contact"),
                    icon="user",
                    template="portal/blocks/contact.html",
                ),
            ),
        ],
        verbose_name=_("body"),
        blank=True,
    )

    content_panels = [*Page.content_panels, FieldPanel("language"), FieldPanel("body")]
    parent_page_types = ["portal.HomePage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("information page")
        verbose_name_plural = _("information pages")


class AlbumIndexPage(Page):
    """ "Thư viện ảnh": the photo library, albums newest first."""

    parent_page_types = ["portal.HomePage"]
    subpage_types = ["portal.AlbumPage"]
    max_count = 1

    class Meta:
        verbose_name = _("photo library")
        verbose_name_plural = _("photo libraries")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        albums = AlbumPage.objects.live().public().child_of(self).order_by("-date", "-pk")
        context["albums"] = Paginator(albums, ARTICLES_PER_PAGE).get_page(request.GET.get("page"))
        return context


class AlbumPage(Page):
    """An album of captioned photos."""

    date = models.DateField(_("date"), default=timezone.localdate)
    description = models.TextField(_("description"), blank=True)
    photos = StreamField(
        [
            (
                "photo",
                blocks.StructBlock(
                    [
                        ("image", ImageChooserBlock(label=_("Image"))),
                        ("caption", blocks.CharBlock(label=_("Caption"), required=False)),
                    ],
                    label=_("Photo"),
                    icon="image",
                ),
            )
        ],
        verbose_name=_("photos"),
        blank=True,
    )

    content_panels = [*Page.content_panels, FieldPanel("date"), FieldPanel("description"), FieldPanel("photos")]
    parent_page_types = ["portal.AlbumIndexPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("album")
        verbose_name_plural = _("albums")

    def cover(self):
        for block in self.photos:
            return block.value["image"]
        return None


class ArticleTag(TaggedItemBase):
    content_object = ParentalKey("portal.ArticlePage", related_name="tagged_items", on_delete=models.CASCADE)


class ArticleBodyBlock(blocks.StreamBlock):
    paragraph = blocks.RichTextBlock(
        label=_("Paragraph"), features=["h2", "h3", "bold", "italic", "ol", "ul", "link", "document-link"]
    )
    image = blocks.StructBlock(
        [
            ("image", ImageChooserBlock(label=_("Image"))),
            ("caption", blocks.CharBlock(label=_("Caption"), required=False)),
        ],
        label=_("Image with caption"),
        icon="image",
        template="portal/blocks/image.html",
    )
    quote = blocks.BlockQuoteBlock(label=_("Quote"))


class ArticlePage(Page):
    """A news article, as in the seed: dateline, category, lead, body with photos, author and unit."""

    date = models.DateTimeField(
        _("date"), default=timezone.now, db_index=True, help_text=_("Shown as the dateline, in Vietnam time.")
    )
    lead = models.TextField(_("lead"), help_text=_("The short paragraph under the title (sapo)."))
    body = StreamField(ArticleBodyBlock(), verbose_name=_("body"), blank=True)
    author = models.CharField(_("author"), max_length=255, blank=True)
    unit = models.ForeignKey(
        "orgs.Unit", verbose_name=_("unit"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    featured = models.BooleanField(_("featured"), default=False, help_text=_("Shown among the featured stories."))
    tags = ClusterTaggableManager(through=ArticleTag, blank=True, verbose_name=_("tags"))
    related = StreamField(
        [
            ("document", DocumentChooserBlock(label=_("Document"))),
            (
                "link",
                blocks.StructBlock(
                    [("title", blocks.CharBlock(label=_("Title"))), ("url", blocks.URLBlock(label=_("Address")))],
                    label=_("Link to a document or book"),
                    icon="link",
                ),
            ),
        ],
        verbose_name=_("related documents and books"),
        blank=True,
    )
    search_folded = models.TextField(editable=False, default="")

    content_panels = [
        *Page.content_panels,
        FieldPanel("lead"),
        FieldPanel("body"),
        MultiFieldPanel([FieldPanel("date"), FieldPanel("author"), FieldPanel("unit")], heading=_("Byline")),
        FieldPanel("tags"),
        FieldPanel("related"),
        FieldPanel("featured"),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("lead"),
        index.SearchField("body"),
        index.FilterField("date"),
    ]
    parent_page_types = ["portal.CategoryPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("article")
        verbose_name_plural = _("articles")

    def body_text(self) -> str:
        """The body as plain text (for search and excerpts)."""
        from django.utils.html import strip_tags

        parts = []
        for block in self.body:
            if block.block_type == "paragraph":
                parts.append(strip_tags(block.value.source))
            elif block.block_type == "image":
                parts.append(block.value.get("caption") or "")
            else:
                parts.append(str(block.value))
        return "\n".join(part for part in parts if part)

    def clean(self):
        super().clean()
        # Kept with every revision, so drafts and published versions search alike.
        self.search_folded = search_text(f"{self.title}\n{self.lead}\n{self.body_text()}")

    def get_context(self, request, *args, **kwargs):
        from tuyengiao.portal.selectors import article_others

        context = super().get_context(request, *args, **kwargs)
        context["others"] = article_others(self)
        context["feedback"] = self.feedback.filter(status=Feedback.Status.APPROVED).order_by("created_at")
        return context


@register_snippet
class WebsiteLink(models.Model):
    """ "Liên kết website": portals of other bodies, shown on the home page."""

    title = models.CharField(_("title"), max_length=255)
    url = models.URLField(_("address"))
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)

    panels = [FieldPanel("title"), FieldPanel("url"), FieldPanel("sort_order")]

    class Meta:
        verbose_name = _("website link")
        verbose_name_plural = _("website links")
        ordering = ["sort_order", "title"]

    def __str__(self):
        return self.title


class Feedback(models.Model):
    """ "Phản hồi": a reader's comment on an article, public only after an editor approves it."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Awaiting moderation")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")

    article = models.ForeignKey(
        ArticlePage, verbose_name=_("article"), on_delete=models.CASCADE, related_name="feedback"
    )
    name = models.CharField(_("name"), max_length=120)
    contact = models.CharField(_("e-mail or phone"), max_length=120)
    message = models.TextField(_("message"), max_length=3000)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.PENDING, db_index=True)
    flagged = models.CharField(_("flagged because"), max_length=255, blank=True)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    created_at = models.DateTimeField(_("sent at"), auto_now_add=True)
    moderated_at = models.DateTimeField(_("moderated at"), null=True, blank=True)

    class Meta:
        verbose_name = _("feedback")
        verbose_name_plural = _("feedback")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.name}: {self.message[:60]}"
