from django.contrib.auth.backends import ModelBackend

from tuyengiao.accounts.permissions import role_has_perm, role_perms


class RoleBackend(ModelBackend):
    """Django's password authentication, with permissions that come from roles held in units.

    ``user.has_perm(perm)`` is true if a role grants `perm` in some unit; ``user.has_perm(perm, obj)``
    only if it is granted in the unit of `obj` or above it. Django's own group permissions still apply
    at model level (Wagtail's page permissions use them).
    """

    def get_all_permissions(self, user_obj, obj=None):
        if not user_obj.is_active or user_obj.is_anonymous:
            return set()
        if obj is not None:
            return set()
        return super().get_all_permissions(user_obj) | role_perms(user_obj)

    def has_perm(self, user_obj, perm, obj=None):
        if not user_obj.is_active:
            return False
        if obj is None and perm in super().get_all_permissions(user_obj):
            return True
        return role_has_perm(user_obj, perm, obj)
