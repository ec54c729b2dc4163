"""The organisers' back office: contests of their units, the question bank's import and export, the dashboard
and the review queue."""

import datetime
import io
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from openpyxl import Workbook, load_workbook

from tuyengiao.accounts.roles import Role
from tuyengiao.accounts.tests.factories import PASSWORD, UserFactory
from tuyengiao.contests.imports import questions_import, questions_read
from tuyengiao.contests.models import Attempt, AttemptStatus, Contest, Participant, Question, Round
from tuyengiao.contests.selectors import round_ranking
from tuyengiao.contests.tests.factories import question_add
from tuyengiao.core.models import AuditEntry, PersonalDataAccess
from tuyengiao.core.tests.helpers import assert_denied

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"


@pytest.fixture
def organiser(province):
    return UserFactory(username="btc.bm", unit=province["HG-BM"], roles=[(Role.CONTEST_ORGANISER, province["HG-BM"])])


@pytest.fixture
def sibling_organiser(province):
    return UserFactory(username="btc.dv", unit=province["HG-DV"], roles=[(Role.CONTEST_ORGANISER, province["HG-DV"])])


def _contest(unit, title="Tìm hiểu Nghị quyết 27-NQ/TW", slug="nq27"):
    return Contest.objects.create(title=title, slug=slug, unit=unit, published=True)


def _round(contest, number=1, **values):
    now = timezone.now()
    values.setdefault("opens_at", now - datetime.timedelta(days=1))
    values.setdefault("closes_at", now + datetime.timedelta(days=6))
    return Round.objects.create(contest=contest, number=number, question_count=2, **values)


def _question(contest, text, options, kind="single"):
    return question_add(contest, text, options, kind=kind, topic="27-NQ/TW")


def _attempt(round_, participant, paper_questions, correct, *, time_ms=300_000, **values):
    now = timezone.now()
    attempt = Attempt.objects.create(
        round=round_,
        participant=participant,
        token_hash=f"{participant.pk}-{round_.pk}-{Attempt.objects.count()}",
        paper=[[question.pk, []] for question in paper_questions],
        started_at=now - datetime.timedelta(milliseconds=time_ms),
        expires_at=now + datetime.timedelta(minutes=10),
        submitted_at=now,
        status=AttemptStatus.SUBMITTED,
        score=len(correct),
        max_score=len(paper_questions),
        time_ms=time_ms,
        correct_questions=[question.pk for question in correct],
        counts=True,
        **values,
    )
    return attempt


def _contest_form(contest, **values):
    data = {
        "title": contest.title,
        "slug": contest.slug,
        "unit": contest.unit_id,
        "rules": "",
        "cover": "",
        "audience": "anyone",
        "show_answers": "on",
        "published": "on",
        **{f"registration_{name}": rule for name, rule in contest.registration.items()},
        **{f"tie_break_{index + 1}": rule for index, rule in enumerate(contest.tie_breaks)},
    }
    data.update(values)
    return data


def _xlsx(rows):
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


BANK = [
    ["Câu hỏi", "Loại", "A", "B", "C", "D", "Đáp án đúng", "Chủ đề", "Độ khó", "Giải thích"],
    ["Nghị quyết 27-NQ/TW ban hành năm nào?", "Một đáp án", "2007", "2008", "2012", "", "B", "27-NQ/TW", "Dễ", "2008."],
    [
        "Chọn các nhiệm vụ của Nghị quyết 27",
        "Nhiều đáp án",
        "Đào tạo",
        "Bãi bỏ",
        "Đãi ngộ",
        "",
        "A,C",
        "27-NQ/TW",
        "",
        "",
    ],
    ["Chỉ thị 17 bàn về tuyên truyền miệng.", "Đúng/Sai", "Đúng", "Sai", "", "", "A", "17-CT/TW", "", ""],
    ["Câu có loại lạ", "trắc nghiệm", "X", "Y", "", "", "A", "", "", ""],
    ["Câu đáp án trỏ vào ô trống", "single", "X", "Y", "", "", "D", "", "", ""],
    ["Câu một đáp án mà hai đáp án đúng", "single", "X", "Y", "Z", "", "A,B", "", "", ""],
    ["Câu không có phương án", "single", "", "", "", "", "A", "", "", ""],
]


