from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DigitiseConfig(AppConfig):
    name = "tuyengiao.digitise"
    label = "digitise"
    verbose_name = _("Digitisation")

    def ready(self):
        from tuyengiao.core.models import audit_actions_register

        audit_actions_register({"scan.proofread": _("Scanned page proofread")})
