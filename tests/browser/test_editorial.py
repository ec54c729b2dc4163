"""An editor of a district writes an article and submits it; an approver publishes it; a reader sees it."""

import re

from playwright.sync_api import expect

from tests.browser.conftest import screenshot
from tests.browser.test_admin_vietnamese import sign_in

TITLE = "Bắc Mê tổ chức hội nghị báo cáo viên quý IV"


def test_an_article_goes_from_draft_through_review_to_the_reader(demo, page_at):
    from tuyengiao.portal.models import ArticlePage, CategoryPage

    section = CategoryPage.objects.get(slug="bac-me")
    editor = page_at("/admin/login/", width=1280)
    sign_in(editor, "bientap.bacme")
    editor.goto(editor.url.replace("/admin/", f"/admin/pages/add/portal/articlepage/{section.pk}/"))
    editor.fill("#id_title", TITLE)
    editor.locator("#id_title").press("Tab")  # leaving the title fills the address (slug) from it
    expect(editor.locator("#id_slug")).to_have_value(re.compile(r"^bắc-mê-tổ-chức-hội-nghị"))
    editor.fill("#id_lead", "Hội nghị cung cấp thông tin thời sự cho hơn 60 báo cáo viên cơ sở.")
    # Wagtail's date picker is started by static/js/admin-widgets.js, without an inline script.
    assert editor.locator('script[data-chooser-target="id_date"][data-chooser-done]').count() == 1
    screenshot(editor, "editor-writes-article")
    with editor.expect_navigation():  # the save has answered (the page may look idle before the POST starts)
        editor.locator('button[name="action-submit"]').evaluate("button => button.click()")
    article = ArticlePage.objects.get(title=TITLE)
    assert not article.live
    assert article.workflow_in_progress
    assert editor.csp_violations == []

    reader = page_at(section.url, width=360)
    assert TITLE not in reader.locator("main").inner_text()

    approver = page_at("/admin/login/", width=1280)
    sign_in(approver, "duyet.tinh")
    assert TITLE in approver.locator("main").inner_text()  # the dashboard lists what awaits review
    screenshot(approver, "approver-dashboard")
    approver.goto(approver.url.replace("/admin/", f"/admin/pages/{article.pk}/edit/"))
    with approver.expect_navigation():
        approver.locator('[data-workflow-action-name="approve"]').first.evaluate("button => button.click()")
    article.refresh_from_db()
    assert article.live

    reader.goto(reader.url)
    assert TITLE in reader.locator("main").inner_text()
    reader.get_by_role("link", name=TITLE).click()
    reader.wait_for_load_state("networkidle")
    assert reader.locator("h1").inner_text() == TITLE
    screenshot(reader, "reader-sees-published-article-360")
