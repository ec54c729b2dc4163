from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrgsConfig(AppConfig):
    name = "tuyengiao.orgs"
    label = "orgs"
    verbose_name = _("Units")

    def ready(self):
        from tuyengiao.core.models import audit_actions_register

        audit_actions_register(
            {
                "unit.create": _("Unit created"),
                "unit.update": _("Unit changed"),
                "unit.merge": _("Unit merged"),
                "unit.import": _("Units imported"),
                "unit.export": _("Units exported"),
            }
        )
