"""The contests' JSON API: the published contests, starting an attempt, saving answers, submitting, rankings.

An attempt is reached with the token given when it started, sent as `Authorization: Bearer <token>`. Refusals
(bad input, abuse) come back in the house error format and are counted by the services for the dashboard.
"""

import datetime

from django.conf import settings
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Path, Query, Router, Schema, Status
from ninja.security import HttpBearer
from pydantic import StrictInt

from tuyengiao.api.main import NO_NUL, SLUG, ErrorOut
from tuyengiao.contests import selectors, services
from tuyengiao.contests.models import Contest, QuestionKind, Refusal, Round
from tuyengiao.core.errors import DomainError, NotFoundError
from tuyengiao.core.ratelimits import rate_limit_hit
from tuyengiao.core.requests import client_ip

router = Router(tags=["contests"])

ID_MAX = 9_223_372_036_854_775_807  # BigAutoField
ROUND_MAX = 32_767
RANKING_PAGE_SIZE = 50
EXAMPLE_SLUG = "tim-hieu-nghi-quyet-27"


class TokenMissingError(DomainError):
    code = "missing_token"
    status = 401


class TooManyStartsError(DomainError):
    code = "rate_limited"
    status = 429


class AttemptToken(HttpBearer):
    """The attempt's token; checked against the attempt in the view (services.attempt_authorised)."""

    def __call__(self, request):
        token = super().__call__(request)
        if not token:
            raise TokenMissingError(_("Send the token of your attempt in the Authorization header (Bearer)."))
        return token

    def authenticate(self, request, token):
        return token


attempt_token = AttemptToken()


# ---------------------------------------------------------------------------------------------------------------
# Contests


class UnitRef(Schema):
    code: str
    name: str


class RoundOut(Schema):
    number: int
    title: str
    opens_at: datetime.datetime
    closes_at: datetime.datetime
    time_limit: int = Field(description="Seconds per attempt.")
    attempts_allowed: int
    prediction_question: str
    is_open: bool


class ContestOut(Schema):
    slug: str
    title: str
    organiser: UnitRef
    rules: str
    audience: str
    registration: dict[str, str] = Field(description="Each registration field: off, on (optional) or required.")
    rounds: list[RoundOut]


class ContestPage(Schema):
    count: int
    items: list[ContestOut]


class ContestFilter(Schema):
    limit: int = Field(20, ge=1, le=100)
    offset: int = Field(0, ge=0, le=100_000)


def _contest_out(contest: Contest, now: datetime.datetime) -> dict:
    return {
        "slug": contest.slug,
        "title": contest.title,
        "organiser": {"code": contest.unit.code, "name": contest.unit.name},
        "rules": contest.rules,
        "audience": contest.audience,
        "registration": {str(field): str(rule) for field, rule in contest.registration.items()},
        "rounds": [
            {
                "number": round_.number,
                "title": str(round_),
                "opens_at": round_.opens_at,
                "closes_at": round_.closes_at,
                "time_limit": round_.time_limit,
                "attempts_allowed": round_.attempts_allowed,
                "prediction_question": round_.prediction_question,
                "is_open": services.round_is_open(round_, now),
            }
            for round_ in sorted(contest.rounds.all(), key=lambda item: item.number)
        ],
    }


def _contest_or_404(slug: str) -> Contest:
    contest = selectors.contest_public(slug)
    if contest is None:
        raise Http404
    return contest


def _round_or_404(contest: Contest, number: int) -> Round:
    round_ = contest.rounds.filter(number=number).first()
    if round_ is None:
        raise NotFoundError(_("This contest has no round %(number)s.") % {"number": number}, code="unknown_round")
    return round_


SLUG_PATH = Path(..., max_length=120, pattern=SLUG, examples=[EXAMPLE_SLUG], description="The contest's slug.")


@router.get("/contests", response={200: ContestPage, 422: ErrorOut}, summary="Published contests, newest first")
def contests(request, filters: Query[ContestFilter]):
    queryset = selectors.contests_public().prefetch_related("rounds")
    now = timezone.now()
    items = [_contest_out(contest, now) for contest in queryset[filters.offset : filters.offset + filters.limit]]
    return {"count": queryset.count(), "items": items}


