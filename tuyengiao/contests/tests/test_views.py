"""Participants' public pages: register, answer, submit (without JavaScript), result, ranking."""

import datetime
import re

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from tuyengiao.contests import services
from tuyengiao.contests.models import Attempt, AttemptStatus, Contest, Option, Question, Round
from tuyengiao.contests.tests.factories import question_add
from tuyengiao.orgs.models import UnitKind
from tuyengiao.orgs.tests.factories import UnitFactory

pytestmark = pytest.mark.django_db

NAME = "Nguyễn Thị Hoà"
PHONE = "0912345678"
CCCD = "002190001234"


@pytest.fixture
def quiz():
    """A published contest of a district with one open round of three questions, one of each kind."""
    province = UnitFactory(code="T-HG", name="Tỉnh Thử", kind=UnitKind.PROVINCE)
    district = UnitFactory(code="T-BM", name="Huyện Thử Bắc", kind=UnitKind.DISTRICT, parent=province)
    contest = Contest.objects.create(
        title="Tìm hiểu Nghị quyết 27-NQ/TW",
        slug="nq27",
        unit=province,
        rules="Mỗi người thi một lần.",
        registration={
            "full_name": "required",
            "birth_year": "on",
            "phone": "required",
            "cccd": "on",
            "unit": "required",
            "occupation": "off",
            "address": "off",
        },
        show_answers=True,
        published=True,
    )
    now = timezone.now()
    round_ = Round.objects.create(
        contest=contest,
        number=1,
        opens_at=now - datetime.timedelta(hours=1),
        closes_at=now + datetime.timedelta(days=2),
        question_count=3,
        shuffle_options=False,
        time_limit=600,
        prediction_question="Bao nhiêu lượt thi?",
    )
    right = {}
    for order, (text, kind, options) in enumerate(
        [
            ("Nghị quyết 27 ban hành năm nào?", "single", [("Năm 2022", True), ("Năm 2019", False)]),
            (
                "Chọn các trụ cột của Nhà nước pháp quyền.",
                "multiple",
                [("Dân chủ", True), ("Pháp quyền", True), ("Độc đoán", False)],
            ),
            ("Nhà nước pháp quyền XHCN do Đảng lãnh đạo.", "true_false", [("Đúng", True), ("Sai", False)]),
        ]
    ):
        question = question_add(contest, text, options, kind=kind, order=order, explanation=f"Giải thích số {order}")
        right[question.pk] = list(question.options.filter(correct=True).values_list("pk", flat=True))
    return {"contest": contest, "round": round_, "unit": district, "right": right}


def registration(**changes):
    data = {"full_name": NAME, "phone": PHONE, "cccd": CCCD, "birth_year": "1990", "unit": "T-BM", "consent": "on"}
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def start(client, quiz, **changes) -> Attempt:
    response = client.post(reverse("contests:detail", args=["nq27"]), registration(**changes))
    assert response.status_code == 302, response.content.decode()[:2000]
    attempt_id = int(re.search(r"/lam-bai/(\d+)/", response["Location"]).group(1))
    return Attempt.objects.get(pk=attempt_id)


def answer_fields(answers: dict) -> dict:
    return {f"q{question_id}": [str(option) for option in options] for question_id, options in answers.items()}


def test_the_list_shows_the_contest_its_organiser_and_round_dates(client, quiz):
    html = client.get(reverse("contests:list")).content.decode()
    assert "Tìm hiểu Nghị quyết 27-NQ/TW" in html
    assert "Tỉnh Thử" in html
    opens = timezone.localtime(quiz["round"].opens_at).strftime("%d/%m/%Y %H:%M")
    assert opens in html


def test_the_contest_page_asks_only_for_the_fields_the_contest_wants(client, quiz):
    html = client.get(reverse("contests:detail", args=["nq27"])).content.decode()
    assert 'name="full_name"' in html and 'name="phone"' in html and 'name="cccd"' in html
    assert 'name="occupation"' not in html and 'name="address"' not in html
    assert '<option value="T-BM">' in html and "\u00a0Huyện Thử Bắc" in html  # indented under the province
    assert 'name="consent"' in html


