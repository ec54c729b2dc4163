"""The one permission layer: who may do what for which unit.

A role held in a unit applies to that unit and its descendants (and to units merged into
them), never to siblings or parents. Admin, public views and API all go through
``user.has_perm(perm, obj)`` (answered by accounts.backends.RoleBackend), ``units_for()``
and ``scope()`` below.
"""

from django.db.models import Q, QuerySet
from wagtail.permission_policies import ModelPermissionPolicy

from tuyengiao.accounts.roles import ROLE_PERMISSIONS, ROOT_ONLY, roles_with
from tuyengiao.orgs.models import Unit
from tuyengiao.orgs.selectors import unit_governing_ids, unit_rollup_ids

CACHE_ATTR = "_tuyengiao_role_cache"
GOVERNING_CACHE_ATTR = "_tuyengiao_governing_cache"


def unit_of(obj) -> Unit | None:
    """The unit a record belongs to: the unit itself, or its `unit` field."""
    if isinstance(obj, Unit):
        return obj
    unit = getattr(obj, "unit", None)
    return unit if isinstance(unit, Unit) else None


def role_assignments(user) -> list[tuple[str, Unit]]:
    """The (role, unit) pairs a user holds, read once per request."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return []
    if not hasattr(user, CACHE_ATTR):
        pairs = [(a.role, a.unit) for a in user.role_assignments.select_related("unit")]
        setattr(user, CACHE_ATTR, pairs)
    return getattr(user, CACHE_ATTR)


def _grants(role: str, unit: Unit, perm: str) -> bool:
    return perm in ROLE_PERMISSIONS.get(role, ()) and (perm not in ROOT_ONLY or unit.parent_id is None)


def role_has_perm(user, perm: str, obj=None) -> bool:
    """True if one of the user's roles grants `perm`, for `obj`'s unit when an object is given."""
    pairs = [(role, unit) for role, unit in role_assignments(user) if _grants(role, unit, perm)]
    if obj is None or not pairs:
        return bool(pairs)
    target = unit_of(obj)
    if target is None:
        return False
    # Listings ask once per row; remember each unit's answer for the life of this user object (one request).
    memo = user.__dict__.setdefault(GOVERNING_CACHE_ATTR, {})
    if target.pk not in memo:
        memo[target.pk] = unit_governing_ids(target)
    return any(unit.pk in memo[target.pk] for _role, unit in pairs)


def role_perms(user) -> set[str]:
    return {
        perm
        for role, unit in role_assignments(user)
        for perm in ROLE_PERMISSIONS.get(role, ())
        if _grants(role, unit, perm)
    }


def units_for(user, perm: str) -> QuerySet:
    """Units for which `user` has `perm`: the subtrees where a role grants it."""
    if user.is_active and user.is_superuser:
        return Unit.objects.all()
    ids: set[int] = set()
    for role, unit in role_assignments(user):
        if _grants(role, unit, perm):
            ids |= unit_rollup_ids(unit)
    return Unit.objects.filter(id__in=ids)


def scope(queryset: QuerySet, user, perm: str, unit_field: str = "unit") -> QuerySet:
    """Only the records of `queryset` whose unit is within the user's reach for `perm`."""
    if user.is_active and user.is_superuser:
        return queryset
    if queryset.model is Unit:
        return queryset.filter(id__in=units_for(user, perm).values("id"))
    return queryset.filter(**{f"{unit_field}__in": units_for(user, perm).values("id")})


class UnitScopedPermissionPolicy(ModelPermissionPolicy):
    """Wagtail permission policy for models that belong to a unit."""

    def __init__(self, model, unit_field: str = "unit"):
        super().__init__(model)
        self.unit_field = unit_field

    def user_has_permission_for_instance(self, user, action, instance):
        return user.has_perm(self._get_permission_name(action), instance)

    def instances_user_has_any_permission_for(self, user, actions):
        queryset = self.model._default_manager.none()
        for action in actions:
            queryset = queryset | scope(
                self.model._default_manager.all(), user, self._get_permission_name(action), self.unit_field
            )
        return queryset.distinct()

    def users_with_any_permission(self, actions):
        from django.contrib.auth import get_user_model

        perms = [self._get_permission_name(action) for action in actions]
        roles = set().union(*(roles_with(perm) for perm in perms))
        return (
            get_user_model()
            .objects.filter(Q(is_superuser=True) | Q(role_assignments__role__in=roles), is_active=True)
            .distinct()
        )
