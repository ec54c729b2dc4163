from wagtail import hooks

from tuyengiao.accounts.admin_views import role_viewset


@hooks.register("register_admin_viewset")
def register_role_viewset():
    return role_viewset
