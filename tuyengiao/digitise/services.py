"""Writes of digitisation: accept an upload, read its pages, record proofreading, delete a scan and its files.

A scan may be deleted while the task is reading it (its document was deleted): each write of the task locks
the scan's row first and stops with ScanGone when the row is no longer there, so that the task ends quietly and
leaves no page or file behind; `scan_delete` takes the same lock.
"""

import hashlib
import logging
import os
import secrets
import shutil
import tempfile
from contextlib import closing, contextmanager
from functools import partial
from pathlib import Path

from django.conf import settings
from django.core.files import File
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.text import get_valid_filename
from django.utils.translation import gettext as _

from tuyengiao.core.errors import DomainError
from tuyengiao.core.services import audit_record
from tuyengiao.core.text import nfc
from tuyengiao.digitise import checks, pipeline
from tuyengiao.digitise.models import Scan, ScanPage
from tuyengiao.digitise.signals import scan_finished

logger = logging.getLogger(__name__)

CHUNK = 1024 * 1024
DEFAULT_PROOFREAD_BELOW = 80
EXTENSION_OF_FORMAT = {"pdf": ".pdf", "png": ".png", "jpeg": ".jpg", "tiff": ".tif", "docx": ".docx"}


class ScanError(DomainError):
    """A scan could not be read; the message is for the person who uploaded it."""

    code = "scan_failed"


class ScanGone(Exception):
    """The scan was deleted while it was being read: there is nothing left to store the work in."""

    def __init__(self, scan_id: int):
        super().__init__(f"scan {scan_id} was deleted")
        self.scan_id = scan_id


def scan_create(upload, *, name: str | None = None, unit=None, user=None) -> Scan:
    """Check an upload by its content and queue its digitisation.

    `upload` is a Django File/UploadedFile or bytes. Refusals raise FileCheckError before anything is stored;
    the size is checked before reading, and the bytes go to disk in chunks, never whole into memory.
    """
    if isinstance(upload, bytes | bytearray | memoryview):
        upload = ContentFile(bytes(upload), name=name or "")
    name = Path(name or getattr(upload, "name", None) or "scan").name[:255]
    declared = getattr(upload, "size", None)
    if declared is not None:
        checks.size_check(declared)
    with tempfile.TemporaryDirectory(prefix="digitise-upload-") as workdir:
        path = Path(workdir) / "upload"
        size, sha256 = upload_spool(upload, path)
        fmt = checks.format_check(path, name)
        with transaction.atomic():
            scan = Scan(
                name=name,
                kind=checks.KIND_OF_FORMAT[fmt],
                size=size,
                sha256=sha256,
                unit=unit,
                created_by=user if getattr(user, "is_authenticated", False) else None,
            )
            with open(path, "rb") as file:
                scan.original.save(_stored_name(name, fmt), File(file), save=False)
            scan.save()
            transaction.on_commit(partial(_enqueue, scan.pk))
    return scan


def _enqueue(scan_id: int) -> None:
    from tuyengiao.digitise.tasks import scan_process_task

    scan_process_task.enqueue(scan_id)


def upload_spool(upload, path: Path) -> tuple[int, str]:
    """Copy the upload to `path` chunk by chunk; return its size and SHA-256. Refuses it (FileCheckError) once
    it is larger than DIGITISE_MAX_BYTES, and when it is empty."""
    if hasattr(upload, "seek"):
        upload.seek(0)
    chunks = upload.chunks(CHUNK) if hasattr(upload, "chunks") else iter(partial(upload.read, CHUNK), b"")
    digest, size, limit = hashlib.sha256(), 0, checks.max_bytes()
    with open(path, "wb") as file:
        for chunk in chunks:
            size += len(chunk)
            if size > limit:
                checks.size_check(size)
            digest.update(chunk)
            file.write(chunk)
    checks.size_check(size)
    return size, digest.hexdigest()


def _stored_name(name: str, fmt: str) -> str:
    """The uploaded name with a random part: media URLs are public, so they must not be guessable."""
    stem = get_valid_filename(Path(name).stem)[:80] or "scan"
    return f"{stem}-{secrets.token_hex(8)}{EXTENSION_OF_FORMAT[fmt]}"


