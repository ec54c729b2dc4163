"""The e-book library in Chromium: opening a book, searching inside it, jumping to a hit with the words marked,
continuing where one left off after signing in again, reading a bulletin issue; axe-core at 360 px."""

import pytest

from tests.browser.conftest import axe_serious, screenshot
from tuyengiao.library.tests.conftest import PAGES, book_add


@pytest.fixture
def books(transactional_db, tmp_path, monkeypatch, settings):
    from tuyengiao.library.models import Book
    from tuyengiao.library.tests.conftest import media_in

    media_in(tmp_path, settings, monkeypatch)
    book = book_add(title="Lịch sử Đảng bộ huyện Bắc Mê", pages=PAGES, year=2021)
    bulletin = book_add(
        title="Bản tin Tuyên giáo",
        pages=[("Tiêu điểm", ["Học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh."])],
        kind=Book.Kind.BULLETIN,
        year=2023,
        issue_number=2,
    )
    return {"book": book, "bulletin": bulletin}


def _rendered(page, number: int) -> None:
    page.wait_for_function(
        "n => document.querySelector('[data-reader]')?.dataset.rendered == n", arg=str(number), timeout=20_000
    )


def test_a_reader_opens_a_book_on_a_phone_searches_inside_and_jumps_to_the_hit(books, page_at):
    page = page_at("/thu-vien/", width=360)
    page.click("text=Lịch sử Đảng bộ huyện Bắc Mê")
    page.click("a.button >> text=Đọc")
    reader = page.locator("[data-reader]")
    _rendered(page, 1)
    assert reader.get_attribute("data-current") == "1"
    assert page.csp_violations == []
    page.click("[data-next]")
    _rendered(page, 2)
    page.click("[data-panel='search']")
    page.fill("[data-search-form] input[type=search]", "yen phu")
    page.press("[data-search-form] input[type=search]", "Enter")
    hit = page.locator("[data-search-results] [data-hit-page='5']")
    hit.wait_for()
    assert "Yên Phú" in hit.inner_text()
    hit.click()
    _rendered(page, 5)
    assert reader.get_attribute("data-current") == "5"
    if reader.get_attribute("data-mode") == "pdf":
        page.wait_for_selector(".textLayer .hit")
        assert "Yên" in page.locator(".textLayer .hit").first.inner_text()
    assert "trang=5" in page.url
    screenshot(page, "library-reader-360")


def test_the_contents_and_go_to_page_open_the_right_page_at_1280(books, page_at):
    page = page_at(f"/thu-vien/sach/{books['book'].pk}/doc/", width=1280, height=800)
    _rendered(page, 1)
    page.click("[data-panel='toc']")
    page.click("[data-toc-page='4']")
    _rendered(page, 4)
    page.fill("[data-page-input]", "6")
    page.press("[data-page-input]", "Enter")
    _rendered(page, 6)
    screenshot(page, "library-reader-1280")


def test_a_signed_in_reader_continues_where_they_left_off_after_signing_in_again(books, browser, live_server):
    from tuyengiao.accounts.tests.factories import PASSWORD, UserFactory
    from tuyengiao.library.models import ReadingPosition

    UserFactory(username="docgia.bm", is_staff=True)
    book = books["book"]

    def signed_in_page():
        context = browser.new_context(viewport={"width": 360, "height": 780})
        page = context.new_page()
        page.goto(live_server.url + "/admin/login/")
        page.fill("#id_username", "docgia.bm")
        page.fill("#id_password", PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_url("**/admin/")
        return context, page

    context, page = signed_in_page()
    page.goto(f"{live_server.url}/thu-vien/sach/{book.pk}/doc/?trang=3")
    _rendered(page, 3)
    page.click("[data-next]")
    _rendered(page, 4)
    with page.expect_response(lambda response: "/vi-tri/" in response.url and response.status == 200, timeout=10_000):
        pass
    context.close()  # another device: a new browser, signed in again
    context, page = signed_in_page()
    page.goto(live_server.url + "/thu-vien/")
    page.click("text=Tiếp tục đọc ở trang 4")
    _rendered(page, 4)
    kept = ReadingPosition.objects.get(book=book)
    page.goto(live_server.url + "/thu-vien/")  # leaving at the page the server holds sends nothing
    page.wait_for_timeout(1000)
    assert ReadingPosition.objects.get(book=book).updated_at == kept.updated_at
    context.close()


def test_a_reader_opens_a_bulletin_issue_from_the_list_by_year(books, page_at):
    page = page_at("/thu-vien/ban-tin/", width=360)
    assert page.locator("h2", has_text="2023").count() == 1
    page.click("text=Bản tin Tuyên giáo số 2/2023")
    page.click("a.button >> text=Đọc")
    _rendered(page, 1)
    page.click("[data-next]")
    _rendered(page, 2)


def test_library_pages_pass_axe_at_360_px_without_sideways_scrolling(books, page_at):
    book = books["book"]
    for path in [
        "/thu-vien/",
        "/thu-vien/ban-tin/",
        "/thu-vien/tim-kiem/?q=dang+bo",
        f"/thu-vien/sach/{book.pk}/",
        f"/thu-vien/sach/{book.pk}/doc/?q=yen+phu&trang=5",
    ]:
        page = page_at(path, width=360, bypass_csp=True)
        if "/doc/" in path:
            _rendered(page, 5)
        assert axe_serious(page) == [], path
        assert page.evaluate("document.documentElement.scrollWidth") <= 360, path
        screenshot(
            page, "library" + path.replace("/", "_").replace("?", "_").replace("=", "-").replace("&", "_") + "-360"
        )


def test_a_scanned_book_is_drawn_from_its_pdf_with_the_ocr_words_marked(
    transactional_db, tmp_path, monkeypatch, settings, page_at
):
    """Scans are often CCITT or JBIG2 images, which pdf.js decodes with its WebAssembly modules (wasmUrl)."""
    from django.core.files.base import ContentFile

    from tuyengiao.library.demo import scanned_book_make
    from tuyengiao.library.models import Book
    from tuyengiao.library.services import book_save
    from tuyengiao.library.tests.conftest import media_in, publish

    media_in(tmp_path, settings, monkeypatch)
    data = scanned_book_make("Truyền thống ngành", [("Phần một", ["Ngành Tuyên giáo Hà Giang ra đời năm 1945."])])
    book = publish(book_save(Book(title="Truyền thống ngành"), pdf=ContentFile(data, name="scan.pdf")))
    page = page_at(f"/thu-vien/sach/{book.pk}/doc/?trang=2&q=tuyen+giao", width=1280, height=800)
    _rendered(page, 2)
    reader = page.locator("[data-reader]")
    assert reader.get_attribute("data-mode") == "pdf"
    dark = page.evaluate(
        """() => { const canvas = document.querySelector('[data-reader] canvas');
        const pixels = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
        let dark = 0; for (let i = 0; i < pixels.length; i += 4) if (pixels[i] < 128) dark++; return dark; }"""
    )
    assert dark > 1000, "the scanned page image is drawn, not a blank page"
    page.wait_for_selector(".textLayer .hit")
    assert page.csp_violations == []
