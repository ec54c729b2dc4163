"""The organisers' side of a contest in a browser: a district organiser imports a question bank (preview with
each bad row's problem, then confirm) and reads the dashboard; and the public ranking of a closed round, whose
ties are broken by the contest's tie-break chain (changing the chain changes the order)."""

import datetime
import io

from django.utils import timezone
from openpyxl import Workbook

from tests.browser.conftest import screenshot

HEADERS = ["Câu hỏi", "Loại", "A", "B", "C", "D", "Đáp án đúng", "Chủ đề", "Độ khó", "Giải thích"]
GOOD_ROWS = [
    [
        "Nghị quyết 27-NQ/TW về xây dựng đội ngũ trí thức được ban hành năm nào?",
        "Một đáp án",
        "Năm 2000",
        "Năm 2008",
        "Năm 2012",
        "Năm 2020",
        "B",
        "27-NQ/TW",
        "Dễ",
        "Nghị quyết 27-NQ/TW được ban hành ngày 06/08/2008.",
    ],
    [
        "Chỉ thị 17-CT/TW bàn về công tác tuyên truyền miệng.",
        "Đúng/Sai",
        "Đúng",
        "Sai",
        "",
        "",
        "A",
        "17-CT/TW",
        "Trung bình",
        "",
    ],
    [
        "Những nội dung nào là giải pháp của Nghị quyết 27-NQ/TW?",
        "Nhiều đáp án",
        "Hoàn thiện môi trường cho hoạt động của trí thức",
        "Bãi bỏ chế độ đãi ngộ trí thức",
        "Nâng cao chất lượng đào tạo, bồi dưỡng trí thức",
        "",
        "A,C",
        "27-NQ/TW",
        "Khó",
        "",
    ],
]
# The correct letter points at an option left empty: the preview names the problem and the row is not stored.
BAD_ROW = ["Câu hỏi có đáp án đúng trỏ vào ô trống", "Một đáp án", "Phương án một", "Phương án hai", "", "", "D"]


def _bank_xlsx(path):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(HEADERS)
    for row in [GOOD_ROWS[0], BAD_ROW, *GOOD_ROWS[1:]]:
        sheet.append(row)
    output = io.BytesIO()
    workbook.save(output)
    path.write_bytes(output.getvalue())
    return path


def _sign_in(page, username):
    from tuyengiao.accounts.tests.factories import PASSWORD

    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url("**/admin/")


def _register(contest, name, phone, cccd, unit="HG-BM-01"):
    from tuyengiao.contests.services import participant_register

    return participant_register(contest, {"full_name": name, "phone": phone, "cccd": cccd, "unit": unit})


def _right_answers(attempt, wrong=()):
    """The answers of an attempt: every question right except those whose text starts like one in `wrong`."""
    from tuyengiao.contests.selectors import attempt_questions

    answers = {}
    for question, options in attempt_questions(attempt):
        right = [option.pk for option in options if option.correct]
        if any(question.text.startswith(text) for text in wrong):
            right = [next(option.pk for option in options if not option.correct)]
        answers[str(question.pk)] = right
    return answers