def test_an_organiser_sees_and_edits_only_the_contests_of_their_district(
    client, organiser, sibling_organiser, province
):
    ours = _contest(province["HG-BM-01"])
    theirs = _contest(province["HG-DV"], title="Cuộc thi của Đồng Văn", slug="dv")
    client.login(username="btc.bm", password=PASSWORD)
    index = client.get(reverse("contests_admin:index")).content.decode()
    assert ours.title in index and theirs.title not in index
    response = client.post(reverse("contests_admin:edit", args=[ours.pk]), _contest_form(ours, title="Đổi tên"))
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Contest.objects.get(pk=ours.pk).title == "Đổi tên"
    assert_denied(client.get(reverse("contests_admin:edit", args=[theirs.pk])))
    assert_denied(client.get(reverse("contests_admin:dashboard", args=[theirs.pk])))
    client.logout()
    client.login(username="btc.dv", password=PASSWORD)
    assert_denied(client.get(reverse("contests_admin:edit", args=[ours.pk])))
    assert_denied(client.get(reverse("contests_admin:dashboard", args=[ours.pk])))
    assert_denied(client.get(reverse("contests_admin:import", args=[ours.pk])))
    assert_denied(client.get(reverse("contests_admin:export", args=[ours.pk])))


def test_an_organiser_cannot_create_a_contest_for_a_sibling_district(client, organiser, province):
    client.login(username="btc.bm", password=PASSWORD)
    form = _contest_form(Contest(title="Cuộc thi", slug="ct", unit=province["HG-DV"]))
    response = client.post(reverse("contests_admin:add"), form)
    assert response.status_code == 200 and not Contest.objects.exists()
    form["unit"] = province["HG-BM"].pk
    assert client.post(reverse("contests_admin:add"), form).status_code == 302
    assert Contest.objects.get().registration["phone"] == "required"


def test_a_single_choice_question_with_two_correct_options_is_refused(client, organiser, province):
    contest = _contest(province["HG-BM"])
    client.login(username="btc.bm", password=PASSWORD)
    data = {
        "contest": contest.pk,
        "text": "Câu hỏi?",
        "kind": "single",
        "topic": "",
        "difficulty": "medium",
        "explanation": "",
        "option_A": "Một",
        "correct_A": "on",
        "option_B": "Hai",
        "correct_B": "on",
    }
    response = client.post(reverse("contests_questions:add"), data)
    assert response.status_code == 200 and not Question.objects.exists()
    assert "exactly one correct option" in response.content.decode() or "đúng một" in response.content.decode()
    data.pop("correct_B")
    assert client.post(reverse("contests_questions:add"), data).status_code == 302
    assert [(o.text, o.correct) for o in Question.objects.get().options.all()] == [("Một", True), ("Hai", False)]


def test_the_import_preview_lists_each_rows_problems_and_stores_nothing(client, organiser, province):
    contest = _contest(province["HG-BM"])
    client.login(username="btc.bm", password=PASSWORD)
    assert "mau-ngan-hang" in client.get(reverse("contests_admin:import_template"))["Content-Disposition"]
    assert client.get(reverse("contests_admin:import", args=[contest.pk])).status_code == 200
    upload = SimpleUploadedFile("bank.xlsx", _xlsx(BANK))
    response = client.post(reverse("contests_admin:import", args=[contest.pk]), {"file": upload})
    page = response.content.decode()
    assert response.status_code == 200
    assert "3" in page and 'name="confirm"' in page
    rows = {row.line: row for row in response.context["rows"]}
    assert [line for line, row in rows.items() if row.ok] == [2, 3, 4]
    assert "trắc nghiệm" in rows[5].errors[0]
    assert "“D”" in rows[6].errors[0]
    assert len(rows[7].errors) == 1 and rows[8].errors
    assert not Question.objects.exists()


