from wagtail import hooks

from tuyengiao.library.admin_views import LibraryGroup


@hooks.register("register_admin_viewset")
def register_library_viewsets():
    return LibraryGroup()
