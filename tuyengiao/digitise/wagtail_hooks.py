from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from tuyengiao.digitise.admin_views import (
    page_image_view,
    page_proofread_view,
    proofreading_queue_view,
    scan_status_view,
)
from tuyengiao.digitise.selectors import PROOFREAD


@hooks.register("register_admin_urls")
def register_digitise_urls():
    return [
        path("digitise/proofreading/", proofreading_queue_view, name="digitise_proofreading"),
        path("digitise/scans/<int:scan_id>/pages/<int:number>/", page_proofread_view, name="digitise_page_proofread"),
        path("digitise/scans/<int:scan_id>/pages/<int:number>/image/", page_image_view, name="digitise_page_image"),
        path("digitise/scans/<int:scan_id>/status/", scan_status_view, name="digitise_scan_status"),
    ]


class ProofreadingMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm(PROOFREAD)


@hooks.register("register_admin_menu_item")
def register_proofreading_menu_item():
    return ProofreadingMenuItem(_("Proofreading"), reverse("digitise_proofreading"), icon_name="doc-full", order=240)
