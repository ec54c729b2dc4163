"""An editor signs in to the staff back office and works in Vietnamese."""

from tests.browser.conftest import screenshot

DEMO_PASSWORD = "demo-tuyengiao"


def sign_in(page, username):
    page.fill("#id_username", username)
    page.fill("#id_password", DEMO_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_load_state("networkidle")


def test_the_demo_editor_signs_in_and_sees_the_vietnamese_admin(demo, page_at):
    page = page_at("/admin/", width=1280)
    assert page.locator("html").get_attribute("lang") == "vi"
    assert page.get_by_role("button", name="Đăng nhập").is_visible()
    assert page.locator("h1").inner_text() == "Đăng nhập Tuyên giáo số"
    assert page.get_by_label("Mật khẩu").is_visible()
    screenshot(page, "admin-login")
    sign_in(page, "bientap.tinh")
    assert page.url.endswith("/admin/")
    menu = page.locator("nav").first.inner_text()
    for item in ("Hình ảnh", "Tài liệu", "Đơn vị", "Trợ giúp"):
        assert item in menu, item
    assert "đã tạo trong Tuyên giáo số" in page.locator("main").inner_text()
    screenshot(page, "admin-dashboard-editor")
    page.goto(page.url.replace("/admin/", "/admin/images/"))
    page.wait_for_load_state("networkidle")
    assert "Hình ảnh" in page.title()
    assert page.csp_violations == []


def test_a_district_editor_sees_only_its_district_in_the_units_list(demo, page_at):
    page = page_at("/admin/login/", width=1280)
    sign_in(page, "bientap.bacme")
    page.goto(page.url.replace("/admin/", "/admin/units/"))
    names = page.locator("main").inner_text()
    assert "Huyện Bắc Mê" in names
    assert "Xã Yên Cường" in names
    assert "Huyện Đồng Văn" not in names
    screenshot(page, "admin-units-district-editor")


def test_wrong_password_gets_a_vietnamese_message_and_keeps_the_user_name(demo, page_at):
    page = page_at("/admin/login/", width=360)
    page.fill("#id_username", "bientap.tinh")
    page.fill("#id_password", "sai-mat-khau")
    page.click("button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert "tên đăng nhập và mật khẩu" in page.locator("body").inner_text().lower()
    assert page.input_value("#id_username") == "bientap.tinh"
    screenshot(page, "admin-login-error-360")


def test_the_province_administrator_imports_units_and_reads_the_audit_log(demo, page_at, tmp_path):
    page = page_at("/admin/login/", width=1280)
    sign_in(page, "quantri.tinh")
    page.goto(page.url.replace("/admin/", "/admin/units/import/"))
    bad = tmp_path / "don-vi.csv"
    bad.write_text(
        "Mã đơn vị,Tên đơn vị,Mã đơn vị cấp trên\nHG-BM-99,,HG-KHONG-CO\nHG-BM-01,Trùng mã,HG-BM\n", encoding="utf-8"
    )
    page.set_input_files("input[type=file]", str(bad))
    page.click("main button[type=submit]")
    errors = page.locator("[role=alert]").inner_text()
    assert "Dòng 2: thiếu tên đơn vị." in errors
    assert "Dòng 2: đơn vị cấp trên “HG-KHONG-CO” không có trong tệp cũng như trong hệ thống." in errors
    screenshot(page, "admin-import-errors")
    good = tmp_path / "don-vi.xlsx.csv"
    good.write_text("Mã đơn vị,Tên đơn vị,Loại đơn vị,Mã đơn vị cấp trên\nHG-BM-99,Xã Mới,Xã,HG-BM\n", encoding="utf-8")
    page.set_input_files("input[type=file]", str(good))
    page.click("main button[type=submit]")
    page.wait_for_load_state("networkidle")
    screenshot(page, "admin-import-second")
    assert "Đã nhập xong: tạo mới 1, cập nhật 0, không đổi 0." in page.locator("body").inner_text()
    page.goto(page.url.split("/admin/")[0] + "/admin/audit/")
    log = page.locator("main").inner_text()
    assert "Nhập đơn vị từ tệp" in log and "quantri.tinh" in log
    screenshot(page, "admin-audit-log")
    assert page.csp_violations == []
