"""Books for the library tests: small generated PDFs (a few pages, chapters in the outline), published by running
the digitisation and preparation tasks in the test, as the task worker would."""

import io

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage

from tuyengiao.digitise.models import Scan, ScanPage
from tuyengiao.library.demo import book_pdf_make
from tuyengiao.library.models import Book, BookPage

PAGES = [
    ("Chương I. Khởi nghĩa giành chính quyền ở Bắc Mê", ["Năm 1945, nhân dân các dân tộc huyện Bắc Mê nổi dậy."]),
    (None, ["Đảng bộ huyện lãnh đạo xây dựng chính quyền cách mạng và chống giặc đói."]),
    ("Chương II. Kháng chiến chống thực dân Pháp", ["Đồng bào Mông, Dao, Tày góp lương thực cho bộ đội."]),
    (None, ["Chi bộ Yên Phú được thành lập, phong trào tuyên truyền lan rộng khắp các bản."]),
    (None, ["Hội nghị cán bộ chủ chốt tổng kết công tác dân vận vùng cao."]),
]


@pytest.fixture(autouse=True)
def _media(settings, tmp_path, monkeypatch):
    return media_in(tmp_path, settings, monkeypatch)


def media_in(tmp_path, settings, monkeypatch) -> FileSystemStorage:
    """Files go to a temporary folder (the private storage is made once, at import)."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    private = FileSystemStorage(location=tmp_path / "private", base_url="/private-files-are-served-by-views/")
    fields = [
        Scan._meta.get_field("original"),
        Scan._meta.get_field("searchable_pdf"),
        ScanPage._meta.get_field("image"),
        *(Book._meta.get_field(name) for name in ("epub", "cover", "web_pdf")),
        BookPage._meta.get_field("image"),
        BookPage._meta.get_field("thumb"),
    ]
    for field in fields:
        monkeypatch.setattr(field, "storage", private)
    return private


def book_pdf(pages=PAGES, title="Lịch sử Đảng bộ huyện Bắc Mê") -> bytes:
    return book_pdf_make(title, pages)


def publish(book: Book) -> Book:
    """Digitise and prepare the book now, as the task worker would after the upload."""
    from tuyengiao.digitise.tasks import scan_process_task
    from tuyengiao.library.tasks import book_prepare_task

    scan_process_task.call(book.scan_id)
    book_prepare_task.call(book.pk)
    book.refresh_from_db()
    return book


def book_add(*, title="Lịch sử Đảng bộ huyện Bắc Mê", pages=PAGES, publish_now=True, **fields) -> Book:
    from tuyengiao.library.services import book_save

    book = book_save(Book(title=title, **fields), pdf=ContentFile(book_pdf(pages, title), name="sach.pdf"))
    return publish(book) if publish_now else book


@pytest.fixture
def published_book(db):
    return book_add(authors="Ban Chấp hành Đảng bộ huyện", year=2021, subjects="lịch sử, Bắc Mê")


def pdf_bytes_of(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def png_page(text: str) -> bytes:
    from PIL import Image, ImageDraw, ImageFont

    font = ImageFont.truetype("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf", 40)
    image = Image.new("L", (1240, 400), 255)
    ImageDraw.Draw(image).text((60, 150), text, font=font, fill=0)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()