@router.get(
    "/contests/{slug}",
    response={200: ContestOut, 404: ErrorOut, 422: ErrorOut},
    summary="One published contest with its rounds",
)
def contest(request, slug: str = SLUG_PATH):
    return _contest_out(_contest_or_404(slug), timezone.now())


# ---------------------------------------------------------------------------------------------------------------
# Attempts


def _text(max_length: int):
    return Field(None, max_length=max_length, pattern=NO_NUL)


class StartIn(Schema):
    """The registration fields the contest asks for (see its `registration`), the round and the device."""

    full_name: str | None = _text(200)
    birth_year: StrictInt | None = Field(None, ge=0, le=9999)
    phone: str | None = _text(32)
    cccd: str | None = _text(32)
    unit: str | None = Field(None, max_length=64, pattern=NO_NUL, description="The code of the participant's unit.")
    occupation: str | None = _text(200)
    address: str | None = _text(500)
    round: StrictInt | None = Field(
        None, ge=1, le=ROUND_MAX, description="The round's number; by default the one open."
    )
    device: str = Field(
        "", max_length=64, pattern=NO_NUL, description="What identifies the browser: an attempt resumes on it."
    )

    model_config = {
        "json_schema_extra": {
            "examples": [
                {
                    "full_name": "Nguyễn Văn A",
                    "birth_year": 1990,
                    "phone": "0912345678",
                    "cccd": "002090001234",
                    "unit": "HG-BM",
                    "occupation": "Giáo viên",
                    "round": 1,
                    "device": "a1b2c3",
                }
            ]
        }
    }


class OptionOut(Schema):
    id: int
    text: str


class QuestionOut(Schema):
    id: int
    text: str
    options: list[OptionOut]
    multiple: bool = Field(description="More than one option may be chosen.")


class StartOut(Schema):
    attempt_id: int
    token: str = Field(description="Send it as `Authorization: Bearer <token>`; it is shown only once.")
    expires_at: datetime.datetime
    questions: list[QuestionOut]
    answers: dict[str, list[int]] = Field(description="The answers saved so far (when an attempt resumes).")


Answers = dict[str, list[StrictInt]]
ANSWERS_DESCRIPTION = "{question id: [option ids]}; an empty list clears a question's answer."


class AnswersIn(Schema):
    answers: Answers = Field(..., max_length=500, description=ANSWERS_DESCRIPTION)


class SavedOut(Schema):
    saved: int = Field(description="How many questions of the attempt have a saved answer.")
    expires_at: datetime.datetime


class SubmitIn(Schema):
    answers: Answers = Field(default_factory=dict, max_length=500, description=ANSWERS_DESCRIPTION)
    prediction: StrictInt | None = Field(None, description="The answer to the round's prediction question.")


class SubmitOut(Schema):
    score: int
    max_score: int
    time_ms: int = Field(description="Time taken, measured by the server, in milliseconds.")


@router.post(
    "/contests/{slug}/attempts",
    response={
        200: StartOut,
        201: StartOut,
        400: ErrorOut,
        403: ErrorOut,
        404: ErrorOut,
        409: ErrorOut,
        422: ErrorOut,
        429: ErrorOut,
    },
    summary="Register (or find one's registration) and start an attempt",
    description="201 with a new attempt; 200 when an attempt in progress resumes on the same device (new token).",
)
def attempt_start(request, payload: StartIn, slug: str = SLUG_PATH):
    contest = _contest_or_404(slug)
    ip = client_ip(request)
    if rate_limit_hit(request, group="contests.attempt_start", rate=settings.CONTESTS_START_RATE):
        services.refusal_record(contest, Refusal.Kind.TOO_MANY_STARTS, ip)
        raise TooManyStartsError(
            _("Too many attempts were started from your address. Please wait a minute and try again.")
        )
    if payload.round is not None:
        round_ = _round_or_404(contest, payload.round)
    else:
        round_ = selectors.round_current(contest)
        if round_ is None:
            raise NotFoundError(_("This contest has no rounds yet."), code="unknown_round")
    data = payload.dict(exclude={"round", "device"})
    participant = services.participant_register(contest, data, user=request.user, ip=ip)
    now = timezone.now()
    attempt, token = services.attempt_start(round_, participant, ip=ip, device=payload.device, now=now)
    questions = [
        {
            "id": question.pk,
            "text": question.text,
            "options": [{"id": option.pk, "text": option.text} for option in options],
            "multiple": question.kind == QuestionKind.MULTIPLE,
        }
        for question, options in selectors.attempt_questions(attempt)
    ]
    body = {
        "attempt_id": attempt.pk,
        "token": token,
        "expires_at": attempt.expires_at,
        "questions": questions,
        "answers": attempt.answers,
    }
    return Status(201 if attempt.started_at == now else 200, body)


