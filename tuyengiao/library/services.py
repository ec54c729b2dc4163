"""Writes of the library: add or change a book, prepare it for reading once its text is read, keep a reader's
place, count readings.

A book's PDF is digitised by the `digitise` app (text layer or OCR, page by page). When that is done,
`book_prepare` (task worker) copies the pages' text here and makes the web edition, page images, thumbnails,
cover and table of contents, then publishes the book in one transaction. A new PDF for a published book keeps
the old edition online until the new one is ready.
"""

import logging
import secrets
import tempfile
from functools import partial
from pathlib import Path

from django.core.files import File
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from tuyengiao.core.errors import DomainError
from tuyengiao.core.files import FileCheckError, upload_read
from tuyengiao.core.services import audit_record
from tuyengiao.core.text import fold_aligned, nfc, search_text
from tuyengiao.digitise.models import Scan
from tuyengiao.digitise.services import files_delete, scan_create, scan_delete, upload_spool
from tuyengiao.library import renditions
from tuyengiao.library.models import Book, BookPage, BookReadDay, ReadingPosition

logger = logging.getLogger(__name__)

COVER_MAX_BYTES = 10 * 1024 * 1024


class BookError(DomainError):
    code = "invalid_book"


def search_head(book: Book) -> str:
    """What the book-level search matches: the folded words of the title, authors, publisher, subjects and
    collection, between single spaces with a space at each end (core.text.search_text), so that whole words
    are found with a substring test."""
    parts = [book.title, book.authors, book.publisher, book.subjects]
    if book.collection_id:
        parts.append(book.collection.name)
    if book.kind == Book.Kind.BULLETIN and book.issue_number and book.year:
        parts.append(f"so {book.issue_number} {book.year}")
    return search_text(" ".join(part for part in parts if part))


def book_save(
    book: Book,
    *,
    pdf=None,
    cover=None,
    epub=None,
    toc_text: str | None = None,
    user=None,
    request=None,
) -> Book:
    """Create or change a book; a new `pdf` (a File or UploadedFile) is checked by its content and digitised.

    Every file is checked before anything is stored: a refusal raises FileCheckError (or BookError) and leaves
    the book as it was.
    """
    creating = book.pk is None
    if creating and pdf is None:
        raise BookError(_("Choose the PDF file of the book."))
    cover_bytes = _cover_read(cover) if cover is not None else None
    epub_path = None
    with tempfile.TemporaryDirectory(prefix="library-") as tmp:
        if epub is not None:
            epub_path = Path(tmp) / "book.epub"
            upload_spool(epub, epub_path)  # the limit of every upload (DIGITISE_MAX_BYTES)
            renditions.epub_check(epub_path)
        if toc_text is not None:
            book.toc = renditions.toc_parse(toc_text, book.pages_total or None)
            book.toc_manual = bool(book.toc)
        with transaction.atomic():
            old_scan = None
            if pdf is not None:
                scan = scan_create(pdf, name=getattr(pdf, "name", None), unit=book.unit, user=user)
                if scan.kind != Scan.Kind.PDF:  # the row goes with the rollback; its stored file goes here
                    scan.original.storage.delete(scan.original.name)
                    raise FileCheckError(_("A book must be a PDF file."))
                old_scan = book.scan if not creating else None
                book.scan = scan
                if book.status == Book.Status.FAILED or creating:
                    book.status = Book.Status.PROCESSING
                book.error = ""
            if cover_bytes is not None:
                _file_replace(book.cover, f"cover-{secrets.token_hex(8)}.webp", cover_bytes)
                book.cover_given = True
            if epub_path is not None:
                with open(epub_path, "rb") as file:
                    _file_replace(book.epub, f"book-{secrets.token_hex(8)}.epub", file)
            book.search_head = search_head(book)
            try:
                with transaction.atomic():
                    book.save()
            except IntegrityError as error:
                raise BookError(
                    _("Issue %(number)s of %(year)s is already in the library.")
                    % {"number": book.issue_number, "year": book.year}
                ) from error
            if old_scan is not None:
                scan_delete(old_scan)
            audit_record(
                actor=user,
                action="book.create" if creating else "book.update",
                obj=book,
                request=request,
                changes={"pdf": pdf is not None, "cover": cover is not None, "epub": epub is not None},
            )
    return book


