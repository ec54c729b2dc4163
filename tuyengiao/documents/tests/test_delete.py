"""Deleting a document deletes the scans of its files, their pages and their stored files, once it is committed."""

import io
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage
from django.db import transaction
from django.urls import reverse
from PIL import Image, ImageDraw, ImageFont

from tuyengiao.accounts.tests.factories import PASSWORD
from tuyengiao.digitise.models import Scan, ScanPage
from tuyengiao.digitise.services import scan_process
from tuyengiao.documents.demo import FONT_DIR, pdf_make
from tuyengiao.documents.models import Document, DocumentFile
from tuyengiao.documents.services import document_file_add
from tuyengiao.documents.tests.conftest import make_document


@pytest.fixture(autouse=True)
def private_files(settings, tmp_path, monkeypatch):
    """The private files go to a temporary folder (their storage is made once, at import)."""
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    storage = FileSystemStorage(location=settings.PRIVATE_MEDIA_ROOT)
    for field in (
        Scan._meta.get_field("original"),
        Scan._meta.get_field("searchable_pdf"),
        ScanPage._meta.get_field("image"),
    ):
        monkeypatch.setattr(field, "storage", storage)
    return settings.PRIVATE_MEDIA_ROOT


def stored_files(folder: Path) -> list[Path]:
    return sorted(path for path in folder.rglob("*") if path.is_file())


def scanned_pdf() -> bytes:
    """A page of paper scanned at 300 dpi: an image without text."""
    image = Image.new("L", (1100, 160), 255)
    font = ImageFont.truetype(str(FONT_DIR / "DejaVuSans.ttf"), 40)
    ImageDraw.Draw(image).text((50, 50), "Thông báo của Huyện ủy Bắc Mê", font=font, fill=0)
    buffer = io.BytesIO()
    image.save(buffer, format="PDF", resolution=300)
    return buffer.getvalue()


def typed_pdf() -> bytes:
    return pdf_make([("title", "KẾ HOẠCH")], ["Tổ chức lớp bồi dưỡng lý luận chính trị hè cho cán bộ, đảng viên."])


@pytest.fixture
def filed_document(province, django_capture_on_commit_callbacks):
    """A document of Huyện Bắc Mê with two files read: a scan (OCR'd: a page image) and a typed PDF."""
    document = make_document("18-KH/HU", "Kế hoạch tổ chức lớp bồi dưỡng", unit=province["HG-BM"])
    with django_capture_on_commit_callbacks(execute=False):  # the tests read the files themselves
        files = [
            document_file_add(document, ContentFile(scanned_pdf(), name="thong-bao.pdf")),
            document_file_add(document, ContentFile(typed_pdf(), name="ke-hoach.pdf")),
        ]
        for document_file in files:
            scan_process(Scan.objects.get(pk=document_file.scan_id))
    assert Scan.objects.filter(status=Scan.Status.DONE).count() == 2
    assert ScanPage.objects.exclude(image="").count() == 1
    return document


def test_deleting_a_document_in_the_admin_deletes_its_scans_and_their_files(
    client, district_admin, filed_document, private_files, django_capture_on_commit_callbacks
):
    files = stored_files(private_files)
    assert len(files) == 5  # two originals, two searchable PDFs, one page image
    client.login(username=district_admin.username, password=PASSWORD)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("documents_admin:delete", args=[filed_document.pk]))
        assert all(file.exists() for file in files)  # kept until the deletion is committed

    assert response.status_code == 302
    assert not Document.objects.filter(pk=filed_document.pk).exists()
    assert not Scan.objects.exists()
    assert not ScanPage.objects.exists()
    assert stored_files(private_files) == []


def test_deleting_a_document_whose_file_waits_to_be_read_deletes_the_scan_and_its_original(
    province, private_files, django_capture_on_commit_callbacks
):
    document = make_document("19-KH/HU", "Kế hoạch chưa đọc", unit=province["HG-BM"])
    with django_capture_on_commit_callbacks(execute=False):
        document_file_add(document, ContentFile(scanned_pdf(), name="thong-bao.pdf"))
    assert Scan.objects.get().status == Scan.Status.WAITING
    assert len(stored_files(private_files)) == 1

    with django_capture_on_commit_callbacks(execute=True):
        document.delete()

    assert not DocumentFile.objects.exists()
    assert not Scan.objects.exists()
    assert stored_files(private_files) == []


def test_a_deletion_rolled_back_keeps_the_scans_and_their_files(
    filed_document, private_files, django_capture_on_commit_callbacks
):
    files, pk = stored_files(private_files), filed_document.pk

    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError):
        with transaction.atomic():
            filed_document.delete()
            raise RuntimeError("the request failed after the deletion")

    assert Document.objects.filter(pk=pk).exists()
    assert Scan.objects.count() == 2
    assert ScanPage.objects.count() == 2
    assert stored_files(private_files) == files
