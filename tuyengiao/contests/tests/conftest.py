"""A contest of the Hà Giang commission with a small bank (two topics, every kind of question) and an open round."""

import datetime

import pytest
from django.utils import timezone

from tuyengiao.contests.models import Contest, QuestionKind, Round
from tuyengiao.contests.tests.factories import question_add


def marked(options: list[str], correct: set[int]) -> list[tuple[str, bool]]:
    return [(option, index in correct) for index, option in enumerate(options)]


@pytest.fixture
def contest(province):
    contest = Contest.objects.create(
        title="Tìm hiểu Nghị quyết 27-NQ/TW", slug="tim-hieu-27", unit=province["HG"], published=True
    )
    for number in range(6):
        question_add(
            contest,
            f"Câu hỏi về 27-NQ/TW số {number + 1}",
            marked(["Một", "Hai", "Ba", "Bốn"], {number % 4}),
            topic="27-NQ/TW",
        )
    for number in range(3):
        question_add(
            contest,
            f"Câu hỏi về 19-CT/TW số {number + 1}",
            [("Đúng", True), ("Sai", False)],
            kind=QuestionKind.TRUE_FALSE,
            topic="19-CT/TW",
        )
    question_add(
        contest,
        "Những văn bản nào của Trung ương? (chọn nhiều đáp án)",
        marked(["19-CT/TW", "05-NQ/TU", "27-NQ/TW"], {0, 2}),
        kind=QuestionKind.MULTIPLE,
        topic="19-CT/TW",
    )
    return contest


@pytest.fixture
def open_round(contest):
    now = timezone.now()
    return Round.objects.create(
        contest=contest,
        number=1,
        opens_at=now - datetime.timedelta(days=1),
        closes_at=now + datetime.timedelta(days=6),
        question_count=5,
        time_limit=600,
        attempts_allowed=3,
    )


@pytest.fixture
def person(contest, province):
    from tuyengiao.contests.services import participant_register

    return participant_register(
        contest, {"full_name": "Nguyễn Văn An", "phone": "0912 345 678", "unit": "HG-BM", "cccd": "002090001234"}
    )
