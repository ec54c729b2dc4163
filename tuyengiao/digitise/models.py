"""Scans: uploaded paper documents (PDF, images, Word files) and the text of each of their pages.

`digitise` knows nothing of the apps that use it (documents, library): they keep a link to a Scan, show its
progress (templates/digitise/includes/scan_progress.html), re-read `scan.text()` when `signals.scan_finished`
says it changed, and call `services.scan_delete` when they no longer need it (its files go with it).
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from tuyengiao.core.files import private_storage

PAGE_SEPARATOR = "\n\f\n"


class Scan(models.Model):
    """One uploaded file and the state of its digitisation."""

    class Status(models.TextChoices):
        WAITING = "waiting", _("Waiting")
        RUNNING = "running", _("Being read")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    class Kind(models.TextChoices):
        PDF = "pdf", _("PDF")
        IMAGE = "image", _("Image")
        DOCX = "docx", _("Word document")

    class Method(models.TextChoices):
        TEXT = "text", _("Text layer of the PDF")
        OCR = "ocr", _("Character recognition (OCR)")
        DOCX = "docx", _("Text of the Word document")
        MIXED = "mixed", _("Text layer and OCR")

    original = models.FileField(
        _("original file"), upload_to="digitise/originals/%Y/%m/", max_length=255, storage=private_storage
    )
    name = models.CharField(_("file name"), max_length=255)
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices)
    size = models.PositiveBigIntegerField(_("size in bytes"))
    sha256 = models.CharField(_("SHA-256"), max_length=64, db_index=True)
    unit = models.ForeignKey(
        "orgs.Unit", verbose_name=_("unit"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(_("status"), max_length=8, choices=Status.choices, default=Status.WAITING, db_index=True)
    pages_total = models.PositiveIntegerField(_("pages"), default=0)
    pages_done = models.PositiveIntegerField(_("pages read"), default=0)
    error = models.TextField(_("error"), blank=True)
    method = models.CharField(_("method"), max_length=8, choices=Method.choices, blank=True)
    searchable_pdf = models.FileField(
        _("searchable PDF"),
        upload_to="digitise/searchable/%Y/%m/",
        blank=True,
        max_length=255,
        storage=private_storage,
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        verbose_name = _("scan")
        verbose_name_plural = _("scans")
        ordering = ["-created_at"]

    def __str__(self):
        return self.name

    @property
    def percent(self) -> int:
        if self.status == self.Status.DONE:
            return 100
        if not self.pages_total:
            return 0
        return max(0, min(100, self.pages_done * 100 // self.pages_total))

    @property
    def in_progress(self) -> bool:
        return self.status in (self.Status.WAITING, self.Status.RUNNING)

    def text(self) -> str:
        """The text of all pages in order, proofread where it was, pages separated by a form feed line."""
        return PAGE_SEPARATOR.join(self.pages.order_by("number").values_list("text", flat=True))


class ScanPage(models.Model):
    """One page of a scan: what the machine read and, once proofread, the corrected text."""

    class Method(models.TextChoices):
        TEXT = "text", _("Text layer of the PDF")
        OCR = "ocr", _("Character recognition (OCR)")
        DOCX = "docx", _("Text of the Word document")

    scan = models.ForeignKey(Scan, verbose_name=_("scan"), on_delete=models.CASCADE, related_name="pages")
    number = models.PositiveIntegerField(_("page"))
    method = models.CharField(_("method"), max_length=8, choices=Method.choices)
    text = models.TextField(_("text"), blank=True)
    machine_text = models.TextField(_("machine-read text"), blank=True)
    confidence = models.FloatField(_("OCR confidence"), null=True, blank=True)
    needs_proofreading = models.BooleanField(_("needs proofreading"), default=False, db_index=True)
    image = models.ImageField(
        _("page image"), upload_to="digitise/pages/%Y/%m/", blank=True, max_length=255, storage=private_storage
    )
    proofread_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("proofread by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    proofread_at = models.DateTimeField(_("proofread at"), null=True, blank=True)

    class Meta:
        verbose_name = _("scanned page")
        verbose_name_plural = _("scanned pages")
        ordering = ["scan", "number"]
        constraints = [models.UniqueConstraint(fields=["scan", "number"], name="digitise_scanpage_unique_number")]

    def __str__(self):
        return f"{self.scan.name} – {self.number}"

    @property
    def unit(self):
        """The unit that may proofread this page: the scan's (accounts.permissions reads `obj.unit`)."""
        return self.scan.unit
