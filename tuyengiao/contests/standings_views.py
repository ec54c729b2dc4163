"""Public pages of a contest's results: the winners of a round (after it closes), the ranking of the units in
a round, and the overall ranking across the closed rounds. They show names and units, never anything else a
participant registered with. The results of a test after a training class are for its organisers only."""

from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone

from tuyengiao.contests import selectors, standings
from tuyengiao.contests.prizes import round_results_settle
from tuyengiao.contests.views import RANKING_PAGE_SIZE


def _page_number(request) -> int:
    value = request.GET.get("page", "1")
    return int(value) if value.isdigit() and len(value) < 6 else 1


def _contest(slug):
    contest = selectors.contest_public(slug)
    if contest is None or contest.is_training_test:
        raise Http404
    return contest


def _round(contest, number):
    round_ = selectors.round_public(contest, int(number))
    if round_ is None:
        raise Http404
    return round_


def winners(request, slug, number):
    contest = _contest(slug)
    round_ = _round(contest, number)
    closed = timezone.now() >= round_.closes_at
    individual, collective = [], []
    if closed:
        round_ = round_results_settle(round_)
        individual, collective = standings.round_winners(round_)
    return render(
        request,
        "contests/winners.html",
        {"contest": contest, "round": round_, "closed": closed, "individual": individual, "collective": collective},
    )


def units(request, slug, number):
    contest = _contest(slug)
    round_ = _round(contest, number)
    if timezone.now() < round_.opens_at:
        raise Http404
    rows, has_roster = standings.units_ranking(round_)
    return render(
        request, "contests/units.html", {"contest": contest, "round": round_, "rows": rows, "has_roster": has_roster}
    )


def overall(request, slug):
    contest = _contest(slug)
    closed = list(standings.rounds_closed(contest))
    page = Paginator(standings.overall_ranking(contest), RANKING_PAGE_SIZE).get_page(_page_number(request))
    rows = [(page.start_index() + index, row) for index, row in enumerate(standings.overall_people(page.object_list))]
    return render(
        request,
        "contests/overall.html",
        {"contest": contest, "closed_rounds": closed, "page_obj": page, "rows": rows},
    )
