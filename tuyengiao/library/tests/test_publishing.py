"""From upload to a published book: text per page, the web edition, page images, cover, contents; nothing is
shown before every part is ready; a scanned book becomes searchable after OCR."""

import io

import pikepdf
import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.files.base import ContentFile
from PIL import Image

from tuyengiao.library.models import Book, BookPage
from tuyengiao.library.selectors import book_for, library_search
from tuyengiao.library.services import book_save

from .conftest import PAGES, book_add, book_pdf, publish

pytestmark = pytest.mark.django_db


def test_a_book_is_published_with_its_pages_contents_cover_and_web_edition(published_book, _media):
    book = published_book
    assert book.status == Book.Status.PUBLISHED
    assert book.pages_total == len(PAGES) + 1  # the title page
    assert [entry["title"] for entry in book.toc] == [
        "Chương I. Khởi nghĩa giành chính quyền ở Bắc Mê",
        "Chương II. Kháng chiến chống thực dân Pháp",
    ]
    assert [entry["page"] for entry in book.toc] == [2, 4]
    page = BookPage.objects.get(book=book, number=5)
    assert "Chi bộ Yên Phú" in page.text
    with _media.open(page.image.name) as file, Image.open(file) as image:
        assert image.format == "WEBP" and image.width == 900 and (page.width, page.height) == image.size
    with _media.open(page.thumb.name) as file, Image.open(file) as image:
        assert image.width == 160
    with _media.open(book.cover.name) as file, Image.open(file) as image:
        assert image.format == "WEBP"
    with _media.open(book.web_pdf.name) as file:
        pdf = pikepdf.open(io.BytesIO(file.read()))
        assert len(pdf.pages) == book.pages_total
        assert pdf.trailer.get("/Type") == "/XRef"  # a cross-reference stream: the objects are in object streams


def test_a_book_is_invisible_until_it_is_ready(db):
    book = book_add(publish_now=False)
    assert book.status == Book.Status.PROCESSING
    assert book_for(AnonymousUser(), book.pk) is None
    assert library_search(AnonymousUser(), "Yen Phu").books_count == 0
    publish(book)
    assert library_search(AnonymousUser(), "Yen Phu").books_count == 1


def test_a_new_pdf_keeps_the_old_edition_online_until_the_new_one_is_ready(published_book):
    book = published_book
    new_pages = [("Chương mới", ["Nội dung tái bản có thêm xã Minh Ngọc."])]
    book_save(book, pdf=ContentFile(book_pdf(new_pages), name="tai-ban.pdf"))
    book.refresh_from_db()
    assert book.status == Book.Status.PUBLISHED
    assert library_search(AnonymousUser(), "Yen Phu").books_count == 1  # the old edition, still whole
    publish(book)
    assert book.pages_total == 2
    assert library_search(AnonymousUser(), "Yen Phu").books_count == 0
    assert library_search(AnonymousUser(), "Minh Ngoc").books_count == 1


def test_a_proofread_page_is_searchable_without_remaking_the_book(published_book):
    from tuyengiao.digitise.models import ScanPage
    from tuyengiao.digitise.services import scan_page_proofread
    from tuyengiao.library.tasks import book_prepare_task

    book = published_book
    web_pdf = book.web_pdf.name
    page = ScanPage.objects.get(scan=book.scan, number=3)
    scan_page_proofread(page, text="Đoạn văn đã hiệu đính về xã Giáp Trung.", user=None)
    book_prepare_task.call(book.pk)
    book.refresh_from_db()
    assert book.web_pdf.name == web_pdf
    hits = library_search(AnonymousUser(), "giap trung").books
    assert [page.number for page in hits[0].pages] == [3]


def test_a_scanned_book_becomes_searchable_once_its_ocr_is_done(db):
    from tuyengiao.library.demo import scanned_book_make

    pages = [("Chương I. Truyền thống", ["Ngành Tuyên giáo Hà Giang ra đời năm 1945."])]
    data = scanned_book_make("Truyền thống ngành", pages)
    book = book_save(Book(title="Truyền thống ngành"), pdf=ContentFile(data, name="scan.pdf"))
    assert library_search(AnonymousUser(), "tuyen giao").books_count == 0
    publish(book)
    assert book.status == Book.Status.PUBLISHED
    result = library_search(AnonymousUser(), "tuyen giao ha giang")
    assert result.books_count == 1
    assert result.books[0].pages[0].number == 2