def proofread_below() -> float:
    return getattr(settings, "DIGITISE_PROOFREAD_BELOW", DEFAULT_PROOFREAD_BELOW)


def ocr_workers() -> int:
    return getattr(settings, "DIGITISE_OCR_WORKERS", None) or min(os.cpu_count() or 1, 4)


def scan_process(scan: Scan) -> None:
    """Read every page of the scan, store the pages and the searchable PDF; DONE, or FAILED and raise.

    Running it again redoes the pages from the original file (which is never changed). Raises ScanGone, having
    stored nothing more, when the scan is deleted meanwhile.
    """
    _scan_start(scan)
    try:
        with tempfile.TemporaryDirectory(prefix="digitise-") as tmp, _local_copy(scan.original) as original:
            workdir = Path(tmp)
            if scan.kind == Scan.Kind.DOCX:
                jobs = [pipeline.docx_result(original)]
                pages_total = 1
            elif scan.kind == Scan.Kind.PDF:
                pages_total = checks.pdf_check(original)
                jobs = pipeline.pdf_jobs(original, workdir)
            else:
                pages_total = checks.image_check(original)
                jobs = pipeline.image_jobs(original, workdir)
            _scan_update(scan, pages_total=pages_total)
            # closing(): the OCR threads are done before the temporary folder goes, even when a page fails
            with closing(pipeline.pages_in_order(jobs, ocr_workers())) as pages:
                results = [_page_save(scan, result) for result in pages]
            searchable = workdir / "searchable.pdf"
            if not _searchable_pdf_write(scan, original, results, searchable):
                searchable = None
            _scan_finish(scan, results, searchable)
    except ScanGone:
        logger.info("scan %s was deleted while being read", scan.pk)
        raise
    except Exception as error:
        _scan_fail(scan, error)
        raise
    scan_finished.send(sender=Scan, scan=scan)


def _scan_lock(scan: Scan) -> None:
    """Lock the scan's row until the end of the transaction; ScanGone if it was deleted."""
    if not Scan.objects.select_for_update().filter(pk=scan.pk).values_list("pk", flat=True):
        raise ScanGone(scan.pk)


def _scan_update(scan: Scan, **values) -> None:
    """Set `values` on the scan and its row; ScanGone if the row was deleted."""
    for field, value in values.items():
        setattr(scan, field, value)
    if not Scan.objects.filter(pk=scan.pk).update(**values):
        raise ScanGone(scan.pk)


def _searchable_pdf_write(scan: Scan, original: Path, results: list, target: Path) -> bool:
    """Write the searchable PDF to `target`. The text is what matters: a PDF that cannot be rewritten only
    loses this file."""
    try:
        return pipeline.searchable_pdf_write(scan.kind, original, results, target)
    except Exception:
        logger.exception("no searchable PDF for scan %s", scan.pk)
        return False


def _scan_finish(scan: Scan, results: list, searchable: Path | None) -> None:
    methods = {result.method for result in results}
    with transaction.atomic():
        _scan_lock(scan)
        if searchable is not None:
            with open(searchable, "rb") as file:
                scan.searchable_pdf.save(f"{Path(scan.original.name).stem}.pdf", File(file), save=False)
        stored = scan.searchable_pdf.name
        try:
            _scan_update(
                scan,
                method=methods.pop() if len(methods) == 1 else Scan.Method.MIXED,
                status=Scan.Status.DONE,
                finished_at=timezone.now(),
                searchable_pdf=stored,
            )
        except BaseException:
            if stored:
                scan.searchable_pdf.storage.delete(stored)
            raise


def _scan_start(scan: Scan) -> None:
    with transaction.atomic():
        _scan_lock(scan)
        old_files = [(page.image.storage, page.image.name) for page in scan.pages.exclude(image="")]
        if scan.searchable_pdf:
            old_files.append((scan.searchable_pdf.storage, scan.searchable_pdf.name))
        scan.pages.all().delete()
        _scan_update(
            scan,
            status=Scan.Status.RUNNING,
            started_at=timezone.now(),
            finished_at=None,
            pages_done=0,
            error="",
            method="",
            searchable_pdf="",
        )
        transaction.on_commit(partial(files_delete, old_files))


