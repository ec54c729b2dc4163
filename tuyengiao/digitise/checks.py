"""Checks of an uploaded file by its content, cheap enough to run in the upload request.

Each refusal is a FileCheckError whose message says what is wrong and what to do. Nothing here extracts,
renders or decompresses more than a few bytes: the heavy work belongs to the task.
"""

import warnings
import zipfile
from pathlib import Path

import pypdfium2 as pdfium
from django.conf import settings
from django.utils.translation import gettext as _
from PIL import Image
from pypdf import PdfReader

from tuyengiao.core.files import FileCheckError

DEFAULT_MAX_BYTES = 50 * 1024 * 1024
DEFAULT_MAX_PAGES = 500
DOCX_MAX_UNCOMPRESSED = 100 * 1024 * 1024
DOCX_MAX_RATIO = 100
# A member smaller than this cannot hurt whatever its ratio (an empty XML part compresses very well).
DOCX_RATIO_MIN_SIZE = 1024 * 1024

# What the content is, by its first bytes: (kind, format label used in messages)
PDF, PNG, JPEG, TIFF, DOCX = "pdf", "png", "jpeg", "tiff", "docx"
FORMAT_LABELS = {PDF: "PDF", PNG: "PNG", JPEG: "JPEG", TIFF: "TIFF", DOCX: "Word (.docx)"}
EXTENSIONS = {
    ".pdf": PDF,
    ".png": PNG,
    ".jpg": JPEG,
    ".jpeg": JPEG,
    ".jpe": JPEG,
    ".tif": TIFF,
    ".tiff": TIFF,
    ".docx": DOCX,
}
IMAGE_FORMATS = {PNG, JPEG, TIFF}
KIND_OF_FORMAT = {PDF: "pdf", PNG: "image", JPEG: "image", TIFF: "image", DOCX: "docx"}


def max_bytes() -> int:
    return getattr(settings, "DIGITISE_MAX_BYTES", DEFAULT_MAX_BYTES)


def max_pages() -> int:
    return getattr(settings, "DIGITISE_MAX_PAGES", DEFAULT_MAX_PAGES)


def size_check(size: int) -> None:
    limit = max_bytes()
    if size > limit:
        raise FileCheckError(
            _("The file is %(size).1f MB; at most %(max).1f MB is accepted. Split it into smaller files.")
            % {"size": size / 1024 / 1024, "max": limit / 1024 / 1024},
            code="too_large",
        )
    if size == 0:
        raise FileCheckError(_("The file is empty. Choose the file again."), code="empty")


def sniff(head: bytes) -> str | None:
    """The format of a file from its first bytes (at least 1 KB), or None if it is none we read."""
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith((b"II*\x00", b"MM\x00*")):
        return TIFF
    if head.startswith(b"PK\x03\x04"):
        return DOCX
    if b"%PDF-" in head[:1024]:  # PDF readers accept a little junk before the header
        return PDF
    return None


def format_check(path: Path, name: str) -> str:
    """Check the file at `path` (uploaded as `name`) and return its format (PDF, PNG, JPEG, TIFF, DOCX)."""
    fmt = kind_check(path, name)
    {PDF: pdf_check, DOCX: docx_check}.get(fmt, image_check)(path)
    return fmt


def quick_problem(path: Path) -> str:
    """What the size and first bytes of the file at `path` tell is wrong with it, as its message (size_check,
    kind_check): empty, too large, not a kind we read, or not what its name says (an image named .pdf); "" if
    nothing. For the preview of an import, before anything is stored: no file is parsed, only its first 2 KB read, so
    thousands of files are checked in a moment. A damaged or locked PDF or a ZIP bomb is found when the file is
    stored (format_check)."""
    try:
        size_check(path.stat().st_size)
        kind_check(path, path.name)
    except FileCheckError as error:
        return error.message
    return ""


def kind_check(path: Path, name: str) -> str:
    """The format of the file at `path` (named `name`) from its first bytes, refused when it is none we read or
    not what its name says. Only the first 2 KB are read; format_check then parses the file."""
    with open(path, "rb") as file:
        head = file.read(2048)
    fmt = sniff(head)
    if fmt is None:
        raise FileCheckError(
            _(
                "This kind of file cannot be read. Upload a PDF, a scanned image (PNG, JPEG or TIFF) "
                "or a Word document (.docx)."
            ),
            code="unknown_type",
        )
    extension = Path(name).suffix.lower()
    named = EXTENSIONS.get(extension)
    # An image in another image format than its name says is harmless; anything else is a mistake.
    if named is not None and named != fmt and not {named, fmt} <= IMAGE_FORMATS:
        raise FileCheckError(
            _(
                "The file is named %(extension)s but holds a %(format)s file. Check that you chose the right "
                "file, or rename it to match its content."
            )
            % {"extension": extension, "format": FORMAT_LABELS[fmt]},
            code="name_mismatch",
        )
    return fmt


