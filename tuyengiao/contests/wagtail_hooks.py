from wagtail import hooks

from tuyengiao.contests.admin_views import ContestsGroup


@hooks.register("register_admin_viewset")
def register_contests_viewsets():
    return ContestsGroup()


@hooks.register("register_admin_viewset")
def register_results_viewsets():
    from tuyengiao.contests.standings_admin import PrizeViewSet, ResultsViewSet

    return [
        PrizeViewSet("contests_prizes", url_prefix="contests/prizes"),
        ResultsViewSet("contests_results", url_prefix="contests/results"),
    ]
