"""Public pages at 360 px: axe-core finds no serious or critical problem, and the pages pass our CSP."""

from tests.browser.conftest import axe_serious, screenshot

SEED_ARTICLE = "/tuyen-giao-cac-cap/nganh-tuyen-giao-ha-giang-no-luc-hoan-thanh-tot-nhiem-vu-quy-iii/"
PUBLIC_PAGES = [
    "/",
    "/tuyen-giao-cac-cap/",
    SEED_ARTICLE,
    "/tim-kiem/?q=tuyen+giao+ha+giang",
    "/luu-tru/2022/10/",
    "/gioi-thieu/",
    "/english/",
    "/thu-vien-anh/",
    "/thu-vien-anh/album-1/",
    "/don-vi/",
    "/don-vi/HG-BM/",
    "/tim-kiem/?q=tuyen+giao&category=&from=31%2F02%2F2022&to=",  # the filters open, with a date refused
    "/van-ban/?q=thong+tin+co+so",
    "/van-ban/?q=chi+thi&year_from=2010&sort=relevance",  # the filters open
    "/van-ban/cap/province/",
    "/cuoc-thi/",
    "/cuoc-thi/tim-hieu-nghi-quyet-27-nq-tw/",  # the demo contest (tuyengiao/contests/demo.py)
    "/cuoc-thi/tim-hieu-nghi-quyet-27-nq-tw/vong/1/xep-hang/",
]


# Each check seeds the demo once and visits every page in turn, a subtest per page: seeding costs 10–20 s, a page
# well under one. The two checks are two tests, so that the workers run them side by side.
def test_public_pages_pass_axe_at_360_px(demo, page_at, subtests):
    for path in PUBLIC_PAGES:
        with subtests.test(path=path):
            page = page_at(path, width=360, bypass_csp=True)
            assert axe_serious(page) == []
            assert page.evaluate("document.documentElement.scrollWidth") <= 360, "no sideways scrolling on a phone"
            screenshot(page, "public" + path.replace("/", "_").replace("?", "_").replace("=", "-") + "-360")
            page.context.close()


def test_public_pages_pass_the_content_security_policy(demo, page_at, subtests):
    for path in PUBLIC_PAGES:
        with subtests.test(path=path):
            page = page_at(path, width=360)
            page.wait_for_load_state("networkidle")
            assert page.csp_violations == []
            page.context.close()


def test_the_language_switch_works_without_javascript(demo, browser, live_server):
    context = browser.new_context(viewport={"width": 360, "height": 780}, java_script_enabled=False)
    page = context.new_page()
    page.goto(live_server.url + "/don-vi/")
    assert page.locator("h1").inner_text() == "Đơn vị"
    page.select_option("#language-select", "en")
    page.click(".language-switch button")
    assert page.locator("h1").inner_text() == "Units"
    assert page.url.endswith("/don-vi/")
    context.close()


def test_a_search_from_the_box_shows_its_first_result_in_a_phones_first_screen(demo, page_at):
    """At 360 × 640, as a citizen's phone shows it: the filters stay folded until one is chosen."""
    searches = (
        ("/tim-kiem/", "#search-q", "tuyen giao ha giang", "category=&from=&to="),
        ("/van-ban/", "#id_q", "chi thi 19", "&sort=relevance"),  # the sort sent opened the filters before
    )
    for path, box, words, sent in searches:
        page = page_at(path, width=360, height=640)
        page.fill(box, words)
        with page.expect_navigation():
            page.press(box, "Enter")
        assert sent in page.url and page.locator("details.search-filters[open]").count() == 0
        first = page.locator("main ol.results > li").first
        assert first.bounding_box()["y"] + 40 < 640, f"{page.url}: the first result starts below the first screen"
        page.context.close()
