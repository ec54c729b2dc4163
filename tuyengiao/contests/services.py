"""Writes of the contest engine: registration, starting an attempt, saving answers, submitting, scoring.

Time is the server's: an attempt expires at `expires_at` (its time limit, or the round's close if sooner);
answers that arrive later are not scored, and what was saved before the limit is. Every refusal is counted
(Refusal) for the organisers' dashboard.
"""

import datetime
import hashlib
import random
import re
import secrets

from django.db import IntegrityError, transaction
from django.db.models import Count, F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from tuyengiao.contests.models import (
    Attempt,
    AttemptStatus,
    Audience,
    Contest,
    CountedAttempt,
    FieldRule,
    Participant,
    PredictionCount,
    QuestionKind,
    Refusal,
    Round,
)
from tuyengiao.contests.selectors import attempt_bank, bank
from tuyengiao.core.errors import DomainError, InvalidInputError, PermissionDeniedError
from tuyengiao.core.services import audit_record
from tuyengiao.core.text import fold, nfc
from tuyengiao.orgs.models import Unit

# A submission that reaches the server this long after the limit still counts (the browser submits at zero).
GRACE = datetime.timedelta(seconds=5)
PREDICTION_MAX = 1_000_000_000
CCCD = re.compile(r"^0\d{11}$")  # 12 digits; the first three are the province of birth (001–096)
PHONE = re.compile(r"^0[35789]\d{8}$")


class ContestError(InvalidInputError):
    code = "invalid_contest_request"


class AttemptConflictError(DomainError):
    """The attempt cannot take this request any more (submitted, expired, used up)."""

    code = "attempt_closed"
    status = 409


class TokenError(DomainError):
    code = "invalid_token"
    status = 403


def bank_changed(contest_id: int) -> None:
    """The question bank of the contest changed: attempts started from now on read it again (selectors.bank).
    Model signals call it for each question or option saved; bulk writes call it themselves."""
    Contest.objects.filter(pk=contest_id).update(bank_version=F("bank_version") + 1)


def refusal_record(contest: Contest, kind: str, ip: str | None = None) -> None:
    """Count a refused request (outside the caller's transaction, so the count stays when it rolls back)."""
    Refusal.objects.create(contest=contest, kind=kind, ip=ip)


# ---------------------------------------------------------------------------------------------------------------
# Registration


def phone_normalise(value: str) -> str:
    digits = re.sub(r"[\s.\-()]", "", value or "")
    if digits.startswith("+84"):
        digits = "0" + digits[3:]
    elif digits.startswith("84") and len(digits) == 11:
        digits = "0" + digits[2:]
    return digits


def _registration_clean(contest: Contest, data: dict) -> dict:
    """The registration fields the contest asks for, cleaned; every problem at once."""
    rules = contest.registration
    cleaned: dict = {}
    problems: list[dict] = []

    def problem(field: str, message: str) -> None:
        problems.append({"field": field, "problem": message})

    for field, rule in rules.items():
        raw = data.get(field)
        value = nfc(str(raw)).strip() if raw not in (None, "") else ""
        if rule == FieldRule.OFF:
            continue
        if not value:
            if rule == FieldRule.REQUIRED:
                problem(field, _("This field is required."))
            continue
        if field == "full_name":
            if len(value) > 120 or not re.search(r"\w", value):
                problem(field, _("Enter your full name (up to 120 characters)."))
            cleaned[field] = re.sub(r"\s+", " ", value)
        elif field == "birth_year":
            this_year = timezone.localdate().year
            if not value.isdigit() or not this_year - 110 <= int(value) <= this_year - 6:
                problem(field, _("Enter the year you were born, for example 1990."))
            else:
                cleaned[field] = int(value)
        elif field == "phone":
            phone = phone_normalise(value)
            if not PHONE.match(phone):
                problem(field, _("Enter a Vietnamese mobile number of 10 digits, for example 0912345678."))
            cleaned[field] = phone
        elif field == "cccd":
            if not CCCD.match(value):
                problem(field, _("A citizen ID (CCCD) has 12 digits and starts with 0."))
            cleaned[field] = value
        elif field == "unit":
            unit = Unit.objects.filter(code=value).first()
            if unit is None:
                problem(field, _("Choose your unit from the list."))
            cleaned[field] = unit
        elif field in ("occupation", "address"):
            cleaned[field] = value[: 255 if field == "address" else 120]
    if problems:
        raise ContestError(_("Please correct the registration details."), details=problems)
    return cleaned