def test_a_confirmed_import_adds_the_questions_with_their_correct_options(client, organiser, province):
    contest = _contest(province["HG-BM"])
    client.login(username="btc.bm", password=PASSWORD)
    upload = SimpleUploadedFile("bank.xlsx", _xlsx(BANK))
    token = client.post(reverse("contests_admin:import", args=[contest.pk]), {"file": upload}).context["token"]
    response = client.post(reverse("contests_admin:import", args=[contest.pk]), {"token": token, "confirm": "1"})
    assert response.status_code == 302
    questions = list(contest.questions.order_by("order"))
    assert [(q.kind, q.difficulty, q.topic) for q in questions] == [
        ("single", "easy", "27-NQ/TW"),
        ("multiple", "medium", "27-NQ/TW"),
        ("true_false", "medium", "17-CT/TW"),
    ]
    assert [[o.correct for o in q.options.all()] for q in questions] == [
        [False, True, False],
        [True, False, True],
        [True, False],
    ]
    entry = AuditEntry.objects.get(action="contest.questions_import")
    assert entry.changes == {"created": 3, "skipped": 4}


def test_the_export_imports_back_to_the_same_bank(client, organiser, province):
    contest = _contest(province["HG-BM"])
    _question(contest, "Câu một?", [("A1", False), ("B1", True), ("C1", False)])
    _question(contest, "Câu hai?", [("A2", True), ("B2", False), ("C2", True), ("D2", False)], kind="multiple")
    client.login(username="btc.bm", password=PASSWORD)
    response = client.get(reverse("contests_admin:export", args=[contest.pk]))
    assert response.status_code == 200
    assert load_workbook(io.BytesIO(response.content)).active["A2"].value == "Câu một?"
    copy = _contest(province["HG-BM"], title="Bản sao", slug="ban-sao")
    questions_import(copy, questions_read(response.content), actor=organiser)

    def bank(of):
        return [
            (q.text, q.kind, q.topic, q.difficulty, [(o.text, o.correct) for o in q.options.all()])
            for q in of.questions.order_by("order")
        ]

    assert bank(copy) == bank(contest)


def test_the_demo_bank_reads_without_problems(province):
    rows = questions_read((FIXTURES / "demo_questions.csv").read_bytes())
    assert rows and all(row.ok for row in rows), [(row.line, row.errors) for row in rows if not row.ok][:3]


def test_the_dashboard_shows_entries_and_the_facility_index(client, organiser, province):
    contest = _contest(province["HG-BM"])
    round_ = _round(contest)
    easy = _question(contest, "Câu dễ", [("Đúng", True), ("Sai", False)])
    hard = _question(contest, "Câu khó nhất", [("Đúng", True), ("Sai", False)])
    for index in range(4):
        person = Participant.objects.create(contest=contest, full_name=f"Người {index}", unit=province["HG-BM-01"])
        _attempt(round_, person, [easy, hard], [easy, hard] if index == 0 else [easy])
    client.login(username="btc.bm", password=PASSWORD)
    response = client.get(reverse("contests_admin:dashboard", args=[contest.pk]))
    assert response.status_code == 200
    page = response.content.decode()
    assert response.context["districts"][0]["name"] == "Huyện Bắc Mê"
    assert response.context["districts"][0]["entries"] == 4
    assert sum(row["entries"] for row in response.context["per_hour"]) == 4
    hardest = response.context["hardest"][0]
    assert (hardest.question, hardest.shown, hardest.right, hardest.percent) == (hard, 4, 1, 25)
    assert "Câu khó nhất" in page and "25%" in page
    questions = client.get(reverse("contests_questions:index") + f"?contest={contest.pk}").content.decode()
    assert "Câu dễ" in questions