def test_registering_starts_an_attempt_that_lists_the_questions_without_the_answers(client, quiz):
    attempt = start(client, quiz)
    response = client.get(reverse("contests:attempt", args=[attempt.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    for question in Question.objects.all():
        assert question.text in html
    assert html.count('type="radio"') == 4 and html.count('type="checkbox"') == 3
    assert "correct" not in html.lower() and "Giải thích" not in html
    assert 'data-remaining="' in html and f'data-token="{client.session["contest_attempts"][str(attempt.pk)]}"' in html
    assert attempt.participant.full_name == NAME and attempt.participant.unit == quiz["unit"]


def test_a_submission_without_javascript_is_scored(client, quiz):
    attempt = start(client, quiz)
    answers = dict(quiz["right"])
    wrong_question = next(iter(answers))
    answers[wrong_question] = list(
        Option.objects.filter(question_id=wrong_question, correct=False).values_list("pk", flat=True)
    )
    response = client.post(
        reverse("contests:attempt", args=[attempt.pk]), {**answer_fields(answers), "prediction": "1200"}
    )
    assert response.status_code == 302 and response["Location"] == reverse("contests:result", args=[attempt.pk])
    attempt.refresh_from_db()
    assert (attempt.score, attempt.max_score, attempt.prediction, attempt.status) == (2, 3, 1200, "submitted")
    html = client.get(response["Location"]).content.decode()
    assert "2/3" in html
    assert "Giải thích" not in html  # the round is still open: no answers yet


def test_submitting_twice_keeps_the_first_score(client, quiz):
    attempt = start(client, quiz)
    url = reverse("contests:attempt", args=[attempt.pk])
    client.post(url, answer_fields(quiz["right"]))
    response = client.post(url, {})
    assert response.status_code == 302
    attempt.refresh_from_db()
    assert attempt.score == 3


def test_someone_elses_session_is_refused_the_attempt_and_the_result(client, quiz):
    attempt = start(client, quiz)
    other = Client()
    assert other.get(reverse("contests:attempt", args=[attempt.pk])).status_code == 403
    assert other.post(reverse("contests:attempt", args=[attempt.pk]), answer_fields(quiz["right"])).status_code == 403
    client.post(reverse("contests:attempt", args=[attempt.pk]), answer_fields(quiz["right"]))
    assert other.get(reverse("contests:result", args=[attempt.pk])).status_code == 403
    attempt.refresh_from_db()
    assert attempt.score == 3


def test_a_bad_citizen_id_is_explained_in_vietnamese_and_keeps_what_was_typed(client, quiz):
    response = client.post(reverse("contests:detail", args=["nq27"]), registration(cccd="12345"))
    html = response.content.decode()
    assert response.status_code == 422
    with translation.override("vi"):
        message = translation.gettext("A citizen ID (CCCD) has 12 digits and starts with 0.")
    assert message in html
    assert f'value="{NAME}"' in html and 'value="12345"' in html and f'value="{PHONE}"' in html
    assert '<option value="T-BM" selected>' in html
    assert not Attempt.objects.exists()


def test_a_missing_consent_is_asked_for_and_nothing_starts(client, quiz):
    response = client.post(reverse("contests:detail", args=["nq27"]), registration(consent=None))
    assert response.status_code == 422
    assert f'value="{NAME}"' in response.content.decode()
    assert not Attempt.objects.exists()


def test_a_phone_registered_under_another_name_is_refused_politely(client, quiz):
    start(client, quiz)
    response = Client().post(reverse("contests:detail", args=["nq27"]), registration(full_name="Trần Văn Khác"))
    assert response.status_code == 422
    assert 'value="Trần Văn Khác"' in response.content.decode()
    assert Attempt.objects.count() == 1


def test_opening_the_attempt_again_shows_the_saved_answers(client, quiz):
    attempt = start(client, quiz)
    question_id, options = next(iter(quiz["right"].items()))
    services.attempt_answers_save(attempt, {str(question_id): options})
    html = client.get(reverse("contests:attempt", args=[attempt.pk])).content.decode()
    assert re.search(rf'name="q{question_id}" value="{options[0]}" checked', html)
    assert html.count(" checked") == 1


def test_registering_again_on_the_same_browser_resumes_the_attempt(client, quiz):
    first = start(client, quiz)
    again = start(client, quiz)
    assert again.pk == first.pk
    assert client.get(reverse("contests:attempt", args=[first.pk])).status_code == 200


def test_a_late_submission_scores_only_the_saved_answers(client, quiz):
    started = timezone.now()
    with time_machine.travel(started, tick=False):
        attempt = start(client, quiz)
    question_id, options = next(iter(quiz["right"].items()))
    with time_machine.travel(started + datetime.timedelta(seconds=60), tick=False):
        services.attempt_answers_save(attempt, {str(question_id): options})
    with time_machine.travel(started + datetime.timedelta(seconds=600 + 60), tick=False):
        response = client.post(reverse("contests:attempt", args=[attempt.pk]), answer_fields(quiz["right"]))
        assert response.status_code == 302
        html = client.get(response["Location"]).content.decode()
    attempt.refresh_from_db()
    assert (attempt.score, attempt.status, attempt.time_ms) == (1, AttemptStatus.EXPIRED, 600_000)
    assert "1/3" in html and 'class="notice"' in html


def test_after_the_close_the_result_shows_the_right_answers_and_explanations(client, quiz):
    attempt = start(client, quiz)
    client.post(reverse("contests:attempt", args=[attempt.pk]), answer_fields(quiz["right"]))
    with time_machine.travel(quiz["round"].closes_at + datetime.timedelta(minutes=1), tick=False):
        html = client.get(reverse("contests:result", args=[attempt.pk])).content.decode()
    assert "Giải thích số 0" in html and "Giải thích số 2" in html
    assert "review__option--correct" in html


def test_the_result_shows_the_place_in_the_round(client, quiz):
    slow, fast = Client(), Client()
    first = start(slow, quiz)
    second = start(fast, quiz, full_name="Lò Văn Páo", phone="0987654321", cccd="")
    slow.post(reverse("contests:attempt", args=[first.pk]), answer_fields(quiz["right"]))
    fast.post(reverse("contests:attempt", args=[second.pk]), {})
    assert re.search(r"<dd>1</dd>", slow.get(reverse("contests:result", args=[first.pk])).content.decode())
    assert re.search(r"<dd>2</dd>", fast.get(reverse("contests:result", args=[second.pk])).content.decode())


def test_the_ranking_shows_names_and_units_but_never_phone_or_citizen_id(client, quiz):
    attempt = start(client, quiz)
    client.post(reverse("contests:attempt", args=[attempt.pk]), answer_fields(quiz["right"]))
    response = Client().get(reverse("contests:ranking", args=["nq27", 1]))
    html = response.content.decode()
    assert response.status_code == 200
    assert NAME in html and "Huyện Thử Bắc" in html and "3/3" in html
    assert PHONE not in html and CCCD not in html and "1990" not in html


def test_too_many_starts_from_one_address_are_refused(client, quiz, settings, still_clock):
    settings.CONTESTS_START_RATE = "2/m"
    for _ in range(2):
        client.post(reverse("contests:detail", args=["nq27"]), registration(cccd="1"))
    response = client.post(reverse("contests:detail", args=["nq27"]), registration())
    assert response.status_code == 429
    assert not Attempt.objects.exists()
