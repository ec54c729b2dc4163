"""A reader on a phone: home page, an article, search without accents, feedback."""

from tests.browser.conftest import screenshot
from tests.browser.test_public_pages import SEED_ARTICLE


def test_a_reader_opens_the_home_page_and_the_seed_article(demo, page_at):
    page = page_at("/", width=360)
    assert page.locator("h2", has_text="Mới nhất").is_visible()
    screenshot(page, "reader-home-360")
    page.get_by_role(
        "link", name="Ngành tuyên giáo Hà Giang nỗ lực hoàn thành tốt nhiệm vụ trong quý III"
    ).first.click()
    page.wait_for_load_state("networkidle")
    assert "Thứ Năm, 20/10/2022 15:32'(GMT+7)" in page.locator(".article__dateline").inner_text()
    screenshot(page, "reader-article-360")
    wide = page_at(SEED_ARTICLE, width=1280)
    screenshot(wide, "reader-article-1280")
    assert page.csp_violations == [] and wide.csp_violations == []


def test_a_reader_searches_without_accents(demo, page_at):
    page = page_at("/", width=360)
    page.fill("#site-search-q", "tuyen giao ha giang")
    page.press("#site-search-q", "Enter")
    page.wait_for_load_state("networkidle")
    # The documents store's match comes first, then the news.
    assert "05-NQ/TU" in page.locator(".search-documents .results li").first.inner_text()
    first = page.locator(".results--news li").first
    assert "Ngành tuyên giáo Hà Giang" in first.inner_text()
    assert first.locator("mark").count() >= 1
    screenshot(page, "reader-search-360")


def test_a_reader_sends_feedback_and_sees_it_awaits_moderation(demo, page_at):
    page = page_at(SEED_ARTICLE, width=360)
    page.locator("#feedback-form").scroll_into_view_if_needed()
    page.wait_for_selector("#id_name")  # loaded by HTMX when it comes into view
    page.fill("#id_name", "Nguyễn Thị Hoa")
    page.fill("#id_contact", "hoa@example.com")
    page.fill("#id_message", "Bài viết rất bổ ích, cảm ơn Ban biên tập.")
    page.click("#phan-hoi button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert "đang chờ duyệt" in page.locator(".messages").inner_text()
    assert "Bài viết rất bổ ích" not in page.locator("#phan-hoi").inner_text()
    screenshot(page, "reader-feedback-sent-360")
