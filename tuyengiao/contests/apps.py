from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ContestsConfig(AppConfig):
    name = "tuyengiao.contests"
    label = "contests"
    verbose_name = _("Contests")

    def ready(self):
        from tuyengiao.core.models import audit_actions_register

        audit_actions_register(
            {
                "contest.questions_import": _("Contest questions imported"),
                "contest.disqualify": _("Contest entry disqualified"),
            }
        )
        from wagtail.permissions import register_permission_policy

        from tuyengiao.accounts.permissions import UnitScopedPermissionPolicy
        from tuyengiao.contests.models import Contest, Question, Round

        register_permission_policy(Contest, UnitScopedPermissionPolicy(Contest))
        for model in (Round, Question):  # their unit is their contest's
            register_permission_policy(model, UnitScopedPermissionPolicy(model, unit_field="contest__unit"))
