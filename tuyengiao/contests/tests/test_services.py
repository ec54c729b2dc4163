"""The contest engine: registration, the draw, answers, scoring once on the server's clock, the counted attempt,
the ranking's tie-break chain."""

import datetime
import threading

import pytest
import time_machine
from django.conf import settings
from django.db import connection
from django.utils import timezone

from tuyengiao.contests.models import Attempt, AttemptStatus, Option, Refusal, TieBreak
from tuyengiao.contests.selectors import round_ranking
from tuyengiao.contests.services import (
    AttemptConflictError,
    ContestError,
    TokenError,
    attempt_answers_save,
    attempt_authorised,
    attempt_start,
    attempt_submit,
    attempts_expire,
    participant_register,
    round_prediction_freeze,
)


def right_answers(attempt, *, wrong=0):
    """Answers to the attempt's paper, the first `wrong` of them wrong."""
    answers = {}
    for index, (question_id, order) in enumerate(attempt.paper):
        correct = set(Option.objects.filter(question_id=question_id, correct=True).values_list("id", flat=True))
        answers[str(question_id)] = sorted(set(order) - correct)[:1] if index < wrong else sorted(correct)
    return answers


def test_the_draw_follows_the_quotas_and_shuffles_the_options(open_round):
    open_round.quotas = {"27-NQ/TW": 3, "19-CT/TW": 2}
    open_round.save()
    person = participant_register(open_round.contest, {"full_name": "Lò Thị Mai", "phone": "0987654321", "unit": "HG"})
    orders = set()
    for _ in range(3):
        attempt, _token = attempt_start(open_round, person)
        topics = [
            question.topic for question in [Option.objects.get(pk=order[0]).question for _q, order in attempt.paper]
        ]
        assert sorted(topics) == ["19-CT/TW", "19-CT/TW", "27-NQ/TW", "27-NQ/TW", "27-NQ/TW"]
        orders |= {tuple(order) for _question, order in attempt.paper if len(order) == 4}
        attempt_submit(attempt, {}, None)
    assert len(orders) > 1  # options come in more than one order


def test_registration_refuses_a_wrong_cccd_and_phone_with_vietnamese_messages(contest, settings):
    settings.LANGUAGE_CODE = "vi"
    with pytest.raises(ContestError) as refused:
        participant_register(contest, {"full_name": "An", "phone": "12345", "unit": "HG", "cccd": "12345"})
    problems = {item["field"]: item["problem"] for item in refused.value.details}
    assert set(problems) == {"phone", "cccd"}
    assert "12 chữ số" in problems["cccd"]
    assert Refusal.objects.filter(kind=Refusal.Kind.BAD_REGISTRATION).count() == 1


def test_the_same_person_registering_again_is_the_same_participant(person, contest):
    again = participant_register(contest, {"full_name": "nguyen van an", "phone": "+84 912 345 678", "unit": "HG-BM"})
    assert again == person
    with pytest.raises(AttemptConflictError):
        participant_register(contest, {"full_name": "Trần Văn Bình", "phone": "0912345678", "unit": "HG-BM"})
    assert Refusal.objects.filter(kind=Refusal.Kind.DUPLICATE).count() == 1


def test_the_score_and_time_are_the_servers(open_round, person):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        attempt, token = attempt_start(open_round, person)
    assert attempt_authorised(attempt.pk, token) == attempt
    with time_machine.travel(start + datetime.timedelta(seconds=30), tick=False):
        attempt_answers_save(attempt, dict(list(right_answers(attempt).items())[:2]))
    with time_machine.travel(start + datetime.timedelta(seconds=95, milliseconds=250), tick=False):
        attempt, late = attempt_submit(attempt, right_answers(attempt, wrong=1), 120)
    assert not late
    assert (attempt.score, attempt.max_score, attempt.time_ms, attempt.prediction) == (4, 5, 95_250, 120)


def test_a_second_submission_changes_nothing(open_round, person):
    attempt, _token = attempt_start(open_round, person)
    attempt, _late = attempt_submit(attempt, right_answers(attempt), 10)
    with pytest.raises(AttemptConflictError):
        attempt_submit(attempt, right_answers(attempt, wrong=5), 999)
    attempt.refresh_from_db()
    assert (attempt.score, attempt.prediction) == (5, 10)
    assert Refusal.objects.filter(kind=Refusal.Kind.RESUBMIT).count() == 1