def test_an_organiser_imports_a_bank_with_a_bad_row_and_reads_the_dashboard(province, page_at, tmp_path, settings):
    from tuyengiao.accounts.roles import Role
    from tuyengiao.accounts.tests.factories import UserFactory
    from tuyengiao.contests.models import Contest, Question, Round
    from tuyengiao.contests.services import attempt_start, attempt_submit

    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    UserFactory(username="btc.bm", unit=province["HG-BM"], roles=[(Role.CONTEST_ORGANISER, province["HG-BM"])])
    contest = Contest.objects.create(
        title="Tìm hiểu Nghị quyết 27-NQ/TW ở Bắc Mê", slug="nq27-bac-me", unit=province["HG-BM"], published=True
    )
    Contest.objects.create(title="Cuộc thi của Đồng Văn", slug="dong-van", unit=province["HG-DV"], published=True)
    now = timezone.now()
    round_ = Round.objects.create(
        contest=contest,
        number=1,
        opens_at=now - datetime.timedelta(days=1),
        closes_at=now + datetime.timedelta(days=6),
        question_count=3,
        time_limit=900,
    )

    page = page_at("/admin/login/", width=1280)
    _sign_in(page, "btc.bm")
    # The sidebar's "Cuộc thi" group, then its "Cuộc thi" list: only the contests of the organiser's district.
    page.locator("#wagtail-sidebar").get_by_role("button", name="Cuộc thi", exact=True).click()
    page.locator("#wagtail-sidebar").get_by_role("link", name="Cuộc thi", exact=True).click()
    page.wait_for_url("**/admin/contests/")
    listing = page.locator("main").inner_text()
    assert contest.title in listing and "Cuộc thi của Đồng Văn" not in listing
    page.get_by_role("button", name=f"Tùy chọn khác cho '{contest.title}'").click()
    page.locator("main").get_by_role("link", name="Nhập câu hỏi", exact=True).click()
    page.wait_for_url(f"**/admin/contests/{contest.pk}/questions/import/")
    assert page.locator("h1").inner_text().strip().startswith("Nhập câu hỏi")

    page.set_input_files("input[type=file]", str(_bank_xlsx(tmp_path / "ngan-hang.xlsx")))
    page.get_by_role("button", name="Kiểm tra các dòng").click()
    page.wait_for_selector(".import-preview")
    assert "3 trên 4 dòng có thể nhập" in page.inner_text(".import-summary")
    bad = page.locator(".import-row--error")
    assert bad.count() == 1
    assert bad.locator(".row-errors li").all_inner_texts() == ["Đáp án đúng “D” trỏ vào phương án trống."]
    assert bad.locator("td").first.inner_text().strip() == "3"  # the file's row number (the header is row 1)
    assert page.locator(".import-row--ok").count() == 3
    assert "sẽ được thêm" in page.locator(".import-row--ok").first.inner_text()
    assert Question.objects.filter(contest=contest).count() == 0  # nothing stored before the confirmation
    screenshot(page, "contest-admin-import-preview")

    page.get_by_role("button", name="Nhập 3 câu hỏi").click()
    page.wait_for_url(f"**/admin/contests/questions/?contest={contest.pk}")
    assert "Đã thêm 3 câu hỏi vào ngân hàng; bỏ qua 1 dòng có lỗi." in page.locator("body").inner_text()
    screenshot(page, "contest-admin-import-done")
    stored = {question.text: question for question in Question.objects.filter(contest=contest)}
    assert sorted(stored) == sorted(row[0] for row in GOOD_ROWS)
    multiple = stored[GOOD_ROWS[2][0]]
    assert multiple.kind == "multiple" and multiple.difficulty == "hard"
    assert [option.correct for option in multiple.options.order_by("order")] == [True, False, True]

    # Three entries through the engine: everyone gets the true/false question right, only one the multiple one.
    hardest = GOOD_ROWS[2][0]
    people = [
        ("Nguyễn Văn An", "0912000001", "002090000001", ()),
        ("Trần Thị Bình", "0912000002", "002090000002", (hardest,)),
        ("Lò Văn Cường", "0912000003", "002090000003", (hardest, GOOD_ROWS[0][0])),
    ]
    # All sent at one instant, so that the three fall in the same hour of the chart whatever the clock says.
    start, sent = timezone.now() - datetime.timedelta(minutes=30), timezone.now() - datetime.timedelta(minutes=20)
    for index, (name, phone, cccd, wrong) in enumerate(people):
        began = start + datetime.timedelta(minutes=index)
        attempt, _token = attempt_start(round_, _register(contest, name, phone, cccd), now=began)
        attempt_submit(attempt, _right_answers(attempt, wrong), 5, now=sent)

    page.goto(page.url.split("/admin/")[0] + "/admin/contests/")
    page.get_by_role("button", name=f"Tùy chọn khác cho '{contest.title}'").click()
    page.locator("main").get_by_role("link", name="Bảng điều khiển", exact=True).click()
    page.wait_for_url(f"**/admin/contests/{contest.pk}/dashboard/")
    district = page.locator("section[aria-labelledby=by-district] tbody tr")
    assert district.count() == 1
    assert district.locator("td").all_inner_texts()[:3] == ["Huyện Bắc Mê", "3", "3"]
    scores = dict(
        row.locator("td").all_inner_texts()[:2]
        for row in page.locator("section[aria-labelledby=scores] tbody tr").all()
    )
    assert scores == {"0": "0", "1": "1", "2": "1", "3": "1"}
    first = page.locator("table.hardest tbody tr").first.locator("td").all_inner_texts()
    assert first[0].startswith("Những nội dung nào là giải pháp")
    assert first[2:] == ["3", "1", "33%"]  # shown, right, facility index
    rows = page.locator("table.hardest tbody tr")
    assert rows.count() == 3 and rows.last.locator("td.facility").inner_text() == "100%"
    assert "Câu hỏi khó nhất" in page.locator("main").inner_text()
    assert "Cột cao nhất là 3 lượt." in page.locator("section[aria-labelledby=per-hour]").inner_text()
    assert page.csp_violations == []
    screenshot(page, "contest-admin-dashboard")
    page.locator("table.hardest").scroll_into_view_if_needed()  # the admin scrolls inside its own pane
    screenshot(page, "contest-admin-dashboard-hardest")

    # The export of all entries: its progress page polls the run's status (static/js/run-progress.js) and offers
    # the file once the worker has built it.
    from tuyengiao.contests.models import ExportRun
    from tuyengiao.contests.tasks import export_run_task

    page.goto(page.url.split("/admin/")[0] + f"/admin/contests/{contest.pk}/entries/export/")
    page.locator("main").get_by_role("button", name="Xuất danh sách bài thi").click()
    page.wait_for_url(f"**/admin/contests/{contest.pk}/exports/*/")
    assert page.locator("[data-done]").is_hidden()
    run = ExportRun.objects.get(contest=contest)
    export_run_task.call(run.pk)  # what the task worker does
    page.locator("[data-done]").wait_for(state="visible")
    assert (
        page.locator("[data-rows-done]").inner_text() == "3"
        and page.locator("[data-bar]").get_attribute("value") == "100"
    )
    with page.expect_download() as download:
        page.locator("[data-done]").get_by_role("link", name="Tải về").click()
    assert download.value.suggested_filename.endswith(".xlsx")
    assert page.csp_violations == []
    screenshot(page, "contest-admin-export-done")