def _cover_read(upload) -> bytes:
    upload.seek(0)
    return renditions.cover_normalise(upload_read(upload, max_bytes=COVER_MAX_BYTES))


def _file_replace(field_file, name: str, content) -> None:
    """Store new content in a file field; the old file goes once the change is committed."""
    old = field_file.name
    field_file.save(name, content if isinstance(content, File) else ContentFile(content), save=False)
    if old:
        storage = field_file.storage
        transaction.on_commit(partial(files_delete, [(storage, old)]))


def book_prepare_enqueue(scan: Scan) -> None:
    """The scan's text is ready or was corrected: prepare its book (if it has one) in the task worker."""
    book_id = Book.objects.filter(scan=scan).values_list("pk", flat=True).first()
    if book_id is None:
        return
    from tuyengiao.library.tasks import book_prepare_task

    transaction.on_commit(partial(book_prepare_task.enqueue, book_id))


def book_prepare(book: Book) -> Book:
    """Make the book ready to read from its digitised PDF; publish it (or mark it failed with a message).

    A published book whose pages are already made from this scan only gets its pages' text refreshed (a page
    was proofread).
    """
    scan = Scan.objects.get(pk=book.scan_id)
    if scan.status != Scan.Status.DONE:
        if scan.status == Scan.Status.FAILED and book.status == Book.Status.PROCESSING:
            Book.objects.filter(pk=book.pk).update(status=Book.Status.FAILED, error=scan.error)
        return book
    texts = dict(scan.pages.values_list("number", "text"))
    if book.status == Book.Status.PUBLISHED and book.pages_total == scan.pages_total and _made_from(book, scan):
        _texts_refresh(book, texts)
        return book
    try:
        made = _editions_make(book, scan, texts)
    except Exception:
        logger.exception("book %s could not be prepared", book.pk)
        Book.objects.filter(pk=book.pk, scan_id=scan.pk).update(
            status=Book.Status.FAILED,
            error=_("The book could not be prepared for reading. Check that the PDF opens and upload it again."),
        )
        raise
    return made


def _made_from(book: Book, scan: Scan) -> bool:
    return (
        bool(book.web_pdf)
        and book.published_at is not None
        and scan.finished_at is not None
        and book.published_at >= scan.finished_at
    )


def _texts_refresh(book: Book, texts: dict[int, str]) -> None:
    for page in BookPage.objects.filter(book=book).only("id", "number", "text"):
        text = nfc(texts.get(page.number, ""))
        if text != page.text:
            BookPage.objects.filter(pk=page.pk).update(text=text, folded_text=fold_aligned(text))


