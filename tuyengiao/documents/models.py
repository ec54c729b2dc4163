"""The store of Party and State documents: directives, resolutions, programmes, plans.

A document is found by (number, issue date, issuer): Party numbers restart every term. Its files are
digitised by the `digitise` app; the text of all its files is kept here for search.
"""

import secrets

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class Level(models.TextChoices):
    CENTRAL = "central", _("Central")
    PROVINCE = "province", _("Province")
    DISTRICT = "district", _("District")
    COMMUNE = "commune", _("Commune")


class Status(models.TextChoices):
    IN_FORCE = "in_force", _("In force")
    PARTLY_EXPIRED = "partly_expired", _("Partly out of force")
    EXPIRED = "expired", _("Out of force")
    NOT_YET = "not_yet", _("Not yet in force")


class Access(models.TextChoices):
    PUBLIC = "public", _("Public")
    CADRES = "cadres", _("Signed-in cadres")
    UNITS = "units", _("Named units only")


class DocumentType(models.Model):
    """An editable list: Nghị quyết, Chỉ thị, Kết luận… `code` is the type part of numbers ("NQ", "CT")."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    code = models.CharField(_("code in numbers"), max_length=10, blank=True, help_text=_("e.g. NQ, CT, QĐ"))
    order = models.PositiveSmallIntegerField(_("order"), default=100)

    class Meta:
        ordering = ["order", "name"]
        verbose_name = _("document type")
        verbose_name_plural = _("document types")

    def __str__(self):
        return self.name


class Field(models.Model):
    """A field (lĩnh vực) that documents are filed under; an editable list."""

    name = models.CharField(_("name"), max_length=150, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("field")
        verbose_name_plural = _("fields")

    def __str__(self):
        return self.name


class Issuer(models.Model):
    """Who issued documents: one of our units, or an outside body with its term ("khóa XII")."""

    name = models.CharField(_("name"), max_length=255)
    term = models.CharField(_("term"), max_length=20, blank=True, help_text=_("e.g. XII"))
    unit = models.ForeignKey(
        "orgs.Unit", verbose_name=_("unit"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    level = models.CharField(_("level"), max_length=20, choices=Level.choices, blank=True)
    slug = models.SlugField(_("address"), max_length=255, unique=True)

    class Meta:
        ordering = ["name", "term"]
        constraints = [models.UniqueConstraint(fields=["name", "term"], name="documents_issuer_name_term")]
        verbose_name = _("issuer")
        verbose_name_plural = _("issuers")

    def __str__(self):
        return f"{self.name} {_('term')} {self.term}" if self.term else self.name

    def get_absolute_url(self):
        return reverse("documents:issuer", args=[self.slug])


# Newest first, undated last (PostgreSQL would put them first: NULLS FIRST is its default for a descending order).
NEWEST_FIRST = (models.F("issued_on").desc(nulls_last=True), models.F("id").desc())


class Document(models.Model):
    number = models.CharField(_("number"), max_length=60, blank=True, help_text=_("e.g. 19-CT/TW or 30/2020/NĐ-CP"))
    number_key = models.CharField(max_length=60, blank=True, db_index=True, editable=False)
    number_int = models.PositiveIntegerField(null=True, blank=True, db_index=True, editable=False)
    type = models.ForeignKey(
        DocumentType, verbose_name=_("type"), null=True, blank=True, on_delete=models.PROTECT, related_name="documents"
    )
    title = models.TextField(_("title (summary)"))
    issuer = models.ForeignKey(
        Issuer, verbose_name=_("issuer"), null=True, blank=True, on_delete=models.PROTECT, related_name="documents"
    )
    signer = models.CharField(_("signed by"), max_length=150, blank=True)
    signer_title = models.CharField(_("signer's title"), max_length=150, blank=True)
    issued_on = models.DateField(_("issue date"), null=True, blank=True)
    effective_on = models.DateField(_("effective date"), null=True, blank=True)
    level = models.CharField(_("level"), max_length=20, choices=Level.choices, blank=True)
    fields = models.ManyToManyField(Field, verbose_name=_("fields"), blank=True, related_name="documents")
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.IN_FORCE)
    access = models.CharField(_("access"), max_length=10, choices=Access.choices, default=Access.PUBLIC)
    access_units = models.ManyToManyField(
        "orgs.Unit",
        verbose_name=_("units that may read it"),
        blank=True,
        related_name="+",
        help_text=_("For “named units only”: these units and the units under them."),
    )
    unit = models.ForeignKey(
        "orgs.Unit",
        verbose_name=_("filed by unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="documents",
    )
    # The text of all files, pages separated by a form feed; folded_text is fold_aligned(full_text).
    full_text = models.TextField(_("full text"), blank=True)
    folded_text = models.TextField(blank=True, editable=False)
    page_map = models.JSONField(default=list, editable=False)  # [[file id, pages], …] in the order of full_text
    search_head = models.TextField(blank=True, editable=False)  # folded number, type, title, issuer (+ accented)
    # PostgreSQL full text over the folded text, GIN-indexed (migration 0002); SQLite uses an FTS5 table instead.
    search_vector = SearchVectorField(null=True, editable=False)
    title_vector = SearchVectorField(null=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = NEWEST_FIRST
        indexes = [  # on PostgreSQL with NULLS LAST, as NEWEST_FIRST reads them (migration 0008)
            models.Index(fields=["-issued_on", "-id"], name="documents_newest"),
            models.Index(fields=["access", "-issued_on", "-id"], name="documents_access_newest"),
        ]
        permissions = [("import_document", "Can import documents")]
        verbose_name = _("document")
        verbose_name_plural = _("documents")

    def __str__(self):
        return f"{self.number} {self.title}".strip() if self.number else self.title

    def get_absolute_url(self):
        return reverse("documents:detail", args=[self.pk])

    @property
    def heading(self) -> str:
        """ "Chỉ thị 19-CT/TW" or the title when there is no number."""
        parts = [str(self.type) if self.type else "", self.number]
        return " ".join(part for part in parts if part) or self.title


class DocumentFile(models.Model):
    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="files")
    scan = models.OneToOneField("digitise.Scan", on_delete=models.PROTECT, related_name="+")
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "id"]
        verbose_name = _("file")
        verbose_name_plural = _("files")

    def __str__(self):
        return self.scan.name


class RelationKind(models.TextChoices):
    """Each kind reads one way from the source and the other way from the target."""

    REPLACES = "replaces", _("replaces")
    AMENDS = "amends", _("amends")
    GUIDES = "guides", _("guides")
    BASED_ON = "based_on", _("is based on")
    REPEALS = "repeals", _("repeals")
    IMPLEMENTS = "implements", _("implements")


INVERSE_LABELS = {
    RelationKind.REPLACES: _("replaced by"),
    RelationKind.AMENDS: _("amended by"),
    RelationKind.GUIDES: _("guided by"),
    RelationKind.BASED_ON: _("basis for"),
    RelationKind.REPEALS: _("repealed by"),
    RelationKind.IMPLEMENTS: _("implemented by"),
}


class Relation(models.Model):
    source = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="relations_out")
    kind = models.CharField(_("relation"), max_length=20, choices=RelationKind.choices)
    target = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="relations_in")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["source", "kind", "target"], name="documents_relation_unique"),
            models.CheckConstraint(condition=~models.Q(source=models.F("target")), name="documents_relation_not_self"),
        ]
        verbose_name = _("relation")
        verbose_name_plural = _("relations")

    def __str__(self):
        return f"{self.source} {self.get_kind_display()} {self.target}"


class Suggestion(models.Model):
    """Metadata and relations read from a file's first page ("Số 19-CT/TW", "Căn cứ …"), for staff to confirm."""

    document = models.OneToOneField(Document, on_delete=models.CASCADE, related_name="suggestion")
    values = models.JSONField(default=dict)  # number, type, issued_on (ISO), issuer, place
    related_numbers = models.JSONField(default=list)  # numbers named in "Căn cứ …" lines
    created_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("suggestion")
        verbose_name_plural = _("suggestions")

    def __str__(self):
        return str(self.document)


