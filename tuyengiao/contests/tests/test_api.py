"""The contests' JSON API: a participant's journey and every refusal of issue 5's "Bad input and abuse"."""

import datetime
import json

import pytest
import time_machine
from django.utils import timezone
from django.utils.translation import gettext, override

from tuyengiao.contests import services
from tuyengiao.contests.models import Attempt, AttemptStatus, Option, Participant, Refusal, Round
from tuyengiao.contests.tests.fixtures_api import *  # noqa: F403 (the fixtures contest and open_round)
from tuyengiao.contests.tests.fixtures_api import TIME_LIMIT, question_make

pytestmark = pytest.mark.django_db

START_URL = "/api/v1/contests/tim-hieu-nghi-quyet-27/attempts"


def person(**changes) -> dict:
    return {
        "full_name": "Nguyễn Văn An",
        "birth_year": 1990,
        "phone": "0912345678",
        "cccd": "002090001234",
        "unit": "HG-BM",
        "occupation": "Giáo viên",
        **changes,
    }


def start(client, **changes):
    return client.post(START_URL, person(**changes), content_type="application/json")


def bearer(token: str) -> dict:
    return {"Authorization": f"Bearer {token}"}


def save(client, attempt_id, token, answers):
    return client.put(
        f"/api/v1/attempts/{attempt_id}/answers",
        json.dumps({"answers": answers}),
        content_type="application/json",
        headers=bearer(token),
    )


def submit(client, attempt_id, token, answers=None, prediction=None):
    return client.post(
        f"/api/v1/attempts/{attempt_id}/submit",
        json.dumps({"answers": answers or {}, "prediction": prediction}),
        content_type="application/json",
        headers=bearer(token),
    )


def right_answers(attempt_id) -> dict[str, list[int]]:
    attempt = Attempt.objects.get(pk=attempt_id)
    return {
        str(question_id): sorted(
            Option.objects.filter(question_id=question_id, correct=True).values_list("pk", flat=True)
        )
        for question_id, _options in attempt.paper
    }


def wrong_answer(question_id) -> list[int]:
    return [Option.objects.filter(question_id=question_id, correct=False).values_list("pk", flat=True).first()]


def refusals(kind) -> int:
    return Refusal.objects.filter(kind=kind).count()


def vietnamese(msgid: str, expected: str) -> str:
    """The expected Vietnamese text, checked against the catalogue too."""
    with override("vi"):
        assert gettext(msgid) == expected
    return expected


# ---------------------------------------------------------------------------------------------------------------
# Contests


def test_the_published_contests_are_listed_with_their_rounds(client, open_round):
    body = client.get("/api/v1/contests").json()
    assert body["count"] == 1
    item = body["items"][0]
    assert item["slug"] == "tim-hieu-nghi-quyet-27"
    assert item["organiser"] == {"code": "HG", "name": "Tỉnh Hà Giang"}
    assert item["rules"] == "Mỗi người thi một lần."
    assert item["rounds"][0]["number"] == 1
    assert item["rounds"][0]["time_limit"] == TIME_LIMIT
    assert item["rounds"][0]["is_open"] is True
    assert client.get("/api/v1/contests/tim-hieu-nghi-quyet-27").json()["title"] == "Tìm hiểu Nghị quyết 27-NQ/TW"


def test_an_unpublished_contest_is_a_json_404(client, contest):
    contest.published = False
    contest.save(update_fields=["published"])
    assert client.get("/api/v1/contests").json()["count"] == 0
    response = client.get("/api/v1/contests/tim-hieu-nghi-quyet-27")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


# ---------------------------------------------------------------------------------------------------------------
# An attempt


