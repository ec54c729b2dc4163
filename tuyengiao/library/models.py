"""The e-book library and the digitised bulletin (Bản tin tuyên giáo).

A book (or a bulletin issue) is a PDF digitised by the `digitise` app: its pages' text is copied here, one row
per page, for the search across the library; the task worker then makes the web edition (a compact PDF served
with range requests), page images for slow connections, thumbnails, the cover and the table of contents. Only
then is the book published: readers never see half of one.
"""

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from tuyengiao.core.files import private_storage


class Collection(models.Model):
    """A shelf: Lịch sử Đảng bộ huyện, Truyền thống ngành, Lịch sử Đảng bộ tỉnh…; an editable list."""

    name = models.CharField(_("name"), max_length=150, unique=True)
    slug = models.SlugField(_("slug"), max_length=160, unique=True, allow_unicode=False)
    description = models.TextField(_("description"), blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=100)

    class Meta:
        ordering = ["order", "name"]
        verbose_name = _("collection")
        verbose_name_plural = _("collections")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("library:collection", args=[self.slug])


class Book(models.Model):
    class Kind(models.TextChoices):
        BOOK = "book", _("Book")
        BULLETIN = "bulletin", _("Bulletin issue")

    class Access(models.TextChoices):
        PUBLIC = "public", _("Public")
        INTERNAL = "internal", _("Internal (signed-in cadres)")

    class Status(models.TextChoices):
        PROCESSING = "processing", _("Being prepared")
        PUBLISHED = "published", _("Published")
        FAILED = "failed", _("Failed")

    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.BOOK, db_index=True)
    title = models.CharField(_("title"), max_length=300)
    authors = models.CharField(_("authors or compilers"), max_length=500, blank=True)
    publisher = models.CharField(_("publishing unit"), max_length=255, blank=True)
    unit = models.ForeignKey(
        "orgs.Unit",
        verbose_name=_("managing unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("The unit whose staff manage this book."),
    )
    year = models.PositiveSmallIntegerField(_("year"), null=True, blank=True)
    issue_number = models.PositiveSmallIntegerField(_("issue number"), null=True, blank=True)
    collection = models.ForeignKey(
        Collection,
        verbose_name=_("collection"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="books",
    )
    subjects = models.CharField(_("subjects"), max_length=500, blank=True, help_text=_("Separated by commas."))
    description = models.TextField(_("description"), blank=True)
    access = models.CharField(_("access"), max_length=10, choices=Access.choices, default=Access.PUBLIC)
    scan = models.OneToOneField("digitise.Scan", verbose_name=_("PDF"), on_delete=models.PROTECT, related_name="+")
    epub = models.FileField(
        _("EPUB"), upload_to="library/epub/%Y/", blank=True, max_length=255, storage=private_storage
    )
    cover = models.ImageField(
        _("cover"), upload_to="library/covers/%Y/", blank=True, max_length=255, storage=private_storage
    )
    cover_given = models.BooleanField(_("cover given by staff"), default=False)
    toc = models.JSONField(_("table of contents"), default=list, blank=True)
    toc_manual = models.BooleanField(_("table of contents entered by hand"), default=False)
    web_pdf = models.FileField(
        _("web edition (PDF)"), upload_to="library/web/%Y/", blank=True, max_length=255, storage=private_storage
    )
    pages_total = models.PositiveIntegerField(_("pages"), default=0)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PROCESSING, db_index=True
    )
    error = models.TextField(_("error"), blank=True)
    source_name = models.CharField(_("imported file name"), max_length=255, blank=True, db_index=True)
    search_head = models.TextField(_("search head"), blank=True, editable=False)
    reads = models.PositiveIntegerField(_("readings"), default=0)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)

    class Meta:
        ordering = ["collection__order", "-year", "title"]
        verbose_name = _("book")
        verbose_name_plural = _("books")
        constraints = [
            models.UniqueConstraint(
                fields=["year", "issue_number"],
                condition=models.Q(kind="bulletin"),
                name="library_bulletin_unique_issue",
            )
        ]

    def __str__(self):
        return self.heading

    def get_absolute_url(self):
        return reverse("library:book", args=[self.pk])

    @property
    def heading(self) -> str:
        if self.kind == self.Kind.BULLETIN and self.issue_number and self.year:
            return f"{self.title} số {self.issue_number}/{self.year}"
        return self.title

    @property
    def is_public(self) -> bool:
        return self.access == self.Access.PUBLIC

    def reader_url(self) -> str:
        return reverse("library:reader", args=[self.pk])


class BookPage(models.Model):
    """One page of a book: its text (for the search), its image for slow connections and its thumbnail."""

    book = models.ForeignKey(Book, verbose_name=_("book"), on_delete=models.CASCADE, related_name="pages")
    number = models.PositiveIntegerField(_("page"))
    text = models.TextField(_("text"), blank=True)
    folded_text = models.TextField(_("folded text"), blank=True, editable=False)
    image = models.ImageField(
        _("page image"), upload_to="library/pages/%Y/", blank=True, max_length=255, storage=private_storage
    )
    thumb = models.ImageField(
        _("thumbnail"), upload_to="library/thumbs/%Y/", blank=True, max_length=255, storage=private_storage
    )
    width = models.PositiveIntegerField(_("image width"), default=0)
    height = models.PositiveIntegerField(_("image height"), default=0)
    # PostgreSQL: filled by a trigger (migration 0002); SQLite keeps an FTS5 table instead.
    search_vector = SearchVectorField(null=True, editable=False)

    class Meta:
        ordering = ["book", "number"]
        verbose_name = _("book page")
        verbose_name_plural = _("book pages")
        constraints = [models.UniqueConstraint(fields=["book", "number"], name="library_bookpage_unique_number")]

    def __str__(self):
        return f"{self.book} – {self.number}"


class ReadingPosition(models.Model):
    """Where a signed-in reader stopped in a book, kept across devices."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("reader"), on_delete=models.CASCADE, related_name="+"
    )
    book = models.ForeignKey(Book, verbose_name=_("book"), on_delete=models.CASCADE, related_name="+")
    page = models.PositiveIntegerField(_("page"), default=1)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True, db_index=True)

    class Meta:
        verbose_name = _("reading position")
        verbose_name_plural = _("reading positions")
        constraints = [models.UniqueConstraint(fields=["user", "book"], name="library_position_unique_reader")]

    def __str__(self):
        return f"{self.book_id}: {self.page}"


class BookReadDay(models.Model):
    """How many times a book was opened in the reader on a day: counts only, nobody's identity."""

    book = models.ForeignKey(Book, verbose_name=_("book"), on_delete=models.CASCADE, related_name="read_days")
    day = models.DateField(_("day"))
    count = models.PositiveIntegerField(_("readings"), default=0)

    class Meta:
        verbose_name = _("readings of a day")
        verbose_name_plural = _("readings per day")
        constraints = [models.UniqueConstraint(fields=["book", "day"], name="library_readday_unique")]

    def __str__(self):
        return f"{self.book_id} {self.day}: {self.count}"
