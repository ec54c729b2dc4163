"""Reads for the organisers' dashboard of a contest: entries per hour and by district, scores, the hardest
questions, refusals and the review queue of suspicious entries. Each function is one or two queries."""

import datetime
import zoneinfo
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Count, Q
from django.db.models.functions import TruncHour
from django.utils import timezone

from tuyengiao.contests.models import Attempt, Contest, Question, Refusal, Round
from tuyengiao.orgs.models import Unit, UnitKind

FAST_MS_PER_QUESTION = 2_000  # under 2 s a question is faster than anyone reads
SHARED_DEVICE_PEOPLE = 3  # one device used by this many people
SAME_PERSON_ATTEMPTS = 5  # one CCCD with this many attempts in the round
IP_BURST_PER_HOUR = 20  # this many starts from one address within an hour
QUEUE_LIMIT = 200


def _finished(contest: Contest, round_: Round | None = None):
    attempts = Attempt.objects.filter(round__contest=contest, score__isnull=False)
    return attempts.filter(round=round_) if round_ is not None else attempts


def entries_per_hour(contest: Contest, *, hours: int = 48, now=None) -> list[dict]:
    """Submitted entries and distinct people for each of the last `hours` hours (local time), oldest first;
    hours without entries are listed with zeros."""
    now = now or timezone.now()
    zone = zoneinfo.ZoneInfo(settings.TIME_ZONE)
    end = now.astimezone(zone).replace(minute=0, second=0, microsecond=0) + datetime.timedelta(hours=1)
    start = end - datetime.timedelta(hours=hours)
    counted = {
        row["hour"].astimezone(zone): row
        for row in _finished(contest)
        .filter(submitted_at__gte=start, submitted_at__lt=end)
        .annotate(hour=TruncHour("submitted_at", tzinfo=zone))
        .values("hour")
        .annotate(entries=Count("id"), people=Count("participant", distinct=True))
    }
    rows = []
    for index in range(hours):
        hour = start + datetime.timedelta(hours=index)
        found = counted.get(hour, {})
        rows.append({"hour": hour, "entries": found.get("entries", 0), "people": found.get("people", 0)})
    return rows


def entries_by_district(contest: Contest) -> list[dict]:
    """Entries and people by the district (or, above the districts, the unit itself) of the participants."""
    counted = list(
        _finished(contest)
        .values("participant__unit")
        .annotate(entries=Count("id"), people=Count("participant", distinct=True))
    )
    units = Unit.objects.in_bulk([row["participant__unit"] for row in counted if row["participant__unit"]])
    ancestors = {pk for unit in units.values() for pk in unit.ancestor_ids}
    districts = {
        unit.pk: unit for unit in Unit.objects.filter(pk__in=ancestors, kind=UnitKind.DISTRICT).only("id", "name")
    }
    totals: dict = defaultdict(lambda: {"entries": 0, "people": 0})
    for row in counted:
        unit = units.get(row["participant__unit"])
        label = ""
        if unit is not None:
            district = next((districts[pk] for pk in reversed(unit.ancestor_ids) if pk in districts), None)
            label = (district or unit).name
        totals[label]["entries"] += row["entries"]
        totals[label]["people"] += row["people"]
    return sorted(({"name": name, **values} for name, values in totals.items()), key=lambda row: -row["entries"])


def score_distribution(round_: Round) -> list[dict]:
    """How many counted entries of the round scored 0, 1, … up to the most questions drawn."""
    counts = dict(
        _finished(round_.contest, round_)
        .filter(disqualified_reason="")
        .values_list("score")
        .annotate(n=Count("id"))
        .values_list("score", "n")
    )
    top = max([*counts.keys(), round_.question_count, 0])
    return [{"score": score, "count": counts.get(score, 0)} for score in range(top + 1)]


