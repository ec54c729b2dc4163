"""Demo contest for `seed_demo`: "Tìm hiểu Nghị quyết 27-NQ/TW", its 60-question bank, two weekly rounds (the
first open whenever the demo is loaded) and a few hundred entries from the demo units, made through the engine's
own services on a simulated clock."""

import datetime
import random
from pathlib import Path

from django.utils import timezone

from tuyengiao.contests.models import Contest, Option, Round
from tuyengiao.contests.services import attempt_start, attempt_submit, participant_register
from tuyengiao.orgs.models import Unit

QUESTIONS_FILE = Path(__file__).resolve().parent / "fixtures" / "demo_questions.csv"
SLUG = "tim-hieu-nghi-quyet-27-nq-tw"
RULES = """Cuộc thi trắc nghiệm trực tuyến tìm hiểu Nghị quyết số 27-NQ/TW ngày 06/8/2008 của Hội nghị lần thứ bảy \
Ban Chấp hành Trung ương Đảng khóa X về xây dựng đội ngũ trí thức trong thời kỳ đẩy mạnh công nghiệp hóa, hiện đại \
hóa đất nước, và các văn bản liên quan.

1. Đối tượng: mọi công dân đang sinh sống, học tập, công tác trên địa bàn tỉnh Hà Giang.
2. Mỗi tuần thi, mỗi người được thi tối đa 3 lượt; lượt có kết quả cao nhất được tính.
3. Mỗi lượt gồm 20 câu hỏi rút ngẫu nhiên, làm trong 15 phút; hết giờ, bài thi tự động được nộp.
4. Xếp giải theo: số câu trả lời đúng; dự đoán số lượt dự thi gần đúng nhất; thời gian làm bài ít hơn; nộp bài sớm hơn.
5. Mỗi người chỉ đăng ký một lần bằng một số điện thoại và một số căn cước công dân."""
QUOTAS = {"27-NQ/TW": 8, "19-CT/TW": 4, "07-CT/TW": 4, "17-CT/TW": 2, "238-QĐ/TW": 2}
ENTRIES = 300
FAMILY = ["Nguyễn", "Trần", "Lê", "Hoàng", "Vàng", "Giàng", "Lò", "Ma", "Nông", "Sùng", "Phạm", "Vũ", "Đỗ", "Lù"]
MIDDLE = ["Văn", "Thị", "Minh", "Thu", "Quang", "Mí", "Seo", "Thị Thu", "Đức", "Ngọc"]
GIVEN = ["An", "Bình", "Châu", "Dũng", "Hà", "Hùng", "Khải", "Lan", "Mai", "Páo", "Sính", "Tú", "Vân", "Xuân", "Yến"]


def demo_contests_load(*, unit: Unit | None = None, entries: int = ENTRIES) -> int:
    """The demo contest (once); returns the number of entries made."""
    if unit is None or Contest.objects.filter(slug=SLUG).exists():
        return 0
    contest = Contest.objects.create(
        title="Tìm hiểu Nghị quyết 27-NQ/TW",
        slug=SLUG,
        unit=unit,
        rules=RULES,
        published=True,
    )
    _questions_load(contest)
    now = timezone.now()
    week = datetime.timedelta(days=7)
    first = Round.objects.create(
        contest=contest,
        number=1,
        title="Tuần thi thứ nhất",
        opens_at=now - datetime.timedelta(days=2),
        closes_at=now - datetime.timedelta(days=2) + week,
        question_count=20,
        quotas=QUOTAS,
        time_limit=15 * 60,
        attempts_allowed=3,
        prediction_question="Dự đoán số lượt dự thi của tuần thi thứ nhất",
    )
    Round.objects.create(
        contest=contest,
        number=2,
        title="Tuần thi thứ hai",
        opens_at=first.closes_at,
        closes_at=first.closes_at + week,
        question_count=20,
        quotas=QUOTAS,
        time_limit=15 * 60,
        attempts_allowed=3,
        prediction_question="Dự đoán số lượt dự thi của tuần thi thứ hai",
    )
    return _entries_make(first, entries, now)


def _questions_load(contest: Contest) -> None:
    from tuyengiao.contests.imports import questions_import, questions_read

    questions_import(contest, questions_read(QUESTIONS_FILE.read_bytes()), actor=None)


def _entries_make(round_: Round, count: int, now: datetime.datetime) -> int:
    """`count` entries over the two days the round has been open, from the demo's districts and communes."""
    rng = random.Random(27)
    units = list(Unit.objects.filter(depth__gte=1).values_list("code", flat=True)) or ["HG"]
    correct = {
        question_id: {option_id}
        for question_id, option_id in Option.objects.filter(question__contest=round_.contest, correct=True).values_list(
            "question_id", "id"
        )
    }
    made = 0
    for index in range(count):
        started = round_.opens_at + datetime.timedelta(
            seconds=rng.uniform(0, (now - round_.opens_at).total_seconds() - 1200)
        )
        name = f"{rng.choice(FAMILY)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}"
        person = participant_register(
            round_.contest,
            {
                "full_name": name,
                "phone": f"09{index:08d}",
                "unit": rng.choice(units),
                "birth_year": rng.randint(1960, 2008),
            },
        )
        attempt, _token = attempt_start(round_, person, now=started)
        skill = rng.uniform(0.35, 0.98)
        answers = {}
        for question_id, order in attempt.paper:
            right = correct.get(question_id, set())
            chosen = right if rng.random() < skill else set(order[:1]) - right or set(order[-1:])
            answers[str(question_id)] = sorted(chosen)
        took = datetime.timedelta(seconds=rng.uniform(90, 14 * 60))
        attempt_submit(attempt, answers, rng.randint(200, 900), now=started + took)
        made += 1
    return made
