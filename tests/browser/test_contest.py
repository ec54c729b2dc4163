"""A participant takes a round on a 360 px phone: registers, watches the countdown, answers, and the attempt
sends itself at the limit; then the score."""

import datetime

from django.utils import timezone
from playwright.sync_api import expect

from tests.browser.conftest import axe_serious, screenshot

TIME_LIMIT = 8  # seconds


def _contest():
    from tuyengiao.contests.models import Contest, Round
    from tuyengiao.contests.tests.factories import question_add
    from tuyengiao.orgs.models import UnitKind
    from tuyengiao.orgs.tests.factories import UnitFactory

    province = UnitFactory(code="B-HG", name="Tỉnh Thử", kind=UnitKind.PROVINCE)
    UnitFactory(code="B-BM", name="Huyện Thử Bắc", kind=UnitKind.DISTRICT, parent=province)
    contest = Contest.objects.create(
        title="Cuộc thi thử trên điện thoại",
        slug="thi-thu",
        unit=province,
        rules="Trả lời trong thời gian cho phép.",
        registration={"full_name": "required", "phone": "required", "unit": "required", "cccd": "on"},
        published=True,
    )
    now = timezone.now()
    Round.objects.create(
        contest=contest,
        number=1,
        opens_at=now - datetime.timedelta(hours=1),
        closes_at=now + datetime.timedelta(days=1),
        question_count=2,
        shuffle_options=False,
        time_limit=TIME_LIMIT,
    )
    for order, (text, options) in enumerate(
        [
            ("Nghị quyết 27-NQ/TW bàn về vấn đề gì?", [("Nhà nước pháp quyền", True), ("Nông nghiệp", False)]),
            ("Nghị quyết được ban hành năm nào?", [("Năm 2022", True), ("Năm 2000", False)]),
        ]
    ):
        question_add(contest, text, options, order=order)
    return contest


def test_a_participant_on_a_phone_answers_and_the_attempt_sends_itself_at_the_limit(page_at):
    _contest()
    page = page_at("/cuoc-thi/thi-thu/", width=360)
    page.fill("#id_full_name", "Nguyễn Văn An")
    page.fill("#id_phone", "0912345678")
    page.select_option("#id_unit", "B-BM")
    page.check("#id_consent")
    page.click(".contest-form button[type=submit]")
    page.wait_for_url("**/cuoc-thi/lam-bai/*/")
    assert page.csp_violations == []
    assert page.evaluate("document.documentElement.scrollWidth") <= 360

    clock = page.locator("[data-countdown]")
    first = clock.inner_text()
    expect(clock).not_to_have_text(first, timeout=3000)
    assert clock.inner_text() < first  # counting down (mm:ss compares as text)

    page.get_by_label("Nhà nước pháp quyền").check()
    page.get_by_label("Năm 2000").check()
    screenshot(page, "contest-attempt-360")
    # No click on "Submit": the page sends itself when the countdown reaches zero.
    page.wait_for_url("**/cuoc-thi/ket-qua/*/", timeout=(TIME_LIMIT + 5) * 1000)
    assert "1/2" in page.locator("[data-score]").inner_text()
    assert page.csp_violations == []
    screenshot(page, "contest-result-360")


def test_the_contest_pages_pass_axe_at_360_px(page_at):
    _contest()
    for path in ("/cuoc-thi/", "/cuoc-thi/thi-thu/", "/cuoc-thi/thi-thu/vong/1/xep-hang/"):
        page = page_at(path, width=360, bypass_csp=True)
        assert axe_serious(page) == [], path
        assert page.evaluate("document.documentElement.scrollWidth") <= 360, path