def participant_register(contest: Contest, data: dict, *, user=None, ip: str | None = None) -> Participant:
    """The participant for these registration details: the same person again (same CCCD or phone and the same
    name) gets their registration back; a CCCD or phone registered under another name is refused."""
    if contest.audience == Audience.USERS and not getattr(user, "is_authenticated", False):
        raise PermissionDeniedError(_("Please sign in to take part in this contest."))
    try:
        cleaned = _registration_clean(contest, data)
    except ContestError:
        refusal_record(contest, Refusal.Kind.BAD_REGISTRATION, ip)
        raise
    if contest.audience == Audience.ROSTER and not _on_roster(contest, cleaned):
        refusal_record(contest, Refusal.Kind.BAD_REGISTRATION, ip)
        raise PermissionDeniedError(_("Your citizen ID or phone number is not on the list of people of this contest."))
    existing = _same_identity(contest, cleaned, ip)
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            return Participant.objects.create(
                contest=contest, user=user if getattr(user, "is_authenticated", False) else None, **cleaned
            )
    except IntegrityError:  # the same person registering twice at once
        existing = _same_identity(contest, cleaned, ip)
        if existing is None:
            raise
        return existing


def _on_roster(contest: Contest, cleaned: dict) -> bool:
    roster = contest.roster.all()
    return bool(
        (cleaned.get("cccd") and roster.filter(cccd=cleaned["cccd"]).exists())
        or (cleaned.get("phone") and roster.filter(phone=cleaned["phone"]).exists())
    )


def _same_identity(contest: Contest, cleaned: dict, ip: str | None) -> Participant | None:
    same_id = Q(pk__in=[])
    for field in ("cccd", "phone"):
        if cleaned.get(field):
            same_id |= Q(**{field: cleaned[field]})
    matches = list(Participant.objects.filter(same_id, contest=contest)[:2])
    if not matches:
        return None
    person = matches[0]
    same = all(match.pk == person.pk for match in matches) and fold(person.full_name) == fold(
        cleaned.get("full_name", person.full_name)
    )
    if not same:
        refusal_record(contest, Refusal.Kind.DUPLICATE, ip)
        raise AttemptConflictError(
            _(
                "This citizen ID or phone number is already registered in this contest under another name. "
                "Each person takes part once; if this is you, use the details you registered with."
            ),
            code="duplicate_registration",
        )
    return person


# ---------------------------------------------------------------------------------------------------------------
# Attempts


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def round_is_open(round_: Round, now: datetime.datetime | None = None) -> bool:
    now = now or timezone.now()
    return round_.opens_at <= now < round_.closes_at


def _draw(round_: Round, rng: random.Random, questions: dict) -> list[list]:
    """The paper of one attempt: questions drawn by the round's rule from the bank, options shuffled if asked."""
    fixed = [pk for pk in round_.fixed_questions.values_list("id", flat=True) if pk in questions]
    if fixed:
        chosen = fixed
    else:
        if round_.quotas:
            chosen = []
            for topic, wanted in round_.quotas.items():
                pool = [pk for pk, (question, _options) in questions.items() if question.topic == topic]
                chosen += rng.sample(pool, min(int(wanted), len(pool)))
        else:
            pool = list(questions)
            chosen = rng.sample(pool, min(round_.question_count, len(pool)))
        rng.shuffle(chosen)
    paper = []
    for question_id in chosen:
        order = [option.pk for option in questions[question_id][1]]
        if round_.shuffle_options:
            rng.shuffle(order)
        paper.append([question_id, order])
    return paper