def test_a_start_returns_the_questions_without_the_correct_answers(client, open_round):
    response = start(client)
    assert response.status_code == 201, response.content
    body = response.json()
    assert set(body) >= {"attempt_id", "token", "expires_at", "questions"}
    assert len(body["questions"]) == 10
    assert {"id", "text", "options", "multiple"} == set(body["questions"][0])
    assert all(set(option) == {"id", "text"} for question in body["questions"] for option in question["options"])
    assert sum(question["multiple"] for question in body["questions"]) == 3
    assert "correct" not in response.content.decode()
    participant = Participant.objects.get()
    assert (participant.full_name, participant.cccd, participant.unit.code) == (
        "Nguyễn Văn An",
        "002090001234",
        "HG-BM",
    )


def test_saved_then_submitted_answers_give_the_right_score(client, open_round):
    body = start(client).json()
    answers = right_answers(body["attempt_id"])
    question_ids = list(answers)
    first, rest = question_ids[:6], question_ids[6:]
    saved = save(client, body["attempt_id"], body["token"], {key: answers[key] for key in first})
    assert saved.status_code == 200, saved.content
    assert saved.json()["saved"] == 6
    final = {key: answers[key] for key in rest[:-1]} | {rest[-1]: wrong_answer(int(rest[-1]))}
    response = submit(client, body["attempt_id"], body["token"], final, prediction=1200)
    assert response.status_code == 200, response.content
    assert (response.json()["score"], response.json()["max_score"]) == (9, 10)
    attempt = Attempt.objects.get()
    assert (attempt.status, attempt.score, attempt.prediction, attempt.counts) == (
        AttemptStatus.SUBMITTED,
        9,
        1200,
        True,
    )


def test_the_time_taken_is_measured_by_the_server(client, open_round):
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        body = start(client).json()
        traveller.shift(datetime.timedelta(seconds=83, milliseconds=250))
        response = submit(client, body["attempt_id"], body["token"], right_answers(body["attempt_id"]))
    assert response.json() == {"score": 10, "max_score": 10, "time_ms": 83_250}


def test_a_second_submission_is_refused_and_the_score_stays(client, open_round):
    body = start(client).json()
    answers = right_answers(body["attempt_id"])
    assert submit(client, body["attempt_id"], body["token"], answers).json()["score"] == 10
    wrong = {key: wrong_answer(int(key)) for key in answers}
    response = submit(client, body["attempt_id"], body["token"], wrong)
    assert response.status_code == 409
    assert response.json()["code"] == "already_submitted"
    assert Attempt.objects.get().score == 10
    assert refusals(Refusal.Kind.RESUBMIT) == 1


def test_a_late_submission_scores_only_the_answers_saved_in_time(client, open_round):
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        body = start(client).json()
        answers = right_answers(body["attempt_id"])
        keys = list(answers)
        save(client, body["attempt_id"], body["token"], {key: answers[key] for key in keys[:4]})
        traveller.shift(datetime.timedelta(seconds=TIME_LIMIT + 60))
        response = submit(client, body["attempt_id"], body["token"], answers, prediction=5)
    assert response.status_code == 409
    error = response.json()
    assert error["code"] == "expired"
    assert error["details"] == [{"score": 4, "max_score": 10, "time_ms": TIME_LIMIT * 1000}]
    attempt = Attempt.objects.get()
    assert (attempt.status, attempt.score, attempt.prediction) == (AttemptStatus.EXPIRED, 4, None)
    assert refusals(Refusal.Kind.LATE) == 1
    again = submit(client, body["attempt_id"], body["token"], answers)
    assert again.status_code == 409 and Attempt.objects.get().score == 4


def test_an_answer_to_a_question_not_in_the_attempt_is_refused_and_nothing_is_saved(client, open_round):
    body = start(client).json()
    answers = right_answers(body["attempt_id"])
    added = question_make(open_round.contest, 99, "single", [("A", True), ("B", False)])
    foreign = {str(added.pk): [added.options.get(correct=True).pk]}
    key = next(iter(answers))
    response = save(client, body["attempt_id"], body["token"], {key: answers[key], **foreign})
    assert response.status_code == 422
    assert response.json()["code"] == "invalid_contest_request"
    assert Attempt.objects.get(pk=body["attempt_id"]).answers == {}
    assert refusals(Refusal.Kind.FOREIGN_ANSWER) == 1


