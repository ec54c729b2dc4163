from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from wagtail.users.apps import WagtailUsersAppConfig


class AccountsConfig(AppConfig):
    default = True  # this module also holds StaffUsersConfig, for wagtail.users
    name = "tuyengiao.accounts"
    label = "accounts"
    verbose_name = _("Accounts")

    def ready(self):
        from wagtail.permissions import register_permission_policy

        from tuyengiao.accounts.models import RoleAssignment
        from tuyengiao.accounts.permissions import UnitScopedPermissionPolicy
        from tuyengiao.core.models import audit_actions_register
        from tuyengiao.orgs.models import Unit

        audit_actions_register(
            {
                "user.create": _("Account created"),
                "user.login": _("Signed in"),
                "role.grant": _("Role granted"),
                "role.revoke": _("Role revoked"),
            }
        )
        register_permission_policy(Unit, UnitScopedPermissionPolicy(Unit))
        register_permission_policy(RoleAssignment, UnitScopedPermissionPolicy(RoleAssignment))


class StaffUsersConfig(WagtailUsersAppConfig):
    """Wagtail's users app, with staff forms and listings limited to the administrator's units."""

    user_viewset = "tuyengiao.accounts.admin_views.StaffViewSet"

    def ready(self):
        super().ready()
        from django.contrib.auth import get_user_model
        from wagtail.permissions import register_permission_policy

        from tuyengiao.accounts.permissions import UnitScopedPermissionPolicy

        User = get_user_model()
        register_permission_policy(User, UnitScopedPermissionPolicy(User))
