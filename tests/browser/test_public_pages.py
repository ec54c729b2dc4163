"""Public pages at 360 px: axe-core finds no serious or critical problem, and the pages pass our CSP."""

from pathlib import Path

import pytest

from tests.browser.conftest import screenshot

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
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
    "/van-ban/?q=thong+tin+co+so",
    "/van-ban/cap/province/",
    "/cuoc-thi/",
    "/cuoc-thi/tim-hieu-nghi-quyet-27-nq-tw/",  # the demo contest (tuyengiao/contests/demo.py)
    "/cuoc-thi/tim-hieu-nghi-quyet-27-nq-tw/vong/1/xep-hang/",
]


@pytest.mark.parametrize("path", PUBLIC_PAGES)
def test_public_page_passes_axe_at_360_px(demo, page_at, path):
    page = page_at(path, width=360, bypass_csp=True)
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    serious = [
        f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}"
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]
    assert serious == []
    assert page.evaluate("document.documentElement.scrollWidth") <= 360, "no sideways scrolling on a phone"
    screenshot(page, "public" + path.replace("/", "_").replace("?", "_").replace("=", "-") + "-360")


@pytest.mark.parametrize("path", PUBLIC_PAGES)
def test_public_page_passes_the_content_security_policy(demo, page_at, path):
    page = page_at(path, width=360)
    page.wait_for_load_state("networkidle")
    assert page.csp_violations == []


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
