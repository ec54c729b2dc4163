"""The documents store in a browser: search with filters, the viewer opening at the hit's page, the import preview."""

import datetime
from pathlib import Path

from django.core.files.base import ContentFile
from PIL import Image

from tests.browser.conftest import axe_serious, screenshot
from tuyengiao.documents.demo import pdf_make

ADMIN_PASSWORD = "mat-khau-quan-tri-2026"


def _three_page_document():
    from tuyengiao.digitise.models import Scan
    from tuyengiao.digitise.services import scan_process
    from tuyengiao.documents.services import document_file_add
    from tuyengiao.documents.tests.conftest import make_document

    document = make_document(
        "13-HD/BTGTU",
        "Hướng dẫn tuyên truyền miệng",
        type_name="Hướng dẫn",
        issuer="Ban Tuyên giáo Tỉnh ủy",
        issued_on=datetime.date(2022, 1, 10),
        level="province",
    )
    filler = ["Nội dung chung về công tác tuyên truyền. " * 30] * 6
    content = pdf_make([("title", "HƯỚNG DẪN")], [*filler, *filler, "Đội ngũ báo cáo viên ở Mèo Vạc được tập huấn."])
    document_file = document_file_add(document, ContentFile(content, name="huong-dan.pdf"))
    scan_process(Scan.objects.get(pk=document_file.scan_id))
    document.refresh_from_db()
    assert document.page_map[0][1] >= 3
    return document


def test_search_filters_and_the_viewer_opens_at_the_page_of_the_hit(demo, page_at):
    document = _three_page_document()
    page = page_at("/van-ban/?q=bao+cao+vien+meo+vac", width=360)
    hit = page.locator(".doc-hit").first
    assert "13-HD/BTGTU" in hit.inner_text()
    assert hit.locator("mark").first.inner_text() in ("báo cáo viên", "báo cáo viên ở Mèo Vạc")
    link = hit.locator("a.page-link")
    pages = document.page_map[0][1]
    assert link.inner_text().endswith(str(pages))
    link.click()
    page.wait_for_selector(f"[data-rendered='{pages}']", timeout=20000)
    assert page.input_value("#pdf-page") == str(pages)
    assert page.csp_violations == []
    screenshot(page, "documents-viewer-360")
    page.click("[data-prev]")
    page.wait_for_selector(f"[data-rendered='{pages - 1}']", timeout=20000)

    page = page_at("/van-ban/?q=chi+thi", width=360)
    page.click("summary")
    page.fill("#id_year_from", "2010")
    page.click(".doc-search button[type=submit]")
    page.wait_for_load_state()
    assert page.locator("details.search-filters[open]").count() == 1  # the year chosen stays in sight
    numbers = page.locator(".doc-hit h2").all_inner_texts()
    assert numbers and all("2007" not in text for text in numbers)
    assert any("19-CT/TW" in text for text in numbers) and not any("17-CT/TW" in text for text in numbers)
    page.locator(".facets a", has_text="Chỉ thị").first.click()
    page.wait_for_load_state()
    assert "type=" in page.url and page.locator(".doc-hit").count() >= 2
    assert all("Chỉ thị" in text for text in page.locator(".doc-hit h2").all_inner_texts())
    screenshot(page, "documents-search-360")


def test_document_page_and_viewer_pass_axe(demo, page_at):
    document = _three_page_document()
    for path in (f"/van-ban/{document.pk}/", f"/van-ban/{document.pk}/xem/{document.files.get().pk}/?trang=2"):
        page = page_at(path, width=360, bypass_csp=True)
        assert axe_serious(page) == [], path
        assert page.evaluate("document.documentElement.scrollWidth") <= 360, path


def test_the_import_preview_lists_each_rows_problem(demo, page_at, tmp_path, settings):
    from django.contrib.auth import get_user_model

    from tuyengiao.orgs.models import Unit

    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    get_user_model().objects.create_superuser("bientap.vb", "vb@example.com", ADMIN_PASSWORD)
    (tmp_path / "19.pdf").write_bytes(pdf_make([("title", "CHỈ THỊ")], ["Nội dung"]))
    metadata = tmp_path / "metadata.csv"
    metadata.write_text(
        "Tệp,Số ký hiệu,Loại văn bản,Trích yếu,Ngày ban hành\n"
        "19.pdf,19/CT-TW,Chỉ thị,Về dạy nghề,05/11/2012\n"
        "khong-co.pdf,20-CT/TW,Sắc lệnh,Loại lạ,31/02/2012\n"
        "anh.pdf,21-CT/TW,Chỉ thị,Ảnh chụp lưu nhầm tên,05/12/2012\n",
        encoding="utf-8",
    )
    Image.new("L", (40, 20), 255).save(tmp_path / "anh.pdf", format="PNG")  # a scan saved as PNG, named .pdf
    page = page_at("/admin/login/", width=1200)
    page.fill("#id_username", "bientap.vb")
    page.fill("#id_password", ADMIN_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url("**/admin/")
    page.goto(page.url + "documents-store/import/")
    page.set_input_files("#id_metadata", str(metadata))
    page.set_input_files("#id_files", [str(tmp_path / "19.pdf"), str(tmp_path / "anh.pdf")])
    page.select_option("#id_unit", value=str(Unit.objects.get(code="HG-BTG").pk))
    page.click("form button[type=submit] >> text=Kiểm tra các dòng")
    page.wait_for_selector(".import-preview")
    assert "1 trên 3 dòng có thể nhập" in page.inner_text(".import-summary")
    rows = page.locator(".import-row--error")
    # Each problem of the row on its own line, as a sentence.
    assert rows.nth(0).locator(".row-errors li").all_inner_texts() == [
        "Không có tệp “khong-co.pdf” trong thư mục.",
        "Loại “Sắc lệnh” không có trong danh mục loại văn bản.",
        "“31/02/2012” không phải là ngày; hãy viết theo dạng dd/mm/yyyy.",
    ]
    # The file is told by its first bytes, before anything is stored.
    assert rows.nth(1).locator(".row-errors li").all_inner_texts() == [
        "Tệp mang đuôi .pdf nhưng nội dung là tệp PNG. Hãy kiểm tra đã chọn đúng tệp chưa, hoặc đổi tên cho khớp "
        "với nội dung."
    ]
    assert "sẽ được thêm" in page.locator(".import-row--ok").inner_text()
    screenshot(page, "documents-import-preview")
    # On a phone the admin's body hides what overflows: the table scrolls in its own region, by keyboard too.
    page.set_viewport_size({"width": 360, "height": 800})
    region = page.get_by_role("region", name="Các dòng trong tệp và kết quả xử lý từng dòng")
    assert region.get_attribute("tabindex") == "0"
    region.evaluate("element => { element.scrollLeft = element.scrollWidth; }")
    shown = region.evaluate(
        "element => { const cell = element.querySelector('.import-row--error td:last-child');"
        " return cell.getBoundingClientRect().right - element.getBoundingClientRect().right; }"
    )
    assert shown <= 1  # the end of the results column can be brought into view
    assert Path(settings.PRIVATE_MEDIA_ROOT).exists()