ATTEMPT_ID = Path(..., ge=1, le=ID_MAX)


@router.put(
    "/attempts/{attempt_id}/answers",
    auth=attempt_token,
    response={200: SavedOut, 400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 409: ErrorOut, 422: ErrorOut},
    summary="Save some answers of an attempt (merged with those saved before)",
)
def attempt_answers(request, payload: AnswersIn, attempt_id: int = ATTEMPT_ID):
    ip = client_ip(request)
    attempt = services.attempt_authorised(attempt_id, request.auth, ip=ip)
    attempt = services.attempt_answers_save(attempt, payload.answers, ip=ip)
    return {"saved": len(attempt.answers), "expires_at": attempt.expires_at}


@router.post(
    "/attempts/{attempt_id}/submit",
    auth=attempt_token,
    response={200: SubmitOut, 400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 409: ErrorOut, 422: ErrorOut},
    summary="Submit an attempt: it is scored once, on the server's clock",
)
def attempt_submit(request, payload: SubmitIn, attempt_id: int = ATTEMPT_ID):
    ip = client_ip(request)
    attempt = services.attempt_authorised(attempt_id, request.auth, ip=ip)
    attempt, late = services.attempt_submit(attempt, payload.answers, payload.prediction, ip=ip)
    result = {"score": attempt.score, "max_score": attempt.max_score, "time_ms": attempt.time_ms}
    if late:
        raise services.AttemptConflictError(
            _(
                "The time for this attempt was up when it was submitted: the answers saved before the limit were "
                "scored (%(score)s/%(max)s)."
            )
            % {"score": attempt.score, "max": attempt.max_score},
            code="expired",
            details=[result],
        )
    return result


# ---------------------------------------------------------------------------------------------------------------
# Rankings


class RankingEntry(Schema):
    rank: int
    full_name: str
    unit: str | None = Field(description="The name of the participant's unit.")
    score: int
    max_score: int
    time_ms: int | None
    submitted_at: datetime.datetime | None
    prediction: int | None = Field(description="Shown once the round has closed.")


class RankingPage(Schema):
    count: int
    page: int
    page_size: int
    closed: bool
    prediction_answer: int | None = Field(description="The frozen count the predictions are compared with.")
    items: list[RankingEntry]


class RankingFilter(Schema):
    page: int = Field(1, ge=1, le=100_000)


@router.get(
    "/contests/{slug}/rounds/{n}/ranking",
    response={200: RankingPage, 404: ErrorOut, 422: ErrorOut},
    summary="The ranking of a round, by the contest's tie-break chain",
)
def round_ranking(
    request,
    filters: Query[RankingFilter],
    slug: str = SLUG_PATH,
    n: int = Path(..., ge=1, le=ROUND_MAX, description="The round's number."),
):
    contest = _contest_or_404(slug)
    round_ = _round_or_404(contest, n)
    now = timezone.now()
    closed = now >= round_.closes_at
    if closed:
        round_ = services.round_prediction_freeze(round_, now=now)
    ranking = selectors.round_ranking(round_)
    start = (filters.page - 1) * RANKING_PAGE_SIZE
    items = [
        {
            "rank": start + position,
            "full_name": attempt.participant.full_name,
            "unit": attempt.participant.unit.name if attempt.participant.unit_id else None,
            "score": attempt.score,
            "max_score": attempt.max_score,
            "time_ms": attempt.time_ms,
            "submitted_at": attempt.submitted_at,
            "prediction": attempt.prediction if closed else None,
        }
        for position, attempt in enumerate(ranking[start : start + RANKING_PAGE_SIZE], start=1)
    ]
    return {
        "count": ranking.count(),
        "page": filters.page,
        "page_size": RANKING_PAGE_SIZE,
        "closed": closed,
        "prediction_answer": round_.prediction_answer if closed else None,
        "items": items,
    }
