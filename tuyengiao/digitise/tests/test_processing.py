"""The task reads every page: the PDF's own text where it has one, Tesseract (really run) where it has not.

OCR is slow, so only two pages are OCR'd in the whole suite: the first page of `mixed_pdf` and the PNG.
"""

import hashlib

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile

from tuyengiao.core.text import fold
from tuyengiao.digitise.extract import pdf_page_texts
from tuyengiao.digitise.models import Scan
from tuyengiao.digitise.selectors import pages_to_proofread
from tuyengiao.digitise.services import scan_create, scan_process
from tuyengiao.digitise.signals import scan_finished
from tuyengiao.digitise.tasks import scan_process_task


@pytest.fixture
def finished():
    """The scans for which scan_finished was sent."""
    sent = []

    def receiver(sender, scan, **kwargs):
        sent.append(scan.pk)

    scan_finished.connect(receiver)
    yield sent
    scan_finished.disconnect(receiver)


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def test_a_scanned_page_is_read_by_ocr_a_typed_one_from_its_text_into_a_searchable_pdf(
    db, samples, province, collected, finished
):
    scan = scan_create(SimpleUploadedFile("chi-thi-19.pdf", samples["mixed_pdf"]), unit=province["HG-BM"])
    scan_process_task.call(scan.pk)

    scan.refresh_from_db()
    assert (scan.status, scan.method, scan.pages_total, scan.pages_done, scan.percent) == ("done", "mixed", 2, 2, 100)
    assert scan.started_at and scan.finished_at and not scan.error
    scanned, typed = scan.pages.order_by("number")
    # the scanned page: Tesseract's text, its confidence and an image to proofread against
    assert scanned.method == "ocr"
    assert 0 < scanned.confidence <= 100
    assert scanned.image.name.endswith(".webp")
    words = fold(scanned.text)
    for expected in ("chi thi", "ban bi thu", "tang cuong"):
        assert expected in words
    assert "19-ct/tw" in words.replace(" ", "")
    assert scanned.machine_text == scanned.text
    # the typed page: its own text, no OCR, nothing to proofread
    assert (typed.method, typed.confidence, typed.needs_proofreading, typed.image) == ("text", None, False, "")
    assert "Nghị quyết số 05-NQ/TU" in typed.text
    assert scan.text() == scanned.text + "\n\f\n" + typed.text
    # the searchable PDF has text on both pages, in order; the original is as uploaded
    texts = pdf_page_texts(scan.searchable_pdf.path)
    assert len(texts) == 2
    assert "ban bi thu" in fold(texts[0])
    assert "05-NQ/TU" in texts[1]
    with scan.original.open("rb") as original:
        assert sha256(original.read()) == sha256(samples["mixed_pdf"]) == scan.sha256
    assert finished == [scan.pk]


def test_a_scanned_image_is_read_and_a_doubtful_page_waits_for_proofreading(
    db, samples, province, district_editor, sibling_user, settings, collected
):
    settings.DIGITISE_PROOFREAD_BELOW = 101  # whatever Tesseract's confidence, the page goes to a person
    scan = scan_create(SimpleUploadedFile("trang.png", samples["png"]), unit=province["HG-BM"])
    scan_process(scan)

    page = scan.pages.get()
    assert (scan.status, scan.method, scan.kind) == ("done", "ocr", "image")
    assert "ban tuyen giao" in fold(page.text)
    assert page.needs_proofreading
    assert page.image
    assert len(pdf_page_texts(scan.searchable_pdf.path)) == 1
    assert list(pages_to_proofread(district_editor)) == [page]
    assert not pages_to_proofread(sibling_user).exists()


def test_a_pdf_with_a_text_layer_is_not_ocrd(db, samples, collected):
    scan = scan_create(samples["typed_pdf"], name="nghi-quyet.pdf")
    scan_process(scan)

    page = scan.pages.get()
    assert (scan.status, scan.method) == ("done", "text")
    assert (page.method, page.confidence, page.needs_proofreading, page.image) == ("text", None, False, "")
    assert page.text == "Nghị quyết số 05-NQ/TU của Tỉnh ủy Hà Giang\nvề phát triển kinh tế nông nghiệp hàng hóa"
    with scan.searchable_pdf.open("rb") as searchable:
        assert searchable.read() == samples["typed_pdf"]


def test_running_again_redoes_the_pages_cleanly(db, samples, collected):
    scan = scan_create(samples["two_page_pdf"], name="hai-trang.pdf")
    scan_process(scan)
    scan_process(scan)
    assert list(scan.pages.values_list("number", flat=True)) == [1, 2]
    assert scan.pages_done == 2


def test_the_text_of_a_word_document_is_read_without_a_searchable_pdf(db, samples, collected, finished):
    scan = scan_create(samples["docx"], name="ke-hoach.docx")
    scan_process(scan)

    page = scan.pages.get()
    assert (scan.status, scan.method, page.method, page.confidence) == ("done", "docx", "docx", None)
    assert page.text == (
        "Kế hoạch số 12-KH/BTGTU\nTuyên truyền kỷ niệm ngày thành lập Đảng\nĐơn vị thực hiện\tHuyện ủy Bắc Mê"
    )
    assert not scan.searchable_pdf
    assert finished == [scan.pk]


def test_a_file_that_cannot_be_read_fails_with_a_message_and_the_task_does_not_raise(db, finished):
    scan = Scan(name="hong.pdf", kind=Scan.Kind.PDF, size=9, sha256="0" * 64)
    scan.original.save("hong.pdf", ContentFile(b"%PDF-oops"), save=False)
    scan.save()

    assert scan_process_task.call(scan.pk) == "failed"

    scan.refresh_from_db()
    assert scan.status == "failed"
    assert scan.error
    assert scan.finished_at
    assert finished == []
