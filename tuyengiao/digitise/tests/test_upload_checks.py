"""Uploads are checked by content, size and page count before anything is stored or queued."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tuyengiao.core.files import FileCheckError
from tuyengiao.digitise.models import Scan
from tuyengiao.digitise.services import scan_create


def refused(data, name, code):
    with pytest.raises(FileCheckError) as caught:
        scan_create(SimpleUploadedFile(name, data), name=name)
    assert caught.value.code == code
    assert caught.value.message
    assert not Scan.objects.exists()
    return caught.value.message


def test_a_pdf_is_accepted_and_its_processing_queued_on_commit(
    db, samples, province, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        scan = scan_create(SimpleUploadedFile("chi-thi.pdf", samples["typed_pdf"]), unit=province["HG-BM"])
    assert (scan.status, scan.kind, scan.name, scan.size) == (
        "waiting",
        "pdf",
        "chi-thi.pdf",
        len(samples["typed_pdf"]),
    )
    assert scan.original.read() == samples["typed_pdf"]
    assert len(callbacks) == 1


def test_bytes_are_accepted_with_a_name(db, samples, collected):
    scan = scan_create(samples["docx"], name="ke-hoach.docx")
    assert (scan.kind, scan.name) == ("docx", "ke-hoach.docx")


def test_a_damaged_pdf_is_refused(db):
    refused(b"%PDF-1.7\n1 0 obj << /Type /Catalog >>\nthis is not a pdf\n" * 20, "hong.pdf", "corrupt")


def test_a_password_protected_pdf_is_refused(db, samples):
    refused(samples["encrypted_pdf"], "mat.pdf", "encrypted")


def test_a_pdf_without_pages_is_refused(db, samples):
    refused(samples["empty_pdf"], "rong.pdf", "no_pages")


def test_a_pdf_with_too_many_pages_is_refused(db, samples, settings):
    settings.DIGITISE_MAX_PAGES = 1
    refused(samples["two_page_pdf"], "dai.pdf", "too_many_pages")


def test_a_word_zip_bomb_is_refused_before_extraction(db, samples):
    refused(samples["docx_bomb"], "bom.docx", "zip_bomb")


def test_a_zip_that_is_not_a_word_document_is_refused(db, samples):
    refused(samples["zip"], "tai-lieu.docx", "not_docx")


def test_an_image_named_pdf_is_refused_saying_what_it_holds(db, samples):
    message = refused(samples["png"], "chi-thi.pdf", "name_mismatch")
    assert ".pdf" in message
    assert "PNG" in message


def test_an_image_under_another_image_extension_is_accepted(db, samples, collected):
    assert scan_create(samples["png"], name="anh-chup.jpg").kind == "image"


def test_a_file_over_the_size_limit_is_refused_without_being_read(db, settings):
    settings.DIGITISE_MAX_BYTES = 1024

    class Huge(io.BytesIO):
        name, size = "lon.pdf", 10 * 1024 * 1024 * 1024

        def read(self, *args):
            raise AssertionError("the file must not be read")

        chunks = read

    with pytest.raises(FileCheckError) as caught:
        scan_create(Huge())
    assert caught.value.code == "too_large"
    assert not Scan.objects.exists()


def test_a_file_that_grows_past_the_limit_while_read_is_refused(db, settings, samples):
    settings.DIGITISE_MAX_BYTES = 1024

    class Lying(io.BytesIO):
        name, size = "noi-doi.pdf", 10

    with pytest.raises(FileCheckError) as caught:
        scan_create(Lying(samples["typed_pdf"]))
    assert caught.value.code == "too_large"


def test_an_empty_file_is_refused(db):
    refused(b"", "trong.pdf", "empty")


def test_an_unknown_kind_of_file_is_refused(db):
    refused("Văn bản thường, không phải PDF".encode(), "ghi-chu.txt", "unknown_type")


def test_a_damaged_image_is_refused(db, samples):
    refused(samples["png"][:60], "hong.png", "corrupt")


def test_an_image_with_too_many_pixels_is_refused(db, samples, monkeypatch):
    from PIL import Image

    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", 10_000)
    refused(samples["png"], "rat-lon.png", "too_many_pixels")


def test_a_preview_is_told_from_size_and_first_bytes_what_is_wrong_with_a_file(tmp_path, samples, settings):
    from tuyengiao.digitise.checks import quick_problem

    files = {
        "anh.pdf": samples["png"],
        "rong.pdf": b"",
        "ghi-chu.pdf": "Không phải PDF".encode() * 100,
        "chi-thi.pdf": samples["typed_pdf"],
        "anh.jpg": samples["png"],  # an image in another image format than its name: harmless
        "hong.pdf": b"%PDF-1.7\nthis is not a pdf\n" * 20,  # damaged: found when stored, not by a preview
    }
    for name, data in files.items():
        (tmp_path / name).write_bytes(data)
    assert quick_problem(tmp_path / "anh.pdf") == (
        "Tệp mang đuôi .pdf nhưng nội dung là tệp PNG. Hãy kiểm tra đã chọn đúng tệp chưa, hoặc đổi tên cho khớp "
        "với nội dung."
    )
    assert quick_problem(tmp_path / "rong.pdf") == "Tệp rỗng. Hãy chọn lại tệp."
    assert quick_problem(tmp_path / "ghi-chu.pdf").startswith("Không đọc được loại tệp này.")
    assert [quick_problem(tmp_path / name) for name in ("chi-thi.pdf", "anh.jpg", "hong.pdf")] == ["", "", ""]
    settings.DIGITISE_MAX_BYTES = len(samples["typed_pdf"]) - 1
    assert quick_problem(tmp_path / "chi-thi.pdf").startswith("Tệp có dung lượng")
