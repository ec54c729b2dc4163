"""Reads of the results of a contest: the collective ranking by unit, the winners of a round's prizes, the
overall ranking across the closed rounds, and the results of a test after a training class (per learner and
per class). Each function is a fixed number of queries, whatever the number of entries.

Units are ranked at the level a province expects: the units one level below the organiser (for a provincial
contest, its districts, departments and party blocks; for a district's contest, its communes). A participant
or a roster entry counts for the ancestor of their unit at that level; a unit outside the organiser's tree
counts for its district-level ancestor (one level below the root of its tree).
"""

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, QuerySet, Sum
from django.utils import timezone

from tuyengiao.contests.models import Attempt, Contest, Participant, Prize, PrizeKind, RosterEntry, Round
from tuyengiao.contests.selectors import round_ranking
from tuyengiao.orgs.models import Unit

# ---------------------------------------------------------------------------------------------------------------
# Collective ranking by unit


@dataclass
class UnitStanding:
    unit: Unit
    people: int = 0  # distinct participants with an entry that counts
    score_total: int = 0
    roster: int | None = None  # people on the roster in the unit's subtree; None when the contest has no roster
    place: int = 0

    @property
    def mean_score(self) -> float | None:
        return self.score_total / self.people if self.people else None

    @property
    def rate(self) -> float | None:
        """Participation: the share of the roster that took part (0–1), None without a roster."""
        if not self.roster:
            return None
        return self.people / self.roster

    @property
    def rate_percent(self) -> float | None:
        return None if self.rate is None else round(self.rate * 100, 1)


def _grouping(contest: Contest, unit_ids: set[int]) -> dict[int, int]:
    """{unit id: id of the unit it is ranked under} (see the module's docstring)."""
    organiser = contest.unit
    level = organiser.depth + 1
    groups = {}
    for pk, path in Unit.objects.filter(pk__in=unit_ids).values_list("pk", "path"):
        ancestors = [int(part) for part in path.strip("/").split("/") if part]
        if path.startswith(organiser.path):
            groups[pk] = ancestors[level] if len(ancestors) > level else pk
        else:
            groups[pk] = ancestors[1] if len(ancestors) > 1 else pk
    return groups


def units_ranking(round_: Round) -> tuple[list[UnitStanding], bool]:
    """(the units in rank order, whether the contest has a roster). With a roster: participation rate, then
    mean score of the counted entries, then people; units of the roster with nobody taking part are listed
    (rate 0). Without a roster: people, then mean score. Ties keep the units' tree order."""
    contest = round_.contest
    counted = list(
        Attempt.objects.filter(round=round_, counts=True, participant__unit__isnull=False)
        .values("participant__unit")
        .annotate(people=Count("participant", distinct=True), total=Sum("score"))
    )
    roster = dict(
        RosterEntry.objects.filter(contest=contest).values_list("unit").annotate(n=Count("id")).values_list("unit", "n")
    )
    has_roster = bool(roster)
    groups = _grouping(contest, {row["participant__unit"] for row in counted} | set(roster))
    standings: dict[int, UnitStanding] = {}
    units = Unit.objects.in_bulk(set(groups.values()))

    def standing(unit_id: int) -> UnitStanding:
        group = groups[unit_id]
        if group not in standings:
            standings[group] = UnitStanding(units[group], roster=0 if has_roster else None)
        return standings[group]

    for row in counted:
        item = standing(row["participant__unit"])
        item.people += row["people"]
        item.score_total += row["total"] or 0
    for unit_id, size in roster.items():
        standing(unit_id).roster += size
    rows = sorted(standings.values(), key=lambda item: item.unit.path)
    if has_roster:
        rows.sort(key=lambda item: (item.rate is None, -(item.rate or 0), -(item.mean_score or 0), -item.people))
    else:
        rows.sort(key=lambda item: (-item.people, -(item.mean_score or 0)))
    for place, item in enumerate(rows, start=1):
        item.place = place
    return rows, has_roster


# ---------------------------------------------------------------------------------------------------------------
# Winners


@dataclass
class Award:
    prize: Prize
    winners: list = field(default_factory=list)  # attempts (individual) or UnitStanding (collective)


def round_prizes(round_: Round) -> QuerySet:
    return Prize.objects.filter(round=round_).order_by("order", "id")


def round_winners(round_: Round) -> tuple[list[Award], list[Award]]:
    """(individual awards, collective awards), each prize with its winners, filled down the rankings in the
    prizes' order. Only counted entries win (a disqualified entry never counts), and only with a score above
    zero; a unit wins only if someone of it took part."""
    prizes = list(round_prizes(round_))
    individual = [Award(prize) for prize in prizes if prize.kind == PrizeKind.INDIVIDUAL]
    collective = [Award(prize) for prize in prizes if prize.kind == PrizeKind.COLLECTIVE]
    wanted = sum(award.prize.count for award in individual)
    if wanted:
        _fill(individual, list(round_ranking(round_).filter(score__gt=0)[:wanted]))
    if collective:
        units, _has_roster = units_ranking(round_)
        _fill(collective, [item for item in units if item.people])
    return individual, collective


def _fill(awards: list[Award], ranked: list) -> None:
    position = 0
    for award in awards:
        award.winners = ranked[position : position + award.prize.count]
        position += award.prize.count


# ---------------------------------------------------------------------------------------------------------------
# Overall ranking across the closed rounds


def rounds_closed(contest: Contest, now=None) -> QuerySet:
    return contest.rounds.filter(closes_at__lte=now or timezone.now()).order_by("number")


