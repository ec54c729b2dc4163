"""Reads of the contest engine: contests open to the public, rankings, the questions of an attempt."""

from django.db.models import BigIntegerField, F, Q, QuerySet, Value
from django.db.models.functions import Abs, Coalesce
from django.utils import timezone

from tuyengiao.contests.models import Attempt, Contest, Option, Question, Round, TieBreak

UNKNOWN_DISTANCE = 2**62  # no prediction given: behind every prediction


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


def attempt_questions(attempt: Attempt) -> list[tuple[Question, list[Option]]]:
    """The attempt's questions and options in the order drawn."""
    question_ids = [question_id for question_id, _options in attempt.paper]
    questions = Question.objects.in_bulk(question_ids)
    options = Option.objects.in_bulk([option_id for _question, order in attempt.paper for option_id in order])
    return [
        (questions[question_id], [options[option_id] for option_id in order if option_id in options])
        for question_id, order in attempt.paper
        if question_id in questions
    ]


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
