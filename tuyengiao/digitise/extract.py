"""Text that a file already holds, without OCR: the text layer of PDF pages and the text of Word documents.

Usable by any app: `pdf_page_texts(path)` for a PDF's text layer, `docx_text(path)` for a .docx.
"""

from pathlib import Path

import pypdfium2 as pdfium
from docx import Document
from docx.table import Table

from tuyengiao.core.text import nfc

# A page whose text layer has fewer visible characters than this (a page number, a stamp) is treated as a scan.
MIN_LAYER_CHARS = 20


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


def has_text_layer(text: str) -> bool:
    """True if a page's extracted text is real text, not a page number or an empty layer."""
    return sum(1 for ch in text if not ch.isspace()) >= MIN_LAYER_CHARS


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