def _page_save(scan: Scan, result: pipeline.PageResult) -> pipeline.PageResult:
    page = ScanPage(
        scan=scan,
        number=result.number,
        method=result.method,
        text=result.text,
        machine_text=result.text,
        confidence=result.confidence,
        needs_proofreading=result.confidence is not None and result.confidence < proofread_below(),
    )
    with transaction.atomic():
        _scan_lock(scan)
        if result.preview:
            name = f"scan-{scan.pk}-page-{result.number}-{secrets.token_hex(8)}.webp"
            page.image.save(name, ContentFile(result.preview), save=False)
        try:
            page.save()
            _scan_update(scan, pages_done=result.number)
        except BaseException:
            if page.image:
                page.image.storage.delete(page.image.name)
            raise
    return result


def _scan_fail(scan: Scan, error: Exception) -> None:
    if isinstance(error, DomainError):
        message = error.message
    elif isinstance(error, pipeline.PageReadError):
        message = _(
            "Page %(number)d could not be read by the character recognition. Upload the file again; if it fails "
            "again, scan that page anew."
        ) % {"number": error.number}
    else:
        message = _(
            "The file could not be read. Check that it opens on your computer and upload it again; if it fails "
            "again, save or scan it anew."
        )
    try:
        _scan_update(scan, status=Scan.Status.FAILED, error=message, finished_at=timezone.now())
    except ScanGone as gone:
        # deleted meanwhile: its original file may have gone from under the reading, which is why it failed
        logger.info("scan %s was deleted while being read", scan.pk)
        raise gone from error


@transaction.atomic
def scan_delete(scan: Scan) -> None:
    """Delete the scan and its pages and, once that is committed, its files: the original, the searchable PDF
    and the page images. A task still reading it stops at its next write. A scan that is already gone is left
    as it is; one that another record still protects raises ProtectedError."""
    scan = Scan.objects.select_for_update().filter(pk=scan.pk).first()  # its files as they are now
    if scan is None:
        return
    files = [
        (field_file.storage, field_file.name)
        for field_file in (
            scan.original,
            scan.searchable_pdf,
            *(page.image for page in scan.pages.exclude(image="")),
        )
        if field_file
    ]
    scan.delete()
    transaction.on_commit(partial(files_delete, files))


def files_delete(files: list) -> None:
    """Remove stored files; one that cannot be removed is logged, the others still go."""
    for storage, name in files:
        try:
            storage.delete(name)
        except Exception:
            logger.exception("stored file %s could not be deleted", name)


@contextmanager
def _local_copy(field_file):
    """A path on this machine to the stored file (a temporary copy when the storage is remote)."""
    try:
        local = field_file.path
    except NotImplementedError:
        local = None
    if local:
        yield Path(local)
        return
    with tempfile.NamedTemporaryFile(prefix="digitise-original-") as copy, field_file.open("rb") as source:
        shutil.copyfileobj(source, copy, CHUNK)
        copy.flush()
        yield Path(copy.name)


def scan_page_proofread(page: ScanPage, *, text: str, user, request=None) -> ScanPage:
    """Store the corrected text of a page (the machine's stays in machine_text) and tell the scan's users."""
    text = nfc(text.replace("\r\n", "\n").replace("\r", "\n")).strip()
    with transaction.atomic():
        changed = text != page.text
        page.text = text
        page.needs_proofreading = False
        page.proofread_by = user if getattr(user, "is_authenticated", False) else None
        page.proofread_at = timezone.now()
        page.save(update_fields=["text", "needs_proofreading", "proofread_by", "proofread_at"])
        audit_record(
            actor=user,
            action="scan.proofread",
            obj=page,
            request=request,
            changes={"scan": page.scan_id, "page": page.number, "changed": changed},
        )
    scan_finished.send(sender=Scan, scan=page.scan)
    return page
