"""What the reader needs beside the text, made from the book's PDF, free of the database.

- the web edition: the PDF with its objects packed in object streams (qpdf, through pikepdf), so that a viewer
  asking by byte ranges shows the first page before the whole file has come;
- for each page an image for slow connections (WebP, about 900 px wide) and a thumbnail;
- the table of contents from the PDF's outline (bookmarks);
- checks of an EPUB given beside the PDF.
"""

import io
import os
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from functools import partial
from pathlib import Path

import pypdfium2 as pdfium
from django.utils.translation import gettext as _
from PIL import Image
from pypdf import PdfReader

from tuyengiao.core.files import FileCheckError

PAGE_WIDTH = 900  # a phone of 360 css px at a device pixel ratio of 2.5
THUMB_WIDTH = 160
COVER_WIDTH = 480
PAGE_QUALITY = 50
THUMB_QUALITY = 40
MAX_TOC_ENTRIES = 2000
EPUB_MAX_UNCOMPRESSED = 300 * 1024 * 1024
EPUB_MAX_RATIO = 200


@dataclass
class PageImages:
    number: int
    image: bytes
    thumb: bytes
    width: int
    height: int


def web_edition_write(source: Path, target: Path) -> None:
    """Write the web edition of `source` to `target`: objects packed into compressed object streams.

    A viewer asking by byte ranges then reads the page tree and the first page in a few requests. The file is
    not linearised: pdf.js 6 reads every page object of the page tree when it opens a document, and in a
    linearised file these lie spread over the whole file (measured on a 120-page book: 123 range requests and
    7.8 MB before page 1, against 5 requests and 261 KB with object streams and no linearisation).
    """
    import pikepdf  # imported here: it logs a line when loaded, and only the task worker needs it

    with pikepdf.open(source) as pdf:
        pdf.remove_unreferenced_resources()
        pdf.save(target, object_stream_mode=pikepdf.ObjectStreamMode.generate, compress_streams=True)


def page_images(path: Path, *, workers: int | None = None) -> Iterator[PageImages]:
    """Each page rendered as a WebP image and a thumbnail, in page order.

    pdfium renders in this thread (it is not thread-safe); the WebP encoding, which takes most of the time,
    runs in `workers` threads (digitise's ordered pool), so that both cores work on a book of hundreds of pages.
    """
    from tuyengiao.digitise.pipeline import pages_in_order

    def jobs():
        document = pdfium.PdfDocument(str(path))
        try:
            for index in range(len(document)):
                page = document[index]
                try:
                    width_pt, _height_pt = page.get_size()
                    image = page.render(scale=PAGE_WIDTH / width_pt, rev_byteorder=True).to_pil()
                finally:
                    page.close()
                yield partial(_page_encode, index + 1, image)
        finally:
            document.close()

    yield from pages_in_order(jobs(), workers or min(os.cpu_count() or 1, 4))


def _page_encode(number: int, image: Image.Image) -> PageImages:
    if image.mode not in ("RGB", "L"):
        image = image.convert("RGB")
    thumb = image.resize((THUMB_WIDTH, max(1, round(image.height * THUMB_WIDTH / image.width))))
    return PageImages(
        number=number,
        image=webp(image, PAGE_QUALITY),
        thumb=webp(thumb, THUMB_QUALITY),
        width=image.width,
        height=image.height,
    )


def webp(image: Image.Image, quality: int) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format="WEBP", quality=quality, method=2)  # twice as fast as 4, 3 % larger
    return buffer.getvalue()


def cover_from_page(page_image: bytes) -> bytes:
    """The cover made from the first page's image."""
    with Image.open(io.BytesIO(page_image)) as image:
        image = image.convert("RGB")
        height = round(image.height * COVER_WIDTH / image.width)
        return webp(image.resize((COVER_WIDTH, height), Image.Resampling.LANCZOS), 70)


