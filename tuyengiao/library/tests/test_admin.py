"""The library in the back office: staff add books for their units only; bad files keep what was entered."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tuyengiao.library.models import Book

from .conftest import book_add, book_pdf

pytestmark = pytest.mark.django_db


def _post(client, data, pdf: bytes | None):
    files = {"pdf": SimpleUploadedFile("sach.pdf", pdf, content_type="application/pdf")} if pdf else {}
    return client.post(reverse("library_admin:add"), {"kind": "book", "access": "public", **data, **files})


def test_an_editor_adds_a_book_of_their_unit_and_it_waits_for_the_task_worker(client, district_editor, province):
    client.force_login(district_editor)
    response = _post(
        client, {"title": "Lịch sử Đảng bộ huyện Bắc Mê", "year": "2021", "unit": province["HG-BM"].pk}, book_pdf()
    )
    assert response.status_code == 302
    book = Book.objects.get()
    assert (book.title, book.unit, book.status) == ("Lịch sử Đảng bộ huyện Bắc Mê", province["HG-BM"], "processing")
    edit = client.get(reverse("library_admin:edit", args=[book.pk])).content.decode()
    assert "Đang chuẩn bị" in edit


def test_an_editor_cannot_file_a_book_for_another_unit_nor_see_its_books(client, district_editor, province):
    other = book_add(unit=province["HG-DV"])
    client.force_login(district_editor)
    refused = _post(client, {"title": "Sách", "unit": province["HG-DV"].pk}, book_pdf())
    assert refused.status_code == 200 and not Book.objects.filter(title="Sách").exists()
    assert client.get(reverse("library_admin:edit", args=[other.pk])).status_code in (403, 302)
    listing = client.get(reverse("library_admin:index")).content.decode()
    assert other.title not in listing


def test_a_bad_pdf_in_the_admin_is_refused_with_a_message_and_the_form_keeps_its_values(
    client, district_editor, province
):
    client.force_login(district_editor)
    response = _post(client, {"title": "Sách có tệp hỏng", "unit": province["HG-BM"].pk}, b"%PDF-1.4 hong")
    html = response.content.decode()
    assert response.status_code == 200
    assert "bị hỏng" in html and "Sách có tệp hỏng" in html
    assert not Book.objects.exists()


def test_a_bulletin_issue_needs_its_number_and_year(client, district_editor, province):
    client.force_login(district_editor)
    response = _post(client, {"kind": "bulletin", "title": "Bản tin", "unit": province["HG-BM"].pk}, book_pdf())
    assert response.status_code == 200
    assert "Một số bản tin cần có số và năm." in response.content.decode()


def test_staff_see_readings_per_month_of_their_units_books_only(client, district_editor, province):
    import datetime

    from django.utils import timezone

    from tuyengiao.library.models import BookReadDay

    ours = book_add(title="Lịch sử Đảng bộ huyện Bắc Mê", unit=province["HG-BM"], publish_now=False)
    theirs = book_add(title="Lịch sử Đảng bộ huyện Đồng Văn", unit=province["HG-DV"], publish_now=False)
    today = timezone.localdate()
    last_month = today.replace(day=1) - datetime.timedelta(days=1)
    BookReadDay.objects.create(book=ours, day=today, count=7)
    BookReadDay.objects.create(book=ours, day=last_month, count=2)
    BookReadDay.objects.create(book=ours, day=last_month.replace(day=1) - datetime.timedelta(days=400), count=50)
    BookReadDay.objects.create(book=theirs, day=today, count=9)
    client.force_login(district_editor)
    response = client.get(reverse("library_admin:readings"))
    assert response.status_code == 200
    rows = response.context["rows"]
    assert [(row["book"].pk, row["counts"][-2:], row["total"]) for row in rows] == [
        (ours.pk, [2, 7], 9)  # more than a year ago: not counted
    ]
    assert "Đồng Văn" not in response.content.decode()
    assert "Lượt đọc theo tháng" in response.content.decode()
