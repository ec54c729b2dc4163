"""Text that a file already holds, without OCR: the text layer of PDF pages and the text of Word documents.

Usable by any app: `pdf_page_texts(path)` for a PDF's text layer, `docx_text(path)` for a .docx.
`pdfium_page_is_scan(page, text)` tells whether a PDF page must be read by OCR all the same.
"""

from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
from docx import Document
from docx.table import Table

from tuyengiao.core.text import nfc

# A page whose text layer has fewer visible characters than this (a page number, a stamp) is treated as a scan.
MIN_LAYER_CHARS = 20
# A page is also a scan when images cover at least this share of it and its text layer is short for its size:
# fewer characters per square inch than this (a page of print holds about 25; an A4 page, 97 square inches, is a
# scan below about 240 characters, enough for a header, a stamp "Văn bản đến số…" and a page number).
SCAN_IMAGE_SHARE = 0.5
SCAN_MAX_CHARS_PER_SQUARE_INCH = 2.5
# Images smaller than this share of the page (logos, signatures, seals) are not counted; past this many images,
# their areas are added up instead of united (a page drawn as thousands of small images).
IMAGE_MIN_SHARE = 0.002
IMAGE_UNION_MAX = 300


def page_text_clean(text: str) -> str:
    """pdfium's page text with Windows line ends and stray NULs removed, in NFC."""
    return nfc(text.replace("\r\n", "\n").replace("\r", "\n").replace("\x00", "")).strip()


def pdfium_page_text(page: pdfium.PdfPage) -> str:
    textpage = page.get_textpage()
    try:
        return page_text_clean(textpage.get_text_bounded())
    finally:
        textpage.close()


def pdf_page_texts(path: str | Path) -> list[str]:
    """The text layer of each page of the PDF at `path` ("" for a page without one)."""
    document = pdfium.PdfDocument(str(path))
    try:
        texts = []
        for index in range(len(document)):
            page = document[index]
            try:
                texts.append(pdfium_page_text(page))
            finally:
                page.close()
        return texts
    finally:
        document.close()


def visible_chars(text: str) -> int:
    return sum(1 for ch in text if not ch.isspace())


def has_text_layer(text: str) -> bool:
    """True if a page's extracted text is real text, not a page number or an empty layer."""
    return visible_chars(text) >= MIN_LAYER_CHARS


def pdfium_page_is_scan(page: pdfium.PdfPage, text: str) -> bool:
    """True if the page must be read by OCR although it may have a text layer (`text`, its extracted text).

    That is a page without real text, and a scanned page that got a few words of text later (a header, an
    arrival stamp, a page number typed over the scan): images cover most of it and the text is short for a
    page of that size.
    """
    chars = visible_chars(text)
    if chars < MIN_LAYER_CHARS:
        return True
    left, bottom, right, top = page.get_bbox()
    square_inches = (right - left) * (top - bottom) / 72 / 72
    if chars >= SCAN_MAX_CHARS_PER_SQUARE_INCH * square_inches:
        return False  # enough text for the page: no need to look at its images
    return pdfium_image_share(page) >= SCAN_IMAGE_SHARE


def pdfium_image_share(page: pdfium.PdfPage) -> float:
    """The share of the page (0 to 1) covered by images, those inside form XObjects included."""
    left, bottom, right, top = page.get_bbox()
    page_area = (right - left) * (top - bottom)
    if page_area <= 0:
        return 0.0
    rects = []
    for image in page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_IMAGE]):
        x0, y0, x1, y1 = _page_bounds(image)
        x0, y0, x1, y1 = max(x0, left), max(y0, bottom), min(x1, right), min(y1, top)
        if x1 > x0 and y1 > y0 and (x1 - x0) * (y1 - y0) >= IMAGE_MIN_SHARE * page_area:
            rects.append((x0, y0, x1, y1))
    if len(rects) > IMAGE_UNION_MAX:
        covered = sum((x1 - x0) * (y1 - y0) for x0, y0, x1, y1 in rects)
    else:
        covered = _union_area(rects)
    return min(1.0, covered / page_area)


def _page_bounds(obj: pdfium.PdfObject) -> tuple[float, float, float, float]:
    """The bounds of a page object on the page: pdfium gives those of an object inside a form in the form's space."""
    x0, y0, x1, y1 = obj.get_bounds()
    corners = [(x0, y0), (x0, y1), (x1, y0), (x1, y1)]
    container = obj.container
    while container is not None:
        a, b, c, d, e, f = container.get_matrix().get()
        corners = [(a * x + c * y + e, b * x + d * y + f) for x, y in corners]
        container = container.container
    xs, ys = [x for x, _y in corners], [y for _x, y in corners]
    return min(xs), min(ys), max(xs), max(ys)


def _union_area(rects: list[tuple[float, float, float, float]]) -> float:
    """The area covered by axis-aligned rectangles (x0, y0, x1, y1), overlaps counted once."""
    xs = sorted({x for x0, _y0, x1, _y1 in rects for x in (x0, x1)})
    area = 0.0
    for left, right in zip(xs, xs[1:], strict=False):
        spans = sorted((y0, y1) for x0, y0, x1, y1 in rects if x0 <= left and x1 >= right)
        covered, reached = 0.0, float("-inf")
        for y0, y1 in spans:
            if y1 > reached:
                covered += y1 - max(y0, reached)
                reached = y1
        area += covered * (right - left)
    return area


def docx_text(path: str | Path) -> str:
    """The paragraphs and table cells of a Word document, in reading order, one paragraph per line."""
    document = Document(str(path))
    lines: list[str] = []
    for block in document.iter_inner_content():
        if isinstance(block, Table):
            lines.extend(_table_lines(block))
        else:
            lines.append(block.text)
    return nfc("\n".join(lines)).strip()


def _table_lines(table: Table) -> list[str]:
    lines = []
    for row in table.rows:
        seen, cells = set(), []
        for cell in row.cells:  # a merged cell appears once per grid column it spans
            if id(cell._tc) in seen:
                continue
            seen.add(id(cell._tc))
            cells.append(cell.text.strip())
        if any(cells):
            lines.append("\t".join(cells))
    return lines