# ---------------------------------------------------------------------------------------------------------------
# The ranking of a closed round


PHONES = ["0912111001", "0912111002", "0912111003", "0912111004"]
CCCDS = ["002090111001", "002090111002", "002090111003", "002090111004"]


def _ranking_names(page):
    return [
        cell.split("\n")[0].strip() for cell in page.locator("table.ranking tbody td:nth-child(2)").all_inner_texts()
    ]


def test_the_ranking_breaks_ties_by_the_contests_chain(province, page_at):
    from tuyengiao.contests.models import Contest, PredictionCount, Round
    from tuyengiao.contests.services import attempt_start, attempt_submit, round_prediction_freeze
    from tuyengiao.contests.tests.factories import question_add

    contest = Contest.objects.create(
        title="Tìm hiểu Nghị quyết 27-NQ/TW",
        slug="nq27-xep-hang",
        unit=province["HG"],
        published=True,
        registration={"full_name": "required", "phone": "required", "cccd": "on", "unit": "required"},
        tie_breaks=["score", "prediction", "time", "submitted"],
    )
    for order, (text, options) in enumerate(
        [
            ("Nghị quyết 27-NQ/TW bàn về đội ngũ nào?", [("Trí thức", True), ("Thương nhân", False)]),
            ("Nghị quyết 27-NQ/TW được ban hành năm nào?", [("Năm 2008", True), ("Năm 2000", False)]),
        ]
    ):
        question_add(contest, text, options, order=order)
    opens = timezone.now() - datetime.timedelta(days=2)
    round_ = Round.objects.create(
        contest=contest,
        number=1,
        opens_at=opens,
        closes_at=timezone.now() - datetime.timedelta(hours=1),
        question_count=2,
        time_limit=600,
        prediction_question="Có bao nhiêu lượt thi được nộp trong vòng này?",
        prediction_counts=PredictionCount.ENTRIES,
    )
    # (name, questions answered wrong, prediction, minutes after the opening it starts, seconds taken)
    # The frozen count is 4 entries. An and Bình tie on score (2/2): An's prediction is exact, Bình is quicker
    # and sent first. Cường and Dung tie on score (1/2) and on prediction (5, one off): Dung is quicker, though
    # Cường registered first and sent first.
    entries = [
        ("Nguyễn Văn An", (), 4, 10, 120),
        ("Trần Thị Bình", (), 10, 0, 60),
        ("Lò Văn Cường", ("Nghị quyết 27-NQ/TW bàn",), 5, 20, 90),
        ("Vàng Thị Dung", ("Nghị quyết 27-NQ/TW bàn",), 5, 30, 45),
    ]
    for (name, wrong, prediction, minute, seconds), phone, cccd in zip(entries, PHONES, CCCDS, strict=True):
        began = opens + datetime.timedelta(minutes=minute)
        attempt, _token = attempt_start(round_, _register(contest, name, phone, cccd, unit="HG-BM"), now=began)
        attempt_submit(
            attempt, _right_answers(attempt, wrong), prediction, now=began + datetime.timedelta(seconds=seconds)
        )
    round_prediction_freeze(round_)
    round_.refresh_from_db()
    assert round_.prediction_answer == 4

    page = page_at(f"/cuoc-thi/{contest.slug}/vong/1/xep-hang/", width=360)
    assert _ranking_names(page) == ["Nguyễn Văn An", "Trần Thị Bình", "Vàng Thị Dung", "Lò Văn Cường"]
    places = page.locator("table.ranking tbody td:first-child").all_inner_texts()
    assert [place.strip() for place in places] == ["1", "2", "3", "4"]
    scores = page.locator("table.ranking tbody td:nth-child(3)").all_inner_texts()
    assert [score.strip() for score in scores] == ["2/2", "2/2", "1/2", "1/2"]
    html = page.content()
    assert not any(number in html for number in PHONES + CCCDS)  # no personal data on the public page
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    assert page.csp_violations == []
    screenshot(page, "contest-ranking-prediction-first-360")

    # Time taken before the prediction: Bình (60 s) now beats An (120 s); Dung still beats Cường.
    Contest.objects.filter(pk=contest.pk).update(tie_breaks=["score", "time", "prediction", "submitted"])
    page.reload()
    assert _ranking_names(page) == ["Trần Thị Bình", "Nguyễn Văn An", "Vàng Thị Dung", "Lò Văn Cường"]

    # Submission time alone after the score: the earlier sender wins each tie (Bình, then Cường).
    Contest.objects.filter(pk=contest.pk).update(tie_breaks=["score", "submitted"])
    page.reload()
    assert _ranking_names(page) == ["Trần Thị Bình", "Nguyễn Văn An", "Lò Văn Cường", "Vàng Thị Dung"]
    html = page.content()
    assert not any(number in html for number in PHONES + CCCDS)
    screenshot(page, "contest-ranking-submitted-first-360")
