from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from tuyengiao.portal.admin_views import MODERATE, feedback_moderation_view


@hooks.register("register_admin_urls")
def register_feedback_urls():
    return [path("feedback/", feedback_moderation_view, name="portal_feedback")]


class FeedbackMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm(MODERATE)


@hooks.register("register_admin_menu_item")
def register_feedback_menu_item():
    return FeedbackMenuItem(_("Readers' feedback"), reverse("portal_feedback"), icon_name="comment", order=220)


@hooks.register("after_create_page")
@hooks.register("after_edit_page")
@hooks.register("after_delete_page")
@hooks.register("after_move_page")
def sync_sections(request, page):
    """A section was added, changed, moved or removed: its editors may have changed."""
    from tuyengiao.portal.editorial import editorial_permissions_sync
    from tuyengiao.portal.models import CategoryPage

    if isinstance(page.specific_deferred, CategoryPage):
        editorial_permissions_sync()