def attempt_start(
    round_: Round, participant: Participant, *, ip: str | None = None, device: str = "", now=None
) -> tuple[Attempt, str]:
    """A new attempt and its token (shown once). On the same device, an attempt still running is resumed
    with a new token (the old one stops working)."""
    now = now or timezone.now()
    if participant.contest_id != round_.contest_id:
        raise ContestError(_("This registration belongs to another contest."))
    if now < round_.opens_at:
        raise AttemptConflictError(_("This round has not opened yet."), code="round_not_open")
    if now >= round_.closes_at:
        raise AttemptConflictError(_("This round has closed."), code="round_closed")
    token = secrets.token_urlsafe(24)
    with transaction.atomic():
        # One start at a time per person: the participant's row is the lock.
        Participant.objects.select_for_update().filter(pk=participant.pk).first()
        earlier = list(
            Attempt.objects.filter(round=round_, participant=participant).values_list(
                "pk", "status", "expires_at", "device"
            )
        )
        running = next((row for row in earlier if row[1] == AttemptStatus.OPEN and row[2] > now), None)
        if running is not None:
            if device and running[3] == device:
                Attempt.objects.filter(pk=running[0]).update(token_hash=_hash(token))
                return Attempt.objects.select_related("round__contest").get(pk=running[0]), token
            raise AttemptConflictError(
                _("You have an attempt in progress on another device; finish it there or wait until its time is up."),
                code="attempt_running",
            )
        if len(earlier) >= round_.attempts_allowed:
            raise AttemptConflictError(
                _("You have used all %(count)s attempts of this round.") % {"count": round_.attempts_allowed},
                code="no_attempts_left",
            )
        questions = bank(round_.contest_id)
        paper = _draw(round_, random.Random(secrets.randbits(64)), questions)
        if not paper:
            raise AttemptConflictError(_("This round has no questions yet."), code="no_questions")
        attempt = Attempt.objects.create(
            round=round_,
            participant=participant,
            token_hash=_hash(token),
            paper=paper,
            started_at=now,
            expires_at=min(now + datetime.timedelta(seconds=round_.time_limit), round_.closes_at),
            max_score=len(paper),
            ip=ip,
            device=device[:64],
        )
    attempt._bank = questions  # selectors.attempt_bank: the questions are shown from the bank just read
    return attempt, token


def attempt_authorised(attempt_id: int, token: str, *, ip: str | None = None) -> Attempt:
    """The attempt, if `token` is its current token; a wrong, old or missing token is refused and counted."""
    attempt = Attempt.objects.select_related("round__contest").filter(pk=attempt_id).first()
    if attempt is None:
        raise TokenError(_("This attempt does not exist or the token is wrong."))
    if not token or not secrets.compare_digest(attempt.token_hash, _hash(token)):
        refusal_record(attempt.round.contest, Refusal.Kind.BAD_TOKEN, ip)
        raise TokenError(_("This attempt does not exist or the token is wrong."))
    return attempt


def _answers_clean(attempt: Attempt, answers, *, ip: str | None = None) -> dict[str, list[int]]:
    """{question id: [option ids]} limited to the attempt's paper; anything else refuses the whole request."""
    paper = {str(question_id): options for question_id, options in attempt.paper}
    cleaned: dict[str, list[int]] = {}
    problems = []
    if not isinstance(answers, dict):
        answers = {}
    for key, chosen in answers.items():
        key = str(key)
        if key not in paper:
            problems.append({"field": key, "problem": _("This question is not in your attempt.")})
            continue
        if not isinstance(chosen, list) or not all(isinstance(item, int) for item in chosen):
            problems.append({"field": key, "problem": _("Answer with a list of option ids.")})
            continue
        if not set(chosen) <= set(paper[key]):
            problems.append({"field": key, "problem": _("An option does not belong to this question.")})
            continue
        cleaned[key] = sorted(set(chosen))
    if problems:
        refusal_record(attempt.round.contest, Refusal.Kind.FOREIGN_ANSWER, ip)
        raise ContestError(_("Some answers do not belong to this attempt; nothing was saved."), details=problems)
    questions = attempt_bank(attempt)
    for key, chosen in cleaned.items():
        question = questions.get(int(key), (None,))[0]
        if (question is None or question.kind != QuestionKind.MULTIPLE) and len(chosen) > 1:
            raise ContestError(
                _("Choose only one option for this question; nothing was saved."),
                details=[{"field": key, "problem": _("Only one option may be chosen.")}],
            )
    return cleaned