def test_late_answers_are_not_scored_but_saved_ones_are(open_round, person):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        attempt, _token = attempt_start(open_round, person)
        attempt_answers_save(attempt, dict(list(right_answers(attempt).items())[:2]))
    with time_machine.travel(start + datetime.timedelta(seconds=open_round.time_limit + 60), tick=False):
        with pytest.raises(AttemptConflictError):
            attempt_answers_save(attempt, right_answers(attempt))
        attempt, late = attempt_submit(attempt, right_answers(attempt), 5)
    assert late and attempt.status == AttemptStatus.EXPIRED
    assert attempt.score == 2 and attempt.time_ms == open_round.time_limit * 1000


def test_answers_outside_the_attempt_are_refused_and_nothing_is_saved(open_round, person, contest):
    attempt, _token = attempt_start(open_round, person)
    outside = contest.questions.exclude(pk__in=[question for question, _order in attempt.paper]).first()
    first_question, _order = attempt.paper[0]
    other_option = Option.objects.exclude(question_id=first_question).first()
    for answers in ({str(outside.pk): [outside.options.first().pk]}, {str(first_question): [other_option.pk]}):
        with pytest.raises(ContestError):
            attempt_answers_save(attempt, answers)
    attempt.refresh_from_db()
    assert attempt.answers == {}
    with pytest.raises(ContestError):
        attempt_submit(attempt, {}, 10**20)
    attempt.refresh_from_db()
    assert attempt.status == AttemptStatus.OPEN
    assert Refusal.objects.filter(kind=Refusal.Kind.FOREIGN_ANSWER).count() == 2
    assert Refusal.objects.filter(kind=Refusal.Kind.BAD_PREDICTION).count() == 1


def test_resuming_on_the_same_device_replaces_the_token(open_round, person):
    attempt, first = attempt_start(open_round, person, device="phone-1")
    again, second = attempt_start(open_round, person, device="phone-1")
    assert again.pk == attempt.pk and first != second
    with pytest.raises(TokenError):
        attempt_authorised(attempt.pk, first)
    with pytest.raises(AttemptConflictError):
        attempt_start(open_round, person, device="another-phone")


def test_attempts_are_limited_and_the_best_one_counts(open_round, person):
    scores = []
    for wrong in (3, 0, 4):
        attempt, _token = attempt_start(open_round, person)
        attempt, _late = attempt_submit(attempt, right_answers(attempt, wrong=wrong), None)
        scores.append(attempt.score)
    with pytest.raises(AttemptConflictError):
        attempt_start(open_round, person)
    counted = Attempt.objects.get(round=open_round, counts=True)
    assert counted.score == max(scores) == 5
    open_round.counted_attempt = "last"
    open_round.save()
    attempt, _token = Attempt.objects.filter(participant=person).last(), None
    from tuyengiao.contests.services import _recount

    _recount(open_round, person.pk)
    assert Attempt.objects.get(round=open_round, counts=True).score == scores[-1]


def test_an_attempt_left_open_is_scored_with_its_saved_answers(open_round, person):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        attempt, _token = attempt_start(open_round, person)
        attempt_answers_save(attempt, dict(list(right_answers(attempt).items())[:3]))
    with time_machine.travel(start + datetime.timedelta(hours=1), tick=False):
        assert attempts_expire(open_round) == 1
    attempt.refresh_from_db()
    assert (attempt.status, attempt.score, attempt.counts) == (AttemptStatus.EXPIRED, 3, True)


def test_the_ranking_breaks_ties_by_the_configured_chain(open_round, contest):
    start = timezone.now()
    people = []
    for index, (name, wrong, seconds, prediction) in enumerate(
        [("Người A", 1, 100, 50), ("Người B", 0, 200, 9), ("Người C", 1, 100, 7), ("Người D", 1, 90, 1000)]
    ):
        person = participant_register(contest, {"full_name": name, "phone": f"091200000{index}", "unit": "HG"})
        with time_machine.travel(start + datetime.timedelta(minutes=index), tick=False):
            attempt, _token = attempt_start(open_round, person)
        with time_machine.travel(start + datetime.timedelta(minutes=index, seconds=seconds), tick=False):
            attempt_submit(attempt, right_answers(attempt, wrong=wrong), prediction)
        people.append(name)

    def names():
        return [attempt.participant.full_name for attempt in round_ranking(open_round)]

    # Before the close the prediction is unknown: score, then time, then submission time.
    assert names() == ["Người B", "Người D", "Người A", "Người C"]
    with time_machine.travel(open_round.closes_at + datetime.timedelta(minutes=1), tick=False):
        round_prediction_freeze(open_round)
    assert open_round.prediction_answer == 4  # entries submitted
    assert names() == ["Người B", "Người C", "Người A", "Người D"]  # closest predictions: 7, 50, 1000
    contest.tie_breaks = [TieBreak.SCORE, TieBreak.TIME, TieBreak.PREDICTION]
    contest.save()
    open_round.contest.refresh_from_db()
    assert names() == ["Người B", "Người D", "Người C", "Người A"]


