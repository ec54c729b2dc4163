"""Read-only views of the audit log and of personal-data access, for province administrators."""

from django.templatetags.static import static
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.viewsets.model import ModelViewSet, ModelViewSetGroup

from tuyengiao.core.models import AuditEntry, PersonalDataAccess


class AuditEntryViewSet(ModelViewSet):
    model = AuditEntry
    icon = "history"
    menu_label = _("Audit log")
    list_display = ["at", "actor_name", "action_label", "object_repr", "ip_address"]
    list_filter = ["action", "object_type"]
    search_fields = ["actor_name", "object_repr", "action"]
    inspect_view_enabled = True
    copy_view_enabled = False
    list_per_page = 50
    form_fields = ["action"]  # never editable: no role holds add or change permissions here


class PersonalDataAccessViewSet(ModelViewSet):
    model = PersonalDataAccess
    icon = "view"
    menu_label = _("Personal data access")
    list_display = ["at", "actor_name", "purpose", "subject_type", "subject_repr", "record_count", "ip_address"]
    list_filter = ["purpose", "subject_type"]
    inspect_view_enabled = True
    copy_view_enabled = False
    list_per_page = 50
    form_fields = ["purpose"]  # never editable: no role holds add or change permissions here


class SecurityGroup(ModelViewSetGroup):
    menu_label = _("Security")
    menu_icon = "lock"
    menu_order = 900
    items = (
        AuditEntryViewSet("core_audit", url_prefix="audit"),
        PersonalDataAccessViewSet("core_pdaccess", url_prefix="personal-data-access"),
    )


@hooks.register("register_admin_viewset")
def register_security_viewsets():
    return SecurityGroup()


@hooks.register("insert_global_admin_js")
def admin_widgets_js():
    return format_html('<script src="{}"></script>', static("js/admin-widgets.js"))