class ImportRun(models.Model):
    """One bulk import: its rows are applied in the background and it resumes where it stopped."""

    class Status(models.TextChoices):
        WAITING = "waiting", _("Waiting")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    folder = models.CharField(max_length=500)  # where the files of the import are kept
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.WAITING)
    rows_total = models.PositiveIntegerField(default=0)
    rows_done = models.PositiveIntegerField(default=0)
    created = models.PositiveIntegerField(default=0)
    updated = models.PositiveIntegerField(default=0)
    errors = models.JSONField(default=list)  # ["Dòng 3: …"]
    unit = models.ForeignKey("orgs.Unit", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("document import")
        verbose_name_plural = _("document imports")

    def __str__(self):
        return f"{self.folder} ({self.rows_done}/{self.rows_total})"

    @property
    def percent(self) -> int:
        return 100 if not self.rows_total else int(100 * self.rows_done / self.rows_total)


def store_mark() -> int:
    return secrets.randbits(31)


class StoreChange(models.Model):
    """One row per change of the documents store (a document, a document's access, a type or an issuer), written in
    the change's own transaction. The store's version is the count and the sum of the random marks of the rows
    (selectors.documents_version), and what searches keep in the cache (facets, counts, lists of ids) is keyed by it.
    So every process, web server or task worker, with a cache of its own (local memory) or a shared one (Redis),
    stops serving what it kept before a change as soon as that change is committed, wherever it was made: an import
    or an OCR run in the worker included.

    Rows, not one counter: each writer would hold a counter row locked until it commits. Every row counts, not the
    newest: on PostgreSQL a change may commit after a later one, with a lower id. Random marks, not the ids: SQLite
    gives the id of a row rolled back to the next one, and two databases count ids alike where they share a Redis.

    The rows of changes of a type or an issuer (`lists`) give the version of the lists of types and issuers that
    searches name facets and hits with (selectors.lists_version), which a change of a document leaves as it was."""

    mark = models.BigIntegerField(default=store_mark)
    # A change of a type or an issuer: the lists that name them move too (selectors._lists).
    lists = models.BooleanField(_("of a type or an issuer"), default=False)

    class Meta:
        verbose_name = _("change of the documents store")
        verbose_name_plural = _("changes of the documents store")

    def __str__(self):
        return str(self.pk)


class FacetTally(models.Model):
    """How many documents stand in each group of facet values (access, type, level, status, issuer, year of issue):
    the counts of a search page without words, and the total that estimates of many matches are scaled to, read
    from a few thousand groups instead of every document (selectors._facets_tallied).

    Kept by the database itself, as the full-text index is (triggers of migration 0013), so that no write escapes
    it: each insert, delete or change of those columns adds rows of +n and -n for its groups, and never updates a
    row, so no writer waits for another (as with StoreChange). The rows of a group are summed when read, and folded
    into one row per group now and then (services.facet_tallies_fold)."""

    access = models.CharField(max_length=10)
    type_id = models.IntegerField(null=True)
    level = models.CharField(max_length=20)
    status = models.CharField(max_length=20)
    issuer_id = models.IntegerField(null=True)
    year = models.IntegerField(null=True)
    n = models.IntegerField()

    class Meta:
        verbose_name = _("tally of documents")
        verbose_name_plural = _("tallies of documents")

    def __str__(self):
        return f"{self.access} {self.type_id} {self.level} {self.status} {self.issuer_id} {self.year}: {self.n}"