def test_an_option_of_another_question_is_refused_and_nothing_is_saved(client, open_round):
    body = start(client).json()
    answers = right_answers(body["attempt_id"])
    first, second = list(answers)[:2]
    response = save(client, body["attempt_id"], body["token"], {first: answers[first], second: answers[first]})
    assert response.status_code == 422
    assert [detail["field"] for detail in response.json()["details"]] == [second]
    assert Attempt.objects.get().answers == {}
    submitted = submit(client, body["attempt_id"], body["token"], {second: answers[first]})
    assert submitted.status_code == 422
    assert Attempt.objects.get().status == AttemptStatus.OPEN
    assert refusals(Refusal.Kind.FOREIGN_ANSWER) == 2


@pytest.mark.parametrize("prediction", [10**20, -1, 10**400])
def test_an_impossible_prediction_is_refused_not_a_crash(client, open_round, prediction):
    body = start(client).json()
    response = submit(client, body["attempt_id"], body["token"], right_answers(body["attempt_id"]), prediction)
    assert response.status_code == 422, response.content
    assert response.json()["details"][0]["field"] == "prediction"
    assert Attempt.objects.get().status == AttemptStatus.OPEN
    assert refusals(Refusal.Kind.BAD_PREDICTION) == 1


@pytest.mark.parametrize("prediction", ['"nhiều"', "1.5", "true", "[1]", "1e400"])
def test_a_prediction_that_is_not_a_whole_number_is_a_422(client, open_round, prediction):
    body = start(client).json()
    response = client.post(
        f"/api/v1/attempts/{body['attempt_id']}/submit",
        f'{{"answers": {{}}, "prediction": {prediction}}}',
        content_type="application/json",
        headers=bearer(body["token"]),
    )
    assert response.status_code == 422, response.content
    assert response.json()["code"] == "invalid_request"
    assert Attempt.objects.get().status == AttemptStatus.OPEN


def test_a_number_too_long_to_read_is_refused_not_a_crash(client, open_round):
    body = start(client).json()
    response = client.post(
        f"/api/v1/attempts/{body['attempt_id']}/submit",
        '{"answers": {}, "prediction": ' + "9" * 5000 + "}",
        content_type="application/json",
        headers=bearer(body["token"]),
    )
    assert response.status_code in (400, 422)
    assert response.json()["code"]
    assert Attempt.objects.get().status == AttemptStatus.OPEN


def test_a_cccd_of_the_wrong_form_is_refused_in_vietnamese(client, open_round):
    response = start(client, cccd="12345")
    assert response.status_code == 422
    assert response.json()["details"] == [
        {
            "field": "cccd",
            "problem": vietnamese(
                "A citizen ID (CCCD) has 12 digits and starts with 0.", "Số CCCD gồm 12 chữ số và bắt đầu bằng số 0."
            ),
        }
    ]
    assert not Participant.objects.exists()
    assert refusals(Refusal.Kind.BAD_REGISTRATION) == 1


def test_a_duplicate_registration_under_another_name_is_refused(client, open_round):
    assert start(client).status_code == 201
    response = start(client, full_name="Lê Văn Cường", phone="0987654321")
    assert response.status_code == 409
    assert response.json()["code"] == "duplicate_registration"
    assert Participant.objects.count() == 1
    assert refusals(Refusal.Kind.DUPLICATE) == 1