def attempt_answers_save(attempt: Attempt, answers: dict, *, ip: str | None = None, now=None) -> Attempt:
    """Keep these answers (merged with those saved before). Nothing is kept after the time limit."""
    now = now or timezone.now()
    cleaned = _answers_clean(attempt, answers, ip=ip)
    with transaction.atomic():
        status, expires_at, saved = (
            Attempt.objects.select_for_update()
            .filter(pk=attempt.pk)
            .values_list("status", "expires_at", "answers")
            .get()
        )
        if status != AttemptStatus.OPEN:
            raise AttemptConflictError(_("This attempt has already been submitted."), code="already_submitted")
        if now > expires_at + GRACE:
            raise AttemptConflictError(_("The time for this attempt is up."), code="expired")
        attempt.answers = {**saved, **cleaned}
        Attempt.objects.filter(pk=attempt.pk).update(answers=attempt.answers)
    return attempt


def attempt_submit(
    attempt: Attempt, answers: dict | None, prediction, *, ip: str | None = None, now=None
) -> tuple[Attempt, bool]:
    """Score the attempt once. Returns (attempt, late): a late submission scores what was saved before the
    limit and ignores the answers it brings. A second submission is refused and changes nothing."""
    now = now or timezone.now()
    contest = attempt.round.contest
    if prediction is not None and (
        isinstance(prediction, bool) or not isinstance(prediction, int) or not 0 <= prediction <= PREDICTION_MAX
    ):
        refusal_record(contest, Refusal.Kind.BAD_PREDICTION, ip)
        raise ContestError(
            _("The prediction must be a whole number from 0 to %(max)s.") % {"max": f"{PREDICTION_MAX:,}"},
            details=[{"field": "prediction", "problem": _("Out of range.")}],
        )
    cleaned = _answers_clean(attempt, answers or {}, ip=ip)
    with transaction.atomic():
        # The row is locked and read again: of two submissions at once, the second sees the first's result.
        status, answers, saved_prediction, score, max_score = (
            Attempt.objects.select_for_update()
            .filter(pk=attempt.pk)
            .values_list("status", "answers", "prediction", "score", "max_score")
            .get()
        )
        attempt.status, attempt.answers, attempt.prediction = status, answers, saved_prediction
        attempt.score, attempt.max_score = score, max_score
        if attempt.status != AttemptStatus.OPEN:
            late = None
        else:
            late = now > attempt.expires_at + GRACE
            if not late:
                attempt.answers = {**attempt.answers, **cleaned}
                attempt.prediction = prediction
            _score(attempt, submitted_at=min(now, attempt.expires_at))
            attempt.status = AttemptStatus.EXPIRED if late else AttemptStatus.SUBMITTED
            _finish(attempt)
    if late is None:
        refusal_record(contest, Refusal.Kind.RESUBMIT, ip)
        raise AttemptConflictError(
            _("This attempt was already submitted; your score stays %(score)s/%(max)s.")
            % {"score": attempt.score, "max": attempt.max_score},
            code="already_submitted",
        )
    if late:
        refusal_record(contest, Refusal.Kind.LATE, ip)
    return attempt, late


