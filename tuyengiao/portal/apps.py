from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "tuyengiao.portal"
    label = "portal"
    verbose_name = _("Portal")

    def ready(self):
        from tuyengiao.accounts.signals import roles_changed
        from tuyengiao.core.models import audit_actions_register

        audit_actions_register({"feedback.approve": _("Feedback approved"), "feedback.reject": _("Feedback rejected")})
        roles_changed.connect(_sync_editorial_permissions, dispatch_uid="portal-editorial-permissions")


def _sync_editorial_permissions(**kwargs):
    from tuyengiao.portal.editorial import editorial_permissions_sync

    editorial_permissions_sync()
