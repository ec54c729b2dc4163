"""A PDF page is read by OCR when it is a scan, even if a few words of text were typed over it (an arrival stamp,
a header); a typed page keeps its own text, whatever pictures it holds."""

import pytest

from tuyengiao.core.text import fold
from tuyengiao.digitise.extract import pdf_page_texts
from tuyengiao.digitise.services import scan_create, scan_process
from tuyengiao.digitise.tests.conftest import ARRIVAL_STAMP, LONG_SCANNED_LINES, TYPED_LINES


def test_a_scanned_page_with_a_stamp_in_its_text_layer_is_read_by_ocr(db, samples, collected):
    scan = scan_create(samples["stamped_scan_pdf"], name="cong-van-den.pdf")
    assert pdf_page_texts(scan.original.path) == [ARRIVAL_STAMP]  # the text layer is the stamp alone
    scan_process(scan)

    page = scan.pages.get()
    assert (scan.method, page.method) == ("ocr", "ocr")
    words = fold(page.text)
    for phrase in ("chi thi", "ban bi thu", "tang cuong cong tac", "van ban den"):
        assert phrase in words
    assert page.image
    # the searchable PDF finds the scanned words too, not only the stamp
    assert "ban bi thu" in fold(pdf_page_texts(scan.searchable_pdf.path)[0])


@pytest.mark.parametrize(
    ("sample", "lines"),
    [
        ("short_typed_with_picture_pdf", TYPED_LINES),
        ("typed_with_photo_pdf", [*TYPED_LINES, *LONG_SCANNED_LINES]),
    ],
)
def test_a_typed_page_with_a_picture_keeps_its_own_text(db, samples, collected, sample, lines):
    scan = scan_create(samples[sample], name="nghi-quyet.pdf")
    scan_process(scan)

    page = scan.pages.get()
    assert (page.method, page.confidence, page.image) == ("text", None, "")
    assert page.text == "\n".join(lines)
