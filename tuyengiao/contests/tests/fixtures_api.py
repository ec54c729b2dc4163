"""A contest of the API tests: ten questions of the three kinds and a round open now, with a time limit."""

import datetime

import pytest
from django.utils import timezone

from tuyengiao.contests.models import Contest, QuestionKind, Round
from tuyengiao.contests.tests.factories import question_add

TIME_LIMIT = 600

__all__ = ["contest", "open_round"]


def question_make(contest, order: int, kind: str, options: list[tuple[str, bool]]):
    return question_add(contest, f"Câu hỏi số {order}?", options, kind=kind, order=order)


@pytest.fixture
def contest(province):
    contest = Contest.objects.create(
        title="Tìm hiểu Nghị quyết 27-NQ/TW",
        slug="tim-hieu-nghi-quyet-27",
        unit=province["HG"],
        rules="Mỗi người thi một lần.",
        published=True,
    )
    for order in range(4):
        question_make(contest, order, QuestionKind.SINGLE, [("A", True), ("B", False), ("C", False), ("D", False)])
    for order in range(4, 7):
        question_make(contest, order, QuestionKind.MULTIPLE, [("A", True), ("B", True), ("C", False), ("D", False)])
    for order in range(7, 10):
        question_make(contest, order, QuestionKind.TRUE_FALSE, [("Đúng", True), ("Sai", False)])
    return contest


@pytest.fixture
def open_round(contest):
    now = timezone.now()
    return Round.objects.create(
        contest=contest,
        number=1,
        title="Tuần thi thứ nhất",
        opens_at=now - datetime.timedelta(days=1),
        closes_at=now + datetime.timedelta(days=6),
        question_count=10,
        time_limit=TIME_LIMIT,
        prediction_question="Bao nhiêu lượt người dự thi tuần này?",
    )
