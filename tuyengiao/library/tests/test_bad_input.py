"""Encrypted, broken or over-long PDFs, EPUBs that are not, duplicate bulletin issues: clear messages, nothing
stored, nothing half-published."""

import io
import zipfile
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from pypdf import PdfWriter

from tuyengiao.core.errors import DomainError
from tuyengiao.digitise.models import Scan
from tuyengiao.library.models import Book
from tuyengiao.library.services import book_save

from .conftest import book_add

pytestmark = pytest.mark.django_db


def _encrypted() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    writer.encrypt("mat-khau")
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("data", "name", "words"),
    [
        (_encrypted(), "mat.pdf", "mật khẩu"),
        (b"%PDF-1.7\n" + b"\x00garbage" * 100, "hong.pdf", "bị hỏng"),
        (b"\x89PNG\r\n\x1a\n" + b"0" * 100, "anh.pdf", ""),
    ],
)
def test_a_bad_pdf_is_refused_with_a_vietnamese_message_and_nothing_is_stored(data, name, words):
    with pytest.raises(DomainError) as refused:
        book_save(Book(title="Sách hỏng"), pdf=ContentFile(data, name=name))
    assert words in refused.value.message
    assert not Book.objects.exists() and not Scan.objects.exists()


def test_a_word_file_or_an_image_is_not_a_book(_media):
    from .conftest import png_page

    with pytest.raises(DomainError) as refused:
        book_save(Book(title="Ảnh"), pdf=ContentFile(png_page("Trang một"), name="trang.png"))
    assert refused.value.message == "Sách phải là tệp PDF."
    assert not Book.objects.exists() and not Scan.objects.exists()
    assert [path for path in Path(_media.location).rglob("*") if path.is_file()] == []  # no stored file left


def test_a_3000_page_pdf_is_refused_at_upload():
    writer = PdfWriter()
    for _ in range(3000):
        writer.add_blank_page(width=420, height=595)
    buffer = io.BytesIO()
    writer.write(buffer)
    with pytest.raises(DomainError) as refused:
        book_save(Book(title="Sách quá dài"), pdf=ContentFile(buffer.getvalue(), name="dai.pdf"))
    assert "3000 trang" in refused.value.message and "tối đa 1000" in refused.value.message
    assert not Book.objects.exists() and not Scan.objects.exists()


def _zip(entries: list[tuple[str, bytes]], compression=zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as archive:
        for name, data in entries:
            archive.writestr(name, data)
    return buffer.getvalue()


@pytest.mark.parametrize(
    "data",
    [
        b"not a zip at all",
        _zip([("chapter.html", b"<p>x</p>")]),
        _zip([("mimetype", b"application/epub+zip"), ("META-INF/container.xml", b"0" * 50_000_000)]),
    ],
)
def test_an_epub_that_is_not_one_is_refused_and_the_book_is_left_as_it_was(published_book, data):
    with pytest.raises(DomainError) as refused:
        book_save(published_book, epub=ContentFile(data, name="sach.epub"))
    assert "EPUB" in refused.value.message
    published_book.refresh_from_db()
    assert not published_book.epub


def test_a_bulletin_issue_cannot_be_added_twice(db):
    book_add(title="Bản tin", kind=Book.Kind.BULLETIN, year=2022, issue_number=1, publish_now=False)
    with pytest.raises(DomainError) as refused:
        book_add(title="Bản tin", kind=Book.Kind.BULLETIN, year=2022, issue_number=1, publish_now=False)
    assert "Số 1 năm 2022" in refused.value.message
    assert Book.objects.count() == 1


def test_a_book_whose_digitisation_fails_is_marked_failed_and_never_published(db, monkeypatch):
    from tuyengiao.digitise import pipeline
    from tuyengiao.library.selectors import book_state

    book = book_add(publish_now=False)

    def broken(*args, **kwargs):
        raise RuntimeError("pdfium crashed")

    monkeypatch.setattr(pipeline, "pdf_jobs", broken)
    from tuyengiao.digitise.tasks import scan_process_task
    from tuyengiao.library.tasks import book_prepare_task

    scan_process_task.call(book.scan_id)
    book_prepare_task.call(book.pk)
    book.refresh_from_db()
    assert book.status == Book.Status.FAILED
    state, message = book_state(book)
    assert state == "failed" and "Không đọc được tệp" in message


def test_a_table_of_contents_entered_by_hand_is_checked_and_kept_over_the_outline(published_book):
    from tuyengiao.library.tasks import book_prepare_task

    with pytest.raises(DomainError) as refused:
        book_save(published_book, toc_text="Lời nói đầu 1\nChương I không có số trang")
    assert "Dòng 2 của mục lục" in refused.value.message
    with pytest.raises(DomainError) as refused:
        book_save(published_book, toc_text="Phụ lục 99")
    assert "trang 99" in refused.value.message
    book_save(published_book, toc_text="Lời nói đầu . . . 1\n  Phần một 3\nChương II 4")
    book_prepare_task.call(published_book.pk)  # preparing again keeps the hand-made contents
    published_book.refresh_from_db()
    assert published_book.toc == [
        {"title": "Lời nói đầu", "page": 1, "level": 0},
        {"title": "Phần một", "page": 3, "level": 1},
        {"title": "Chương II", "page": 4, "level": 0},
    ]
