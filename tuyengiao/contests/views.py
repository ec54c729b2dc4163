"""Participants' public pages: the contests, a contest with its registration form, the attempt (a plain form
that a small script enhances with a countdown and autosave), the result, and the public ranking.

An attempt belongs to the browser session that started it: its token is kept in the session, keyed by the
attempt id, and the attempt and result pages are refused (403) to any other session.
"""

import hashlib
import secrets

from django.conf import settings
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from tuyengiao.contests import selectors, services
from tuyengiao.contests.forms import RegistrationForm
from tuyengiao.contests.models import AttemptStatus, QuestionKind, Refusal
from tuyengiao.core.errors import PermissionDeniedError
from tuyengiao.core.ratelimits import rate_limit_hit
from tuyengiao.core.requests import client_ip
from tuyengiao.core.views import rate_limited

RANKING_PAGE_SIZE = 50
SESSION_KEY = "contest_attempts"  # {attempt id: token}
DEVICE_COOKIE = "tg_device"  # a random id per browser; with the User-Agent it makes the attempt's device hash
DEVICE_COOKIE_AGE = 365 * 24 * 3600
START_RATE_GROUP = "contests.attempt_start"


def _page_number(request) -> int:
    value = request.GET.get("page", "1")
    return int(value) if value.isdigit() and len(value) < 6 else 1


def _device_id(request) -> tuple[str, bool]:
    """(the browser's random id, whether it is new and must be set as a cookie)."""
    value = request.COOKIES.get(DEVICE_COOKIE, "")
    if 16 <= len(value) <= 64 and value.replace("-", "").replace("_", "").isalnum():
        return value, False
    return secrets.token_urlsafe(18), True


def _device_hash(request, device_id: str) -> str:
    agent = request.META.get("HTTP_USER_AGENT", "")[:512]
    return hashlib.sha256(f"{agent}\n{device_id}".encode()).hexdigest()


def _token(request, attempt_id: int) -> str:
    return request.session.get(SESSION_KEY, {}).get(str(attempt_id), "")


def _attempt_for(request, attempt_id: int):
    """The attempt if this session holds its current token, else None."""
    token = _token(request, attempt_id)
    if not token:
        return None, ""
    try:
        return services.attempt_authorised(attempt_id, token, ip=client_ip(request)), token
    except services.TokenError:
        return None, ""


def _forbidden(request):
    response = render(request, "contests/forbidden.html", status=403)
    response["Cache-Control"] = "private, no-store"
    return response


def contest_list(request):
    return render(request, "contests/list.html", {"rows": selectors.contests_public_with_round()})


@never_cache
def contest_detail(request, slug):
    contest = selectors.contest_public(slug)
    if contest is None:
        raise Http404
    current = selectors.round_current(contest)
    is_open = current is not None and services.round_is_open(current)
    device_id, new_device = _device_id(request)
    form = RegistrationForm(contest, data=request.POST if request.method == "POST" else None)
    if request.method == "POST" and is_open:
        ip = client_ip(request)
        rate = getattr(settings, "CONTESTS_START_RATE", "60/m")
        if rate_limit_hit(request, group=START_RATE_GROUP, rate=rate):
            services.refusal_record(contest, Refusal.Kind.TOO_MANY_STARTS, ip)
            return rate_limited(request)
        if form.is_valid():
            try:
                participant = services.participant_register(contest, form.registration_data(), user=request.user, ip=ip)
                attempt, token = services.attempt_start(
                    current, participant, ip=ip, device=_device_hash(request, device_id)
                )
            except services.ContestError as error:
                form.add_engine_problems(error)
            except (services.AttemptConflictError, PermissionDeniedError) as error:
                form.add_error(None, error.message)
            else:
                tokens = request.session.get(SESSION_KEY, {})
                tokens[str(attempt.pk)] = token
                request.session[SESSION_KEY] = tokens
                response = redirect("contests:attempt", attempt_id=attempt.pk)
                if new_device:
                    _device_cookie_set(response, device_id)
                return response
    response = render(
        request,
        "contests/detail.html",
        {
            "contest": contest,
            "rounds": list(contest.rounds.order_by("number")),
            "current": current,
            "is_open": is_open,
            "now": timezone.now(),
            "form": form,
        },
        status=422 if form.is_bound and form.errors else 200,
    )
    if new_device:
        _device_cookie_set(response, device_id)
    return response


