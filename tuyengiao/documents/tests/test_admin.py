"""The back office: unit staff file documents of their units, relate them, and confirm what the first page says."""

import datetime

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tuyengiao.accounts.roles import Role
from tuyengiao.accounts.tests.factories import PASSWORD, UserFactory
from tuyengiao.core.tests.helpers import assert_denied
from tuyengiao.digitise.models import Scan
from tuyengiao.digitise.services import scan_process
from tuyengiao.documents.demo import _heading, pdf_make
from tuyengiao.documents.models import Document, DocumentType, Relation
from tuyengiao.documents.services import document_file_add, issuer_get_or_create
from tuyengiao.documents.tests.conftest import make_document


@pytest.fixture
def filer(province):
    return UserFactory(username="vanthu.bm", unit=province["HG-BM"], roles=[(Role.UNIT_STAFF, province["HG-BM"])])


def _form(unit, **values):
    data = {
        "number": "",
        "type": "",
        "title": "",
        "issuer_name": "",
        "signer": "",
        "signer_title": "",
        "issued_on": "",
        "effective_on": "",
        "level": "",
        "status": "in_force",
        "access": "public",
        "unit": unit.pk,
    }
    data.update(values)
    return data


def test_unit_staff_file_a_document_with_its_pdf_and_a_sibling_cannot_open_it(client, filer, sibling_user, province):
    client.login(username="vanthu.bm", password=PASSWORD)
    pdf = SimpleUploadedFile("kh.pdf", pdf_make([("title", "KẾ HOẠCH")], ["Tổ chức lớp bồi dưỡng hè"]))
    response = client.post(
        reverse("documents_admin:add"),
        _form(
            province["HG-BM"],
            number="18/KH-HU",
            title="Kế hoạch tổ chức lớp bồi dưỡng lý luận chính trị hè",
            issuer_name="Huyện ủy Bắc Mê",
            issued_on="20/05/2022",
            new_files=[pdf],
        ),
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    document = Document.objects.get()
    assert (document.number, str(document.type), document.unit, str(document.issuer)) == (
        "18-KH/HU",
        "Kế hoạch",
        province["HG-BM"],
        "Huyện ủy Bắc Mê",
    )
    assert document.files.get().scan.status == Scan.Status.WAITING  # the worker reads it
    index = client.get(reverse("documents_admin:index")).content.decode()
    assert "Kế hoạch tổ chức lớp bồi dưỡng" in index
    client.logout()
    client.login(username=sibling_user.username, password=PASSWORD)
    assert "Kế hoạch tổ chức lớp bồi dưỡng" not in client.get(reverse("documents_admin:index")).content.decode()
    assert_denied(client.get(reverse("documents_admin:edit", args=[document.pk])))
    assert_denied(client.post(reverse("documents_admin:relation_add", args=[document.pk]), {"kind": "amends"}))


def test_staff_cannot_file_for_a_unit_outside_their_own(client, filer, province):
    client.login(username="vanthu.bm", password=PASSWORD)
    response = client.post(reverse("documents_admin:add"), _form(province["HG-DV"], number="1-KH/HU", title="Kế hoạch"))
    assert response.status_code == 200 and not Document.objects.exists()


def test_a_bad_date_keeps_what_was_typed_with_a_vietnamese_message(client, filer, province):
    client.login(username="vanthu.bm", password=PASSWORD)
    response = client.post(
        reverse("documents_admin:add"),
        _form(province["HG-BM"], number="2-KH/HU", title="Kế hoạch giữ nguyên", issued_on="20/05/2099"),
    )
    page = response.content.decode()
    assert "Ngày ban hành không được là ngày trong tương lai." in page
    assert "Kế hoạch giữ nguyên" in page and not Document.objects.exists()


def test_relating_by_a_loose_number_updates_the_target_status(client, filer, province, seed_documents):
    document = make_document(
        "20-CT/TW",
        "Chỉ thị mới",
        type_name="Chỉ thị",
        issuer="Ban Bí thư Trung ương Đảng khóa XIII",
        issued_on=datetime.date(2023, 1, 1),
        unit=province["HG-BM"],
    )
    client.login(username="vanthu.bm", password=PASSWORD)
    client.post(
        reverse("documents_admin:relation_add", args=[document.pk]), {"kind": "replaces", "target_number": "07/CT-TW"}
    )
    target = seed_documents["07-CT/TW"]
    target.refresh_from_db()
    assert target.status == "expired"
    assert Relation.objects.filter(source=document, kind="replaces", target=target).exists()
    page = client.get(reverse("documents_admin:edit", args=[document.pk])).content.decode()
    assert "07-CT/TW" in page
    client.post(
        reverse("documents_admin:relation_add", args=[document.pk]), {"kind": "amends", "target_number": "99-CT/TW"}
    )
    assert (
        "Không có văn bản nào mang số 99-CT/TW."
        in client.get(reverse("documents_admin:edit", args=[document.pk])).content.decode()
    )


def test_what_the_first_page_says_is_suggested_and_applied_on_request(client, filer, province, seed_documents):
    document = make_document("", "Kế hoạch chưa điền số", type_name="Kế hoạch", unit=province["HG-BM"])
    issuer_get_or_create("Tỉnh ủy Hà Giang")  # known: the heading in capitals is matched to its spelling
    lines = _heading("45-KH/TU", "Tỉnh ủy Hà Giang", "12/12/2016", "Kế hoạch", "Thực hiện Chỉ thị 07", ["07-CT/TW"])
    document_file = document_file_add(document, ContentFile(pdf_make(lines, ["Nội dung."]), name="45.pdf"))
    scan_process(Scan.objects.get(pk=document_file.scan_id))
    document.refresh_from_db()
    assert document.suggestion.values["number"] == "45-KH/TU"
    assert document.suggestion.related_numbers == ["07-CT/TW"]
    client.login(username="vanthu.bm", password=PASSWORD)
    page = client.get(reverse("documents_admin:edit", args=[document.pk])).content.decode()
    assert "12/12/2016" in page and "45-KH/TU" in page
    client.post(reverse("documents_admin:suggestion_apply", args=[document.pk]))
    document.refresh_from_db()
    assert (document.number, document.issued_on, str(document.issuer)) == (
        "45-KH/TU",
        datetime.date(2016, 12, 12),
        "Tỉnh ủy Hà Giang",
    )
    assert document.type == DocumentType.objects.get(name="Kế hoạch")  # kept
    assert Relation.objects.filter(source=document, kind="based_on", target=seed_documents["07-CT/TW"]).exists()


def test_the_back_office_lists_the_newest_first_and_the_undated_last_and_sorts_by_a_column(client, filer, province):
    for number, title, day in [
        ("1-KH/HU", "Kế hoạch A không ghi ngày", None),
        ("2-KH/HU", "Kế hoạch B năm 2020", datetime.date(2020, 5, 1)),
        ("3-KH/HU", "Kế hoạch C năm 2024", datetime.date(2024, 5, 1)),
    ]:
        make_document(number, title, type_name="Kế hoạch", issued_on=day, unit=province["HG-BM"])
    client.force_login(filer)

    def titles(**query):
        page = client.get(reverse("documents_admin:index"), query).content.decode()
        return sorted(("A", "B", "C"), key=lambda letter: page.index(f"Kế hoạch {letter}"))

    assert titles() == ["C", "B", "A"]
    assert titles(ordering="title") == ["A", "B", "C"]
    assert titles(ordering="-title") == ["C", "B", "A"]