def test_disqualifying_a_fast_entry_records_the_reason_and_takes_it_out_of_the_ranking(client, organiser, province):
    contest = _contest(province["HG-BM"])
    round_ = _round(contest)
    questions = [_question(contest, f"Câu {n}", [("Đúng", True), ("Sai", False)]) for n in range(2)]
    honest = Participant.objects.create(contest=contest, full_name="Người thật", phone="0912345678")
    cheat = Participant.objects.create(
        contest=contest, full_name="Người nhanh", phone="0987654321", cccd="002090001234"
    )
    _attempt(round_, honest, questions, questions[:1])
    fast = _attempt(round_, cheat, questions, questions, time_ms=900)
    assert list(round_ranking(round_))[0] == fast
    client.login(username="btc.bm", password=PASSWORD)
    page = client.get(reverse("contests_admin:dashboard", args=[contest.pk])).content.decode()
    assert "0987654321" in page and "002090001234" in page and "0912345678" not in page
    assert (
        PersonalDataAccess.objects.filter(actor=organiser, purpose="view", subject_type="contests.participant").count()
        == 1
    )
    url = reverse("contests_admin:disqualify", args=[contest.pk, fast.pk])
    assert client.post(url, {"reason": "Làm bài 2 câu trong 0,9 giây"}).status_code == 302
    fast.refresh_from_db()
    assert fast.disqualified_reason == "Làm bài 2 câu trong 0,9 giây" and not fast.counts
    assert [attempt.participant for attempt in round_ranking(round_)] == [honest]
    assert AuditEntry.objects.filter(action="contest.disqualify", changes__reason=fast.disqualified_reason).exists()
    assert "0987654321" not in client.get(reverse("contests_admin:dashboard", args=[contest.pk])).content.decode()


def test_a_sibling_organiser_cannot_disqualify(client, sibling_organiser, province):
    contest = _contest(province["HG-BM"])
    round_ = _round(contest)
    question = _question(contest, "Câu", [("Đúng", True), ("Sai", False)])
    person = Participant.objects.create(contest=contest, full_name="Người", phone="0912345678")
    attempt = _attempt(round_, person, [question], [question])
    client.login(username="btc.dv", password=PASSWORD)
    url = reverse("contests_admin:disqualify", args=[contest.pk, attempt.pk])
    assert_denied(client.post(url, {"reason": "x"}))
    attempt.refresh_from_db()
    assert attempt.counts and not attempt.disqualified_reason


def test_an_organiser_adds_a_round_with_quotas_in_vietnam_time(client, organiser, sibling_organiser, province):
    contest = _contest(province["HG-BM"])
    client.login(username="btc.bm", password=PASSWORD)
    assert client.get(reverse("contests_rounds:add") + f"?contest={contest.pk}").status_code == 200
    data = {
        "contest": contest.pk,
        "number": 1,
        "title": "Tuần 1",
        "opens_at": "2026-03-02 08:00",
        "closes_at": "2026-03-08 20:00",
        "question_count": 20,
        "quotas_text": "27-NQ/TW: 12\n17-CT/TW: 8",
        "shuffle_options": "on",
        "time_limit": 900,
        "attempts_allowed": 7,
        "counted_attempt": "best",
        "prediction_question": "Bao nhiêu lượt thi?",
        "prediction_counts": "entries",
    }
    response = client.post(reverse("contests_rounds:add"), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    round_ = Round.objects.get()
    assert round_.quotas == {"27-NQ/TW": 12, "17-CT/TW": 8}
    assert round_.opens_at == datetime.datetime(2026, 3, 2, 1, 0, tzinfo=datetime.UTC)
    assert "Tuần 1" in client.get(reverse("contests_rounds:index") + f"?contest={contest.pk}").content.decode()
    client.logout()
    client.login(username="btc.dv", password=PASSWORD)
    assert "Tuần 1" not in client.get(reverse("contests_rounds:index")).content.decode()
    assert_denied(client.get(reverse("contests_rounds:edit", args=[round_.pk])))