def test_another_attempts_token_is_refused(client, open_round):
    mine = start(client).json()
    theirs = start(client, full_name="Trần Thị Bình", phone="0987654321", cccd="").json()
    response = save(client, mine["attempt_id"], theirs["token"], {})
    assert response.status_code == 403
    assert response.json()["code"] == "invalid_token"
    response = submit(client, mine["attempt_id"], theirs["token"], right_answers(mine["attempt_id"]))
    assert response.status_code == 403
    assert Attempt.objects.get(pk=mine["attempt_id"]).status == AttemptStatus.OPEN
    assert refusals(Refusal.Kind.BAD_TOKEN) == 2


def test_a_missing_token_is_a_401(client, open_round):
    body = start(client).json()
    response = client.put(
        f"/api/v1/attempts/{body['attempt_id']}/answers", {"answers": {}}, content_type="application/json"
    )
    assert response.status_code == 401
    assert response.json()["code"] == "missing_token"


def test_an_attempt_resumed_on_the_same_device_gets_a_new_token_and_the_old_one_stops_working(client, open_round):
    first = start(client, device="phone-1").json()
    answers = right_answers(first["attempt_id"])
    key = next(iter(answers))
    save(client, first["attempt_id"], first["token"], {key: answers[key]})
    resumed = start(client, device="phone-1")
    assert resumed.status_code == 200
    second = resumed.json()
    assert second["attempt_id"] == first["attempt_id"] and second["token"] != first["token"]
    assert second["answers"] == {key: answers[key]}
    assert [q["id"] for q in second["questions"]] == [q["id"] for q in first["questions"]]
    assert save(client, first["attempt_id"], first["token"], {}).status_code == 403
    assert save(client, first["attempt_id"], second["token"], {}).status_code == 200
    assert refusals(Refusal.Kind.BAD_TOKEN) == 1


def test_an_attempt_in_progress_does_not_resume_on_another_device(client, open_round):
    start(client, device="phone-1")
    response = start(client, device="laptop")
    assert response.status_code == 409
    assert response.json()["code"] == "attempt_running"


def test_many_starts_from_one_address_are_refused(client, open_round, settings, still_clock):
    settings.CONTESTS_START_RATE = "3/m"
    phones = ["0912000001", "0912000002", "0912000003", "0912000004", "0912000005"]
    statuses = [
        start(client, phone=phone, cccd="", full_name=f"Người {i}").status_code for i, phone in enumerate(phones)
    ]
    assert statuses == [201, 201, 201, 429, 429]
    response = start(client, phone="0912000009", cccd="")
    assert response.json()["code"] == "rate_limited"
    assert response.json()["message"]
    assert Attempt.objects.count() == 3
    assert refusals(Refusal.Kind.TOO_MANY_STARTS) == 3


def test_a_round_not_yet_open_cannot_be_started(client, open_round):
    now = timezone.now()
    Round.objects.create(
        contest=open_round.contest,
        number=2,
        opens_at=now + datetime.timedelta(days=7),
        closes_at=now + datetime.timedelta(days=14),
    )
    response = start(client, round=2)
    assert response.status_code == 409
    assert response.json()["code"] == "round_not_open"
    assert start(client, round=9).status_code == 404


# ---------------------------------------------------------------------------------------------------------------
# Rankings


@pytest.fixture
def closed_round(contest):
    """A round that closed an hour ago with four entries: A 10/10; B, C, D 9/10 with predictions and times."""
    now = timezone.now()
    round_ = Round.objects.create(
        contest=contest,
        number=2,
        opens_at=now - datetime.timedelta(hours=3),
        closes_at=now - datetime.timedelta(hours=1),
        question_count=10,
        time_limit=TIME_LIMIT,
    )
    began = round_.opens_at + datetime.timedelta(minutes=5)
    # name, phone, prediction, seconds taken, wrong answers
    entries = [
        ("Nguyễn Văn A", "0912000001", 100, 300, 0),
        ("Trần Thị B", "0912000002", 4, 200, 1),  # exact prediction, slower
        ("Lê Văn C", "0912000003", 50, 30, 1),  # far prediction, fastest
        ("Phạm Thị D", "0912000004", 4, 100, 1),  # exact prediction, quicker than B
    ]
    for offset, (name, phone, prediction, seconds, wrong) in enumerate(entries):
        participant = services.participant_register(
            contest, {"full_name": name, "phone": phone, "unit": "HG-DV", "cccd": f"0020900000{offset:02d}"}
        )
        at = began + datetime.timedelta(minutes=offset)
        attempt, _token = services.attempt_start(round_, participant, now=at)
        answers = right_answers(attempt.pk)
        for key in list(answers)[:wrong]:
            answers[key] = wrong_answer(int(key))
        services.attempt_submit(attempt, answers, prediction, now=at + datetime.timedelta(seconds=seconds))
    return round_