def cover_normalise(data: bytes) -> bytes:
    """A cover given by staff, checked by its content and stored as WebP at most COVER_WIDTH wide."""
    try:
        with Image.open(io.BytesIO(data)) as image:
            if image.format not in ("JPEG", "PNG", "WEBP", "GIF"):
                raise FileCheckError(_("The cover must be a JPEG, PNG or WebP image."))
            if image.width * image.height > 40_000_000:
                raise FileCheckError(_("The cover image is too large; at most 40 megapixels are accepted."))
            image.load()
            image = image.convert("RGB")
    except (OSError, Image.DecompressionBombError) as error:
        raise FileCheckError(_("The cover is not an image that can be opened.")) from error
    if image.width > COVER_WIDTH:
        image = image.resize((COVER_WIDTH, round(image.height * COVER_WIDTH / image.width)), Image.Resampling.LANCZOS)
    return webp(image, 75)


def outline_read(path: Path) -> list[dict]:
    """The PDF's outline as [{"title", "page", "level"}] in reading order; [] when it has none or it is broken."""
    try:
        reader = PdfReader(path, strict=False)
        outline = reader.outline
    except Exception:  # noqa: BLE001 (a broken outline only means: no table of contents)
        return []
    entries: list[dict] = []

    def walk(items, level: int) -> None:
        for item in items:
            if len(entries) >= MAX_TOC_ENTRIES:
                return
            if isinstance(item, list):
                walk(item, level + 1)
                continue
            try:
                number = reader.get_destination_page_number(item)
            except Exception:  # noqa: BLE001, S112 (an entry pointing nowhere is left out)
                continue
            title = " ".join(str(getattr(item, "title", "") or "").split())
            if title and number is not None and number >= 0:
                entries.append({"title": title[:300], "page": number + 1, "level": min(level, 3)})

    walk(outline, 0)
    return entries


def toc_parse(text: str, pages_total: int | None = None) -> list[dict]:
    """A table of contents entered by hand, a line per entry: "title … page", indented by two spaces per level.

    Raises FileCheckError naming the first line that has no page number or a page outside the book.
    """
    entries = []
    for line_number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        indent = len(line) - len(line.lstrip(" \t"))
        body = line.strip().rstrip(".… \t")
        title, _sep, page = body.rpartition(" ")
        title = title.rstrip(".… \t")
        if not title or not page.isdigit():
            raise FileCheckError(
                _("Line %(line)d of the table of contents must end with a page number.") % {"line": line_number}
            )
        number = int(page)
        if number < 1 or (pages_total and number > pages_total):
            raise FileCheckError(
                _("Line %(line)d of the table of contents points to page %(page)d, which the book does not have.")
                % {"line": line_number, "page": number}
            )
        entries.append({"title": title[:300], "page": number, "level": min(indent // 2, 3)})
    return entries[:MAX_TOC_ENTRIES]


def toc_text(entries: list[dict]) -> str:
    return "\n".join(f"{'  ' * entry['level']}{entry['title']} {entry['page']}" for entry in entries)


def epub_check(data_path: Path) -> None:
    """Refuse a file that is not an EPUB (a ZIP whose first entry says application/epub+zip, with a container),
    or that would unpack to far more than it weighs."""
    message = _("The EPUB file is not a valid EPUB book. Export it again as EPUB, or leave it out.")
    try:
        with zipfile.ZipFile(data_path) as archive:
            names = archive.namelist()
            if not names or names[0] != "mimetype" or "META-INF/container.xml" not in names:
                raise FileCheckError(message)
            if archive.read("mimetype").strip() != b"application/epub+zip":
                raise FileCheckError(message)
            unpacked = sum(info.file_size for info in archive.infolist())
            packed = max(1, sum(info.compress_size for info in archive.infolist()))
            if unpacked > EPUB_MAX_UNCOMPRESSED or unpacked / packed > EPUB_MAX_RATIO:
                raise FileCheckError(_("The EPUB file unpacks to far more than it weighs and is refused."))
    except (zipfile.BadZipFile, OSError, KeyError) as error:
        raise FileCheckError(message) from error