@pytest.mark.django_db(transaction=True)
def test_two_submissions_at_once_are_scored_once(province):
    if connection.vendor != "postgresql":
        pytest.skip("two connections writing at once: PostgreSQL")
    from tuyengiao.contests.models import Contest, Round
    from tuyengiao.contests.tests.factories import question_add

    contest = Contest.objects.create(title="Thi", slug="thi", unit=province["HG"], published=True)
    for number in range(5):
        question_add(contest, f"Câu {number}", [("Một", True), ("Hai", False)])
    now = timezone.now()
    round_ = Round.objects.create(
        contest=contest,
        number=1,
        opens_at=now - datetime.timedelta(hours=1),
        closes_at=now + datetime.timedelta(hours=1),
    )
    person = participant_register(contest, {"full_name": "An", "phone": "0912345678", "unit": "HG"})
    attempt, _token = attempt_start(round_, person)
    outcomes = []

    def submit():
        try:
            attempt_submit(
                Attempt.objects.select_related("round__contest").get(pk=attempt.pk), right_answers(attempt), 3
            )
            outcomes.append("scored")
        except AttemptConflictError:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=submit) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["refused", "refused", "refused", "scored"]
    assert Attempt.objects.filter(pk=attempt.pk, status=AttemptStatus.SUBMITTED, score=5).count() == 1


def test_questions_added_while_a_round_runs_are_drawn_at_once(contest):
    from tuyengiao.contests.imports import questions_import, questions_read
    from tuyengiao.contests.selectors import bank

    before = len(bank(contest.pk))  # the bank is now cached
    rows = questions_read(
        "question,kind,A,B,correct,topic\nCâu mới về 07-CT/TW?,single,Đúng hướng,Sai hướng,A,07-CT/TW\n".encode()
    )
    questions_import(contest, rows)
    assert len(bank(contest.pk)) == before + 1
    question = contest.questions.get(text="Câu mới về 07-CT/TW?")
    Option.objects.filter(question=question, order=1).update(correct=True)  # a bulk update: no signal
    from tuyengiao.contests.services import bank_changed

    bank_changed(contest.pk)
    assert sum(option.correct for option in bank(contest.pk)[question.pk][1]) == 2


@pytest.mark.skipif(settings.TASKS_BACKEND != "database", reason="drives the database task worker")
def test_the_worker_settles_a_round_when_it_closes(contest, django_capture_on_commit_callbacks):
    from django.core.management import call_command

    from tuyengiao.contests.models import Round

    now = timezone.now()
    with django_capture_on_commit_callbacks(execute=True):
        round_ = Round.objects.create(
            contest=contest,
            number=1,
            opens_at=now - datetime.timedelta(hours=1),
            closes_at=now + datetime.timedelta(minutes=30),
            question_count=5,
        )
    person = participant_register(contest, {"full_name": "An", "phone": "0912345678", "unit": "HG"})
    attempt, _token = attempt_start(round_, person)
    attempt_answers_save(attempt, dict(list(right_answers(attempt).items())[:2]))  # then the browser is closed

    def worker():
        call_command("db_worker", "--batch", "--no-startup-delay", stdout=open("/dev/null", "w"))

    worker()
    round_.refresh_from_db()
    assert round_.prediction_answer is None, "not before its close"
    with time_machine.travel(round_.closes_at + datetime.timedelta(minutes=1)):
        worker()
    round_.refresh_from_db()
    attempt.refresh_from_db()
    assert round_.prediction_answer == 1
    assert (attempt.status, attempt.score, attempt.counts) == (AttemptStatus.EXPIRED, 2, True)
