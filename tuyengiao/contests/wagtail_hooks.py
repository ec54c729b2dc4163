from wagtail import hooks

from tuyengiao.contests.admin_views import ContestsGroup


@hooks.register("register_admin_viewset")
def register_contests_viewsets():
    return ContestsGroup()