def _device_cookie_set(response, device_id: str) -> None:
    response.set_cookie(
        DEVICE_COOKIE,
        device_id,
        max_age=DEVICE_COOKIE_AGE,
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )


def _answers_from_form(request, attempt) -> dict[str, list[int]]:
    """Every question of the paper with the options ticked on the form ([] for none: the form is complete)."""
    answers = {}
    for question_id, _options in attempt.paper:
        chosen = request.POST.getlist(f"q{question_id}")
        answers[str(question_id)] = [int(value) for value in chosen if value.isdigit() and len(value) < 12]
    return answers


@never_cache
def attempt_page(request, attempt_id):
    attempt, token = _attempt_for(request, int(attempt_id))
    if attempt is None:
        return _forbidden(request)
    if attempt.status != AttemptStatus.OPEN:
        return redirect("contests:result", attempt_id=attempt.pk)
    errors = []
    answers = attempt.answers
    prediction = "" if attempt.prediction is None else str(attempt.prediction)
    if request.method == "POST":
        answers = _answers_from_form(request, attempt)
        prediction = request.POST.get("prediction", "").strip()
        value = None
        if attempt.round.prediction_question and prediction:
            if prediction.isdigit() and len(prediction) <= 12:
                value = int(prediction)
            else:
                errors.append(_("Write the prediction as a whole number, for example 12500."))
        if not errors:
            try:
                services.attempt_submit(attempt, answers, value, ip=client_ip(request))
            except services.AttemptConflictError:
                pass  # submitted already (another tab): submitting twice changes nothing
            except services.ContestError as error:
                errors += [detail["problem"] for detail in error.details] or [error.message]
            if not errors:
                return redirect("contests:result", attempt_id=attempt.pk)
    now = timezone.now()
    remaining = max(0, int((attempt.expires_at - now).total_seconds()))
    chosen = {str(key): {int(option) for option in value} for key, value in answers.items()}
    questions = [
        {
            "question": question,
            "multiple": question.kind == QuestionKind.MULTIPLE,
            "options": [(option, option.pk in chosen.get(str(question.pk), set())) for option in options],
        }
        for question, options in selectors.attempt_questions(attempt)
    ]
    return render(
        request,
        "contests/attempt.html",
        {
            "attempt": attempt,
            "round": attempt.round,
            "contest": attempt.round.contest,
            "questions": questions,
            "remaining": remaining,
            "remaining_display": f"{remaining // 60:02d}:{remaining % 60:02d}",
            "token": token,
            "prediction": prediction,
            "errors": errors,
        },
        status=422 if errors else 200,
    )


@never_cache
def attempt_result(request, attempt_id):
    attempt, _token_value = _attempt_for(request, int(attempt_id))
    if attempt is None:
        return _forbidden(request)
    if attempt.status == AttemptStatus.OPEN:
        return redirect("contests:attempt", attempt_id=attempt.pk)
    round_ = attempt.round
    contest = round_.contest
    closed = timezone.now() >= round_.closes_at
    review = []
    if closed and contest.show_answers:
        given = {str(key): set(value) for key, value in attempt.answers.items()}
        for question, options in selectors.attempt_questions(attempt):
            mine = given.get(str(question.pk), set())
            review.append(
                {
                    "question": question,
                    "right": question.pk in attempt.correct_questions,
                    "options": [(option, option.pk in mine) for option in options],
                }
            )
    return render(
        request,
        "contests/result.html",
        {
            "attempt": attempt,
            "round": round_,
            "contest": contest,
            "late": attempt.status == AttemptStatus.EXPIRED,
            "position": selectors.ranking_position(attempt),
            "closed": closed,
            "review": review,
        },
    )


def ranking(request, slug, number):
    contest = selectors.contest_public(slug)
    if contest is None:
        raise Http404
    round_ = selectors.round_public(contest, int(number))
    if round_ is None:
        raise Http404
    page = Paginator(selectors.round_ranking(round_), RANKING_PAGE_SIZE).get_page(_page_number(request))
    rows = [(page.start_index() + index, attempt) for index, attempt in enumerate(page.object_list)]
    return render(
        request, "contests/ranking.html", {"contest": contest, "round": round_, "page_obj": page, "rows": rows}
    )