def _score(attempt: Attempt, *, submitted_at: datetime.datetime) -> None:
    questions = attempt_bank(attempt)
    correct = []
    for question_id, _order in attempt.paper:
        right = {option.pk for option in questions.get(question_id, (None, []))[1] if option.correct}
        if right and set(attempt.answers.get(str(question_id), [])) == right:
            correct.append(question_id)
    attempt.correct_questions = correct
    attempt.score = len(correct)
    attempt.submitted_at = submitted_at
    attempt.time_ms = max(0, int((submitted_at - attempt.started_at).total_seconds() * 1000))


SCORED_FIELDS = ["answers", "prediction", "status", "score", "time_ms", "submitted_at", "correct_questions", "counts"]


def _finish(attempt: Attempt) -> None:
    """Store a scored attempt and mark the person's attempt that counts (with one attempt allowed, this one)."""
    single = attempt.round.attempts_allowed == 1 and not attempt.disqualified_reason
    attempt.counts = single
    attempt.save(update_fields=SCORED_FIELDS)
    if not single:
        _recount(attempt.round, attempt.participant_id)


def attempts_expire(round_: Round, *, now=None) -> int:
    """Score the attempts left open past their limit with what they saved (the browser was closed)."""
    now = now or timezone.now()
    done = 0
    for pk in Attempt.objects.filter(round=round_, status=AttemptStatus.OPEN, expires_at__lt=now - GRACE).values_list(
        "pk", flat=True
    ):
        with transaction.atomic():
            attempt = (
                Attempt.objects.select_for_update()
                .select_related("round")
                .filter(pk=pk, status=AttemptStatus.OPEN)
                .first()
            )
            if attempt is None:
                continue
            _score(attempt, submitted_at=attempt.expires_at)
            attempt.status = AttemptStatus.EXPIRED
            _finish(attempt)
            done += 1
    return done


def _recount(round_: Round, participant_id: int) -> None:
    """Mark the one attempt of this person that counts in the round (best, first or last), none if all are
    disqualified."""
    finished = list(
        Attempt.objects.filter(round=round_, participant_id=participant_id, score__isnull=False, disqualified_reason="")
        .order_by("started_at", "pk")
        .values_list("pk", "score", "time_ms")
    )
    chosen = None
    if finished:
        if round_.counted_attempt == CountedAttempt.FIRST:
            chosen = finished[0][0]
        elif round_.counted_attempt == CountedAttempt.LAST:
            chosen = finished[-1][0]
        else:
            chosen = min(finished, key=lambda row: (-row[1], row[2] or 0, row[0]))[0]
    Attempt.objects.filter(round=round_, participant_id=participant_id).exclude(pk=chosen).filter(counts=True).update(
        counts=False
    )
    if chosen is not None:
        Attempt.objects.filter(pk=chosen).update(counts=True)


def round_prediction_freeze(round_: Round, *, now=None) -> Round:
    """After the close, the true answer to the prediction question, counted once and kept."""
    now = now or timezone.now()
    if round_.prediction_answer is not None or now < round_.closes_at:
        return round_
    attempts_expire(round_, now=now)
    finished = Attempt.objects.filter(round=round_, score__isnull=False)
    if round_.prediction_counts == PredictionCount.PEOPLE:
        answer = finished.aggregate(n=Count("participant", distinct=True))["n"]
    else:
        answer = finished.count()
    Round.objects.filter(pk=round_.pk, prediction_answer__isnull=True).update(prediction_answer=answer)
    round_.refresh_from_db(fields=["prediction_answer"])
    return round_


def attempt_disqualify(attempt: Attempt, reason: str, *, actor, request=None) -> Attempt:
    reason = nfc(reason or "").strip()
    if not reason:
        raise ContestError(_("Give the reason for disqualifying this entry."))
    with transaction.atomic():
        attempt.disqualified_reason = reason[:1000]
        attempt.counts = False
        attempt.save(update_fields=["disqualified_reason", "counts"])
        _recount(attempt.round, attempt.participant_id)
        audit_record(actor=actor, action="contest.disqualify", obj=attempt, changes={"reason": reason}, request=request)
    return attempt
