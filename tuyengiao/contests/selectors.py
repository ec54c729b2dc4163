"""Reads of the contest engine: contests open to the public, rankings, the questions of an attempt."""

from django.core.cache import cache
from django.db.models import BigIntegerField, F, Q, QuerySet, Value
from django.db.models.functions import Abs, Coalesce
from django.utils import timezone

from tuyengiao.contests.models import Attempt, Contest, Option, Question, Round, TieBreak

UNKNOWN_DISTANCE = 2**62  # no prediction given: behind every prediction
BANK_CACHE_SECONDS = 3600
_banks: dict[tuple, dict] = {}  # this process's copies of the banks in use, by (contest, version, created)

Bank = dict[int, tuple[Question, list[Option]]]


def bank(contest_id: int) -> Bank:
    """The question bank of a contest: {question id: (question, its options in order)}, read once per version
    (signals bump Contest.bank_version when a question or option changes) and kept in this process and the
    cache. Starting, saving and scoring an attempt need no other read of questions."""
    version = Contest.objects.filter(pk=contest_id).values_list("bank_version", "created_at").first()
    if version is None:
        return {}
    key = (contest_id, *version)
    found = _banks.get(key)
    if found is None:
        cache_key = f"contests:bank:{contest_id}:{version[0]}:{version[1].timestamp()}"
        found = cache.get(cache_key)
        if found is None:
            found = {question.pk: (question, []) for question in Question.objects.filter(contest_id=contest_id)}
            for option in Option.objects.filter(question__contest_id=contest_id):
                found[option.question_id][1].append(option)
            cache.set(cache_key, found, BANK_CACHE_SECONDS)
        if len(_banks) >= 64:
            _banks.clear()
        _banks[key] = found
    return found


def contests_public() -> QuerySet:
    return Contest.objects.filter(published=True).select_related("unit").order_by("-created_at")


def contest_public(slug: str) -> Contest | None:
    return contests_public().filter(slug=slug).first()


def round_current(contest: Contest, now=None) -> Round | None:
    """The round open now, else the next to open, else the last."""
    now = now or timezone.now()
    rounds = contest.rounds.order_by("number")
    return (
        rounds.filter(opens_at__lte=now, closes_at__gt=now).first()
        or rounds.filter(opens_at__gt=now).first()
        or rounds.last()
    )


def round_ranking(round_: Round) -> QuerySet:
    """The counted attempts of the round in rank order, by the contest's tie-break chain. The prediction is
    compared only once the round's count is frozen (after the close)."""
    ordering = []
    attempts = Attempt.objects.filter(round=round_, counts=True).select_related("participant__unit")
    for rule in round_.contest.tie_breaks:
        if rule == TieBreak.SCORE:
            ordering.append(F("score").desc())
        elif rule == TieBreak.PREDICTION and round_.prediction_answer is not None:
            attempts = attempts.annotate(
                distance=Coalesce(
                    Abs(F("prediction") - round_.prediction_answer),
                    Value(UNKNOWN_DISTANCE, output_field=BigIntegerField()),
                    output_field=BigIntegerField(),
                )
            )
            ordering.append(F("distance").asc())
        elif rule == TieBreak.TIME:
            ordering.append(F("time_ms").asc())
        elif rule == TieBreak.SUBMITTED:
            ordering.append(F("submitted_at").asc())
    return attempts.order_by(*ordering, "pk")


def attempt_bank(attempt: Attempt) -> Bank:
    """The bank of the attempt's contest, read once per attempt object (that is, once per request)."""
    if getattr(attempt, "_bank", None) is None:
        attempt._bank = bank(attempt.round.contest_id)
    return attempt._bank


def attempt_questions(attempt: Attempt) -> list[tuple[Question, list[Option]]]:
    """The attempt's questions and options in the order drawn."""
    questions = attempt_bank(attempt)
    result = []
    for question_id, order in attempt.paper:
        if question_id in questions:
            question, options = questions[question_id]
            by_id = {option.pk: option for option in options}
            result.append((question, [by_id[option_id] for option_id in order if option_id in by_id]))
    return result


def contests_public_with_round(now=None) -> list[tuple[Contest, Round | None]]:
    """The published contests, each with its current round (as `round_current` picks it), in two queries."""
    now = now or timezone.now()
    rows = []
    for contest in contests_public().prefetch_related("rounds"):
        rounds = sorted(contest.rounds.all(), key=lambda round_: round_.number)
        current = (
            next((r for r in rounds if r.opens_at <= now < r.closes_at), None)
            or next((r for r in rounds if r.opens_at > now), None)
            or (rounds[-1] if rounds else None)
        )
        rows.append((contest, current))
    return rows


def round_public(contest: Contest, number: int) -> Round | None:
    return contest.rounds.filter(number=number).first()


def _ranking_keys(round_: Round) -> list[tuple[str, bool]]:
    """(field, descending) in the order `round_ranking` sorts by."""
    keys = []
    for rule in round_.contest.tie_breaks:
        if rule == TieBreak.SCORE:
            keys.append(("score", True))
        elif rule == TieBreak.PREDICTION and round_.prediction_answer is not None:
            keys.append(("distance", False))
        elif rule == TieBreak.TIME:
            keys.append(("time_ms", False))
        elif rule == TieBreak.SUBMITTED:
            keys.append(("submitted_at", False))
    return [*keys, ("pk", False)]


def ranking_position(attempt: Attempt) -> int | None:
    """The attempt's place in its round's ranking (1 is first), or None if it is not the one that counts.
    One count query: the attempts ahead of it by the tie-break chain."""
    if not attempt.counts:
        return None
    ranking = round_ranking(attempt.round)
    keys = _ranking_keys(attempt.round)
    mine = ranking.filter(pk=attempt.pk).values(*[field for field, _descending in keys]).first()
    if mine is None:
        return None
    ahead = Q(pk__in=[])
    equal = Q()
    for field, descending in keys:
        if mine[field] is None:
            break
        ahead |= equal & Q(**{f"{field}__{'gt' if descending else 'lt'}": mine[field]})
        equal &= Q(**{field: mine[field]})
    return ranking.filter(ahead).count() + 1