def pdf_check(path: Path) -> int:
    """Open the PDF and return its page count; refuse damaged, password-protected, empty or too long ones."""
    try:
        document = pdfium.PdfDocument(str(path))
    except pdfium.PdfiumError as error:
        # pdfium's error code is not reliable (it can be left over from an earlier file): ask pypdf why.
        raise _pdf_refusal(path) from error
    try:
        pages = len(document)
    finally:
        document.close()
    if pages == 0:
        raise _no_pages()
    if pages > max_pages():
        raise FileCheckError(
            _("The PDF has %(pages)d pages; at most %(max)d are accepted. Split it into smaller files.")
            % {"pages": pages, "max": max_pages()},
            code="too_many_pages",
        )
    return pages


def _pdf_refusal(path: Path) -> FileCheckError:
    """The reason pdfium could not open a PDF: a password, no pages at all, or damage."""
    try:
        reader = PdfReader(path, strict=False)
        if reader.is_encrypted and not reader.decrypt(""):
            return FileCheckError(
                _("The PDF is protected by a password. Save a copy without the password and upload that."),
                code="encrypted",
            )
        if len(reader.pages) == 0:
            return _no_pages()
    except Exception:  # noqa: BLE001 S110 (pypdf cannot read it either: it is damaged)
        pass
    return FileCheckError(
        _("The PDF is damaged and cannot be opened. Save or export it again and upload the new file."),
        code="corrupt",
    )


def _no_pages() -> FileCheckError:
    return FileCheckError(_("The PDF has no pages. Check that you chose the right file."), code="no_pages")


def docx_check(path: Path) -> None:
    """A Word file is a ZIP archive: refuse a damaged one, one that is not Word, or a ZIP bomb, before extracting."""
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as error:
        raise FileCheckError(
            _("The Word document is damaged and cannot be opened. Save it again in Word and upload the new file."),
            code="corrupt",
        ) from error
    if "word/document.xml" not in {member.filename for member in members}:
        raise FileCheckError(
            _(
                "The file is a ZIP archive, not a Word document (.docx). Upload the document itself; "
                "old .doc files must first be saved as .docx."
            ),
            code="not_docx",
        )
    total = sum(member.file_size for member in members)
    swollen = any(
        member.file_size > DOCX_RATIO_MIN_SIZE and member.file_size > DOCX_MAX_RATIO * max(member.compress_size, 1)
        for member in members
    )
    if total > DOCX_MAX_UNCOMPRESSED or swollen:
        raise FileCheckError(
            _(
                "The Word document would expand to far more data than a document holds and was refused for "
                "safety. Save it again in Word (without embedded files) and upload the new file."
            ),
            code="zip_bomb",
        )


def image_check(path: Path) -> int:
    """Verify the image and return its number of frames (pages); refuse damaged or oversized ones."""
    damaged = FileCheckError(
        _("The image is damaged and cannot be opened. Scan the page again or export the image anew."),
        code="corrupt",
    )
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(path) as image:
                image.verify()
            with Image.open(path) as image:
                frames = getattr(image, "n_frames", 1)
                if frames > max_pages():
                    raise FileCheckError(
                        _("The image has %(pages)d pages; at most %(max)d are accepted. Split it into smaller files.")
                        % {"pages": frames, "max": max_pages()},
                        code="too_many_pages",
                    )
                for index in range(frames):
                    image.seek(index)
                    pixels_check(image.size)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
        raise _too_many_pixels() from error
    except FileCheckError:
        raise
    except (OSError, SyntaxError, ValueError, EOFError) as error:
        raise damaged from error
    return frames


def pixels_check(size: tuple[int, int]) -> None:
    limit = Image.MAX_IMAGE_PIXELS
    if limit and size[0] * size[1] > limit:
        raise _too_many_pixels()


def _too_many_pixels() -> FileCheckError:
    return FileCheckError(
        _("The image is too large (%(max)d million pixels at most). Scan at 300 dpi and upload again.")
        % {"max": (Image.MAX_IMAGE_PIXELS or 0) // 1_000_000},
        code="too_many_pixels",
    )