@dataclass
class Facility:
    question: Question
    shown: int
    right: int

    @property
    def index(self) -> float:
        """The share of the attempts that showed the question which answered it right (0–1)."""
        return self.right / self.shown if self.shown else 0.0

    @property
    def percent(self) -> int:
        return round(self.index * 100)


def hardest_questions(contest: Contest, round_: Round | None = None, *, limit: int = 10) -> list[Facility]:
    """The questions with the lowest facility index (answered right least often), read from the papers."""
    shown: Counter = Counter()
    right: Counter = Counter()
    for paper, correct in _finished(contest, round_).values_list("paper", "correct_questions").iterator(2_000):
        shown.update(question_id for question_id, _options in paper)
        right.update(correct)
    questions = Question.objects.in_bulk(list(shown))
    rows = [Facility(questions[pk], count, right[pk]) for pk, count in shown.items() if pk in questions]
    return sorted(rows, key=lambda row: (row.index, -row.shown, row.question.pk))[:limit]


def refusals_by_kind(contest: Contest) -> list[dict]:
    counts = dict(Refusal.objects.filter(contest=contest).values_list("kind").annotate(n=Count("id")))
    return [
        {"kind": kind, "label": label, "count": counts.get(kind, 0)}
        for kind, label in Refusal.Kind.choices
        if counts.get(kind)
    ]


@dataclass
class Suspect:
    attempt: Attempt
    reasons: list[str] = field(default_factory=list)


def review_queue(round_: Round, *, limit: int = QUEUE_LIMIT) -> list[Suspect]:
    """Entries of the round that look wrong, each with why: impossibly fast, one device for several people,
    one CCCD with many attempts, a burst of starts from one address. Disqualified entries are left out."""
    from django.utils.translation import gettext as _

    attempts = Attempt.objects.filter(round=round_, disqualified_reason="")
    fast = set(
        attempts.filter(score__isnull=False, time_ms__lt=FAST_MS_PER_QUESTION * round_.question_count).values_list(
            "pk", flat=True
        )
    )
    devices = set(
        attempts.exclude(device="")
        .values("device")
        .annotate(people=Count("participant", distinct=True))
        .filter(people__gte=SHARED_DEVICE_PEOPLE)
        .values_list("device", flat=True)
    )
    people = set(
        attempts.exclude(participant__cccd="")
        .values("participant__cccd")
        .annotate(n=Count("id"))
        .filter(n__gte=SAME_PERSON_ATTEMPTS)
        .values_list("participant__cccd", flat=True)
    )
    bursts = {
        (row["ip"], row["hour"])
        for row in attempts.exclude(ip=None)
        .annotate(hour=TruncHour("started_at"))
        .values("ip", "hour")
        .annotate(n=Count("id"))
        .filter(n__gte=IP_BURST_PER_HOUR)
    }
    burst_ips = {ip for ip, _hour in bursts}
    candidates = (
        attempts.filter(Q(pk__in=fast) | Q(device__in=devices) | Q(participant__cccd__in=people) | Q(ip__in=burst_ips))
        .annotate(hour=TruncHour("started_at"))
        .select_related("participant__unit")
        .order_by("-started_at")
    )
    queue = []
    for attempt in candidates[: limit * 2]:
        suspect = Suspect(attempt)
        if attempt.pk in fast:
            suspect.reasons.append(
                _("answered %(count)s questions in %(seconds)s s")
                % {"count": attempt.max_score, "seconds": round((attempt.time_ms or 0) / 1000, 1)}
            )
        if attempt.device in devices:
            suspect.reasons.append(_("a device used by several people"))
        if attempt.participant.cccd in people:
            suspect.reasons.append(_("the same CCCD in many attempts"))
        if (attempt.ip, attempt.hour) in bursts:
            suspect.reasons.append(_("many starts from %(ip)s within an hour") % {"ip": attempt.ip})
        if suspect.reasons:
            queue.append(suspect)
        if len(queue) >= limit:
            break
    return queue