def test_the_ranking_follows_the_tie_break_chain_once_the_round_closed(client, closed_round):
    response = client.get("/api/v1/contests/tim-hieu-nghi-quyet-27/rounds/2/ranking")
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["count"], body["closed"], body["prediction_answer"]) == (4, True, 4)
    assert [(item["rank"], item["full_name"], item["score"]) for item in body["items"]] == [
        (1, "Nguyễn Văn A", 10),
        (2, "Phạm Thị D", 9),
        (3, "Trần Thị B", 9),
        (4, "Lê Văn C", 9),
    ]
    assert body["items"][1]["time_ms"] == 100_000
    assert body["items"][1]["prediction"] == 4
    assert body["items"][1]["unit"] == "Huyện Đồng Văn"


def test_the_ranking_hides_personal_data(client, closed_round):
    response = client.get("/api/v1/contests/tim-hieu-nghi-quyet-27/rounds/2/ranking")
    item = response.json()["items"][0]
    assert set(item) == {"rank", "full_name", "unit", "score", "max_score", "time_ms", "submitted_at", "prediction"}
    text = response.content.decode()
    assert "0912000001" not in text and "002090000000" not in text


def test_the_ranking_of_an_open_round_keeps_predictions_hidden(client, open_round):
    body = start(client).json()
    submit(client, body["attempt_id"], body["token"], right_answers(body["attempt_id"]), prediction=77)
    ranking = client.get("/api/v1/contests/tim-hieu-nghi-quyet-27/rounds/1/ranking").json()
    assert ranking["closed"] is False and ranking["prediction_answer"] is None
    assert [(item["rank"], item["score"], item["prediction"]) for item in ranking["items"]] == [(1, 10, None)]
    assert Round.objects.get(pk=open_round.pk).prediction_answer is None


def test_the_ranking_pages_by_fifty(client, closed_round):
    body = client.get("/api/v1/contests/tim-hieu-nghi-quyet-27/rounds/2/ranking", {"page": 2}).json()
    assert (body["page"], body["page_size"], body["count"], body["items"]) == (2, 50, 4, [])
    assert client.get("/api/v1/contests/tim-hieu-nghi-quyet-27/rounds/2/ranking", {"page": 0}).status_code == 422
    assert client.get("/api/v1/contests/tim-hieu-nghi-quyet-27/rounds/7/ranking").status_code == 404


def test_an_entry_costs_few_queries_once_the_bank_is_read(client, open_round, django_assert_max_num_queries):
    """The deadline rush: start, save and submit read the question bank from the cache, not the database."""
    start(client, phone="0912000001", cccd="002090000001")  # the first start of the contest reads the bank
    # Savepoints count here; in production they are a transaction's BEGIN and COMMIT.
    with django_assert_max_num_queries(14):
        started = start(client, phone="0912000002", cccd="002090000002").json()
    answers = right_answers(started["attempt_id"])
    with django_assert_max_num_queries(6):
        assert save(client, started["attempt_id"], started["token"], answers).status_code == 200
    with django_assert_max_num_queries(6):
        submitted = submit(client, started["attempt_id"], started["token"], answers, 100)
    assert submitted.json()["score"] == submitted.json()["max_score"]
