"""Proofreading: staff of the scan's unit correct the pages Tesseract was unsure of, and nobody else."""

import unicodedata

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from tuyengiao.accounts.tests.factories import PASSWORD
from tuyengiao.core.models import AuditEntry
from tuyengiao.digitise.models import Scan, ScanPage
from tuyengiao.digitise.signals import scan_finished

MACHINE = "Chi thj cua Ban Bi thu vé tăng cưòng"
CORRECT = "Chỉ thị của Ban Bí thư về tăng cường"


@pytest.fixture
def doubtful_page(province):
    """A page that OCR read badly, in a scan of Huyện Bắc Mê (built directly: OCR itself is tested elsewhere)."""
    scan = Scan(name="chi-thi-19.pdf", kind=Scan.Kind.PDF, size=4, sha256="0" * 64, unit=province["HG-BM"])
    scan.original.save("chi-thi-19.pdf", ContentFile(b"%PDF"), save=False)
    scan.status, scan.pages_total, scan.pages_done, scan.method = Scan.Status.DONE, 1, 1, Scan.Method.OCR
    scan.save()
    page = ScanPage(scan=scan, number=1, method="ocr", text=MACHINE, machine_text=MACHINE, confidence=41.5)
    page.needs_proofreading = True
    page.image.save("trang.webp", ContentFile(b"RIFF....WEBPVP8 "), save=False)
    page.save()
    return page


@pytest.fixture
def as_user(client):
    def login(user):
        assert client.login(username=user.username, password=PASSWORD)
        return client

    return login


def edit_url(page):
    return reverse("digitise_page_proofread", args=[page.scan_id, page.number])


def test_the_queue_lists_doubtful_pages_to_the_units_editor(as_user, district_editor, doubtful_page):
    page = as_user(district_editor).get(reverse("digitise_proofreading")).content.decode()
    assert "chi-thi-19.pdf" in page
    assert edit_url(doubtful_page) in page
    assert "42%" in page


def test_the_queue_of_a_sibling_units_editor_is_empty(as_user, sibling_user, doubtful_page):
    page = as_user(sibling_user).get(reverse("digitise_proofreading")).content.decode()
    assert "chi-thi-19.pdf" not in page


def test_staff_of_a_unit_below_do_not_proofread_the_districts_scans(as_user, commune_staff, doubtful_page):
    page = as_user(commune_staff).get(reverse("digitise_proofreading")).content.decode()
    assert "chi-thi-19.pdf" not in page
    assert as_user(commune_staff).get(edit_url(doubtful_page)).status_code == 404


def test_the_editor_sees_the_image_beside_the_text(as_user, district_editor, doubtful_page):
    client = as_user(district_editor)
    response = client.get(edit_url(doubtful_page))
    page = response.content.decode()
    assert response.status_code == 200
    assert MACHINE in page
    image_url = reverse("digitise_page_image", args=[doubtful_page.scan_id, 1])
    assert f'src="{image_url}"' in page
    assert "<script>" not in page
    assert client.get(image_url)["Content-Type"] == "image/webp"


def test_a_sibling_units_editor_cannot_open_the_page_or_its_image(as_user, sibling_user, doubtful_page):
    client = as_user(sibling_user)
    assert client.get(edit_url(doubtful_page)).status_code == 404
    assert client.post(edit_url(doubtful_page), {"text": "sửa bậy"}).status_code == 404
    assert client.get(reverse("digitise_page_image", args=[doubtful_page.scan_id, 1])).status_code == 404
    doubtful_page.refresh_from_db()
    assert doubtful_page.text == MACHINE


def test_saving_the_corrected_text_keeps_the_machines_and_leaves_the_queue(as_user, district_editor, doubtful_page):
    sent = []
    scan_finished.connect(receiver := lambda sender, scan, **kwargs: sent.append(scan.text()))
    try:
        response = as_user(district_editor).post(
            edit_url(doubtful_page), {"text": unicodedata.normalize("NFD", CORRECT)}
        )
    finally:
        scan_finished.disconnect(receiver)
    assert response.status_code == 302
    doubtful_page.refresh_from_db()
    assert doubtful_page.text == CORRECT  # stored NFC
    assert doubtful_page.machine_text == MACHINE
    assert not doubtful_page.needs_proofreading
    assert doubtful_page.proofread_by == district_editor
    assert doubtful_page.proofread_at
    assert sent == [CORRECT]
    entry = AuditEntry.objects.get(action="scan.proofread")
    assert (entry.actor, entry.object_id) == (district_editor, str(doubtful_page.pk))
    assert (
        edit_url(doubtful_page) not in as_user(district_editor).get(reverse("digitise_proofreading")).content.decode()
    )