def _editions_make(book: Book, scan: Scan, texts: dict[int, str]) -> Book:
    """Write every file of the new edition, then swap it in at once; the old edition's files go after."""
    from tuyengiao.digitise.services import _local_copy

    storage = BookPage._meta.get_field("image").storage
    written: list[str] = []
    pages: list[BookPage] = []
    source_field = scan.searchable_pdf or scan.original
    try:
        with tempfile.TemporaryDirectory(prefix="library-") as tmp, _local_copy(source_field) as source:
            web = Path(tmp) / "web.pdf"
            renditions.web_edition_write(source, web)
            toc = book.toc if book.toc_manual else renditions.outline_read(source)
            cover = None
            for made in renditions.page_images(web):
                text = nfc(texts.get(made.number, ""))
                page = BookPage(
                    book=book,
                    number=made.number,
                    text=text,
                    folded_text=fold_aligned(text),
                    width=made.width,
                    height=made.height,
                )
                token = secrets.token_hex(6)
                page.image.name = storage.save(
                    f"library/pages/{book.pk}/{made.number}-{token}.webp", ContentFile(made.image)
                )
                written.append(page.image.name)
                page.thumb.name = storage.save(
                    f"library/thumbs/{book.pk}/{made.number}-{token}.webp", ContentFile(made.thumb)
                )
                written.append(page.thumb.name)
                pages.append(page)
                if made.number == 1 and not book.cover_given:
                    cover = renditions.cover_from_page(made.image)
            with open(web, "rb") as file:
                web_name = storage.save(f"library/web/{book.pk}-{secrets.token_hex(8)}.pdf", File(file))
            written.append(web_name)
            cover_name = None
            if cover is not None:
                cover_name = storage.save(f"library/covers/{book.pk}-{secrets.token_hex(8)}.webp", ContentFile(cover))
                written.append(cover_name)
        with transaction.atomic():
            # order_by(): the default ordering joins the collection, and PostgreSQL locks no outer join
            locked = Book.objects.select_for_update().filter(pk=book.pk, scan_id=scan.pk).order_by().first()
            if locked is None:  # deleted, or a newer PDF came meanwhile: this edition is not wanted
                files_delete([(storage, name) for name in written])
                return book
            old = [name for page in locked.pages.all() for name in (page.image.name, page.thumb.name) if name]
            old += [name for name in (locked.web_pdf.name,) if name]
            if cover_name and locked.cover.name:
                old.append(locked.cover.name)
            locked.pages.all().delete()
            BookPage.objects.bulk_create(pages, batch_size=500)
            locked.web_pdf.name = web_name
            if cover_name:
                locked.cover.name = cover_name
            if not locked.toc_manual:
                locked.toc = toc
            locked.pages_total = len(pages)
            locked.status = Book.Status.PUBLISHED
            locked.error = ""
            locked.published_at = timezone.now()
            locked.save(
                update_fields=[
                    "web_pdf",
                    "cover",
                    "toc",
                    "pages_total",
                    "status",
                    "error",
                    "published_at",
                    "updated_at",
                ]
            )
            transaction.on_commit(partial(files_delete, [(storage, name) for name in old]))
            return locked
    except BaseException:
        files_delete([(storage, name) for name in written])
        raise


@transaction.atomic
def book_delete(book: Book, *, user=None, request=None) -> None:
    """Delete the book, its pages and, once committed, every file of it and its scan."""
    book = Book.objects.select_for_update().filter(pk=book.pk).order_by().first()  # no join to lock (see above)
    if book is None:
        return
    storage = BookPage._meta.get_field("image").storage
    names = [name for page in book.pages.all() for name in (page.image.name, page.thumb.name) if name]
    names += [field.name for field in (book.web_pdf, book.cover, book.epub) if field.name]
    scan = Scan.objects.filter(pk=book.scan_id).first()
    audit_record(actor=user, action="book.delete", obj=book, request=request, changes={"title": book.title})
    book.delete()
    if scan is not None:
        scan_delete(scan)
    transaction.on_commit(partial(files_delete, [(storage, name) for name in names]))


def reading_position_save(user, book: Book, page: int) -> ReadingPosition:
    """Keep where a signed-in reader is in a book (the last page shown)."""
    page = max(1, min(int(page), book.pages_total or 1))
    position, _created = ReadingPosition.objects.update_or_create(user=user, book=book, defaults={"page": page})
    return position


def book_read_count(book: Book) -> None:
    """Count one opening of the book in the reader (for the commission's statistics; nobody is recorded)."""
    today = timezone.localdate()
    with transaction.atomic():
        updated = BookReadDay.objects.filter(book=book, day=today).update(count=F("count") + 1)
        if not updated:
            try:
                with transaction.atomic():
                    BookReadDay.objects.create(book=book, day=today, count=1)
            except IntegrityError:
                BookReadDay.objects.filter(book=book, day=today).update(count=F("count") + 1)
        Book.objects.filter(pk=book.pk).update(reads=F("reads") + 1)
