from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "tuyengiao.portal"
    label = "portal"
    verbose_name = _("Portal")

    def ready(self):
        from tuyengiao.core.models import audit_actions_register

        audit_actions_register({"feedback.approve": _("Feedback approved"), "feedback.reject": _("Feedback rejected")})