def overall_ranking(contest: Contest, now=None) -> QuerySet:
    """One row per person: the sum of their counted scores over the closed rounds (`total`), the time taken
    (`time`, ms), the rounds taken (`rounds`), in rank order: total, then less time, then who registered first.
    Rows are dicts with the participant's id; `overall_people` fetches the people of a page."""
    return (
        Attempt.objects.filter(round__in=rounds_closed(contest, now), counts=True)
        .values("participant")
        .annotate(total=Sum("score"), time=Sum("time_ms"), rounds=Count("id"))
        .order_by("-total", "time", "participant")
    )


def overall_people(rows) -> list[dict]:
    """The rows of a page with their participant (name and unit only are read)."""
    rows = list(rows)
    people = (
        Participant.objects.select_related("unit")
        .only("full_name", "unit__name")
        .in_bulk([row["participant"] for row in rows])
    )
    return [{**row, "person": people[row["participant"]]} for row in rows if row["participant"] in people]


# ---------------------------------------------------------------------------------------------------------------
# A test after a training class: results per learner and per class


@dataclass
class LearnerResult:
    entry: RosterEntry
    attempt: Attempt | None
    passed: bool

    @property
    def took(self) -> bool:
        return self.attempt is not None


@dataclass
class ClassResult:
    name: str
    learners: int = 0
    took: int = 0
    passed: int = 0
    score_total: int = 0
    percent_total: float = 0.0

    @property
    def mean_score(self) -> float | None:
        return round(self.score_total / self.took, 2) if self.took else None

    @property
    def mean_percent(self) -> float | None:
        return round(self.percent_total / self.took, 1) if self.took else None

    @property
    def took_percent(self) -> float:
        return round(self.took * 100 / self.learners, 1) if self.learners else 0.0

    @property
    def pass_rate(self) -> float:
        """Learners who passed, in percent of the class (a learner who did not take the test has not passed)."""
        return round(self.passed * 100 / self.learners, 1) if self.learners else 0.0


def attempt_passes(attempt: Attempt, pass_percent: int) -> bool:
    if attempt.score is None or not attempt.max_score:
        return False
    return attempt.score * 100 >= pass_percent * attempt.max_score


def training_results(round_: Round) -> tuple[list[LearnerResult], list[ClassResult]]:
    """Each learner of the roster (by class, then name) with the entry that counts in the round, if any, and
    each class with its learners, those who took the test, the mean score and the pass rate. A learner is
    matched to a participant by citizen ID, else by phone. Three queries."""
    contest = round_.contest
    roster = list(
        RosterEntry.objects.filter(contest=contest).select_related("unit").order_by("group", "full_name", "pk")
    )
    attempts = Attempt.objects.filter(round=round_, counts=True).select_related("participant")
    by_cccd, by_phone = {}, {}
    for attempt in attempts.only(
        "score", "max_score", "time_ms", "submitted_at", "participant__cccd", "participant__phone"
    ):
        if attempt.participant.cccd:
            by_cccd[attempt.participant.cccd] = attempt
        if attempt.participant.phone:
            by_phone[attempt.participant.phone] = attempt
    learners = []
    classes: dict[str, ClassResult] = defaultdict(lambda: ClassResult(""))
    for entry in roster:
        attempt = (entry.cccd and by_cccd.get(entry.cccd)) or (entry.phone and by_phone.get(entry.phone)) or None
        passed = attempt is not None and attempt_passes(attempt, contest.pass_score_percent)
        learners.append(LearnerResult(entry, attempt, passed))
        result = classes[entry.group]
        result.name = entry.group
        result.learners += 1
        if attempt is not None:
            result.took += 1
            result.passed += passed
            result.score_total += attempt.score or 0
            result.percent_total += (attempt.score or 0) * 100 / attempt.max_score if attempt.max_score else 0
    return learners, sorted(classes.values(), key=lambda item: item.name)


def training_results_rows(round_: Round) -> tuple[list[list], list[list]]:
    """The results as rows for a spreadsheet: (classes, learners), headers first."""
    from django.utils.translation import gettext as _

    learners, classes = training_results(round_)
    class_rows = [
        [_("Class"), _("Learners"), _("Took the test"), _("Mean score"), _("Mean (%)"), _("Passed"), _("Pass rate (%)")]
    ]
    class_rows += [
        [item.name, item.learners, item.took, item.mean_score, item.mean_percent, item.passed, item.pass_rate]
        for item in classes
    ]
    learner_rows = [[_("Class"), _("Full name"), _("Unit"), _("Took the test"), _("Score"), _("Time (s)"), _("Passed")]]
    for learner in learners:
        attempt = learner.attempt
        learner_rows.append(
            [
                learner.entry.group,
                learner.entry.full_name,
                learner.entry.unit.name,
                _("Yes") if attempt else _("No"),
                f"{attempt.score}/{attempt.max_score}" if attempt else "",
                round(attempt.time_ms / 1000, 1) if attempt and attempt.time_ms is not None else "",
                _("Yes") if learner.passed else _("No"),
            ]
        )
    return class_rows, learner_rows


def contest_has_roster(contest: Contest) -> bool:
    return RosterEntry.objects.filter(contest=contest).exists()


def roster_summary(contest: Contest) -> list[dict]:
    """Classes of the roster with their number of learners."""
    return list(RosterEntry.objects.filter(contest=contest).values("group").annotate(n=Count("id")).order_by("group"))
