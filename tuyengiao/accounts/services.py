"""Writes to accounts and roles: only within the actor's own reach, always audited."""

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils.translation import gettext as _

from tuyengiao.accounts.models import RoleAssignment
from tuyengiao.accounts.roles import ROLE_PERMISSIONS, ROOT_ONLY, Role
from tuyengiao.accounts.signals import roles_changed
from tuyengiao.core.errors import DomainError, PermissionDeniedError
from tuyengiao.core.services import audit_record
from tuyengiao.orgs.models import Unit


class AccountError(DomainError):
    code = "invalid_account"


def _require(actor, perm: str, obj) -> None:
    if actor is not None and not actor.has_perm(perm, obj):
        raise PermissionDeniedError(_("You may not do this for “%(unit)s”.") % {"unit": getattr(obj, "unit", obj)})


COLLECTION_APPS = {"wagtailimages", "wagtaildocs"}


def role_group(role: str):
    """The Django group that mirrors `role` for Wagtail's own checks (collections of images and documents).

    Roles stay the one source of permissions: the group holds the role's model-level permissions
    (never the root-only ones), and every holder of the role is in it. Unit scoping is done by the
    role layer (accounts.permissions), which groups know nothing of.
    """
    from django.contrib.auth.models import Group, Permission
    from wagtail.models import Collection, GroupCollectionPermission

    group, _created = Group.objects.get_or_create(name=f"role:{role}")
    wanted = ROLE_PERMISSIONS[role] - ROOT_ONLY
    permissions = []
    for perm in wanted:
        app_label, codename = perm.split(".")
        permissions += Permission.objects.filter(content_type__app_label=app_label, codename=codename)
    group.permissions.set([p for p in permissions if p.content_type.app_label not in COLLECTION_APPS])
    root = Collection.get_first_root_node() or Collection.add_root(name="Root")
    for permission in permissions:
        if permission.content_type.app_label in COLLECTION_APPS:
            GroupCollectionPermission.objects.get_or_create(group=group, collection=root, permission=permission)
    return group


@transaction.atomic
def role_grant(*, user, role: str, unit: Unit, actor=None, request=None) -> RoleAssignment:
    """Give `user` `role` in `unit`. An actor may grant roles only in units within its reach."""
    if role not in Role.values:
        raise AccountError(_("“%(role)s” is not a role.") % {"role": role}, code="unknown_role")
    _require(actor, "accounts.add_roleassignment", unit)
    assignment, created = RoleAssignment.objects.get_or_create(
        user=user, role=role, unit=unit, defaults={"granted_by": actor}
    )
    user.groups.add(role_group(role))
    if created:
        roles_changed.send(sender=RoleAssignment, user=user)
        audit_record(
            actor=actor, action="role.grant", obj=user, request=request, changes={"role": role, "unit": unit.code}
        )
    return assignment


@transaction.atomic
def role_revoke(*, assignment: RoleAssignment, actor=None, request=None) -> None:
    _require(actor, "accounts.delete_roleassignment", assignment.unit)
    audit_record(
        actor=actor,
        action="role.revoke",
        obj=assignment.user,
        request=request,
        changes={"role": assignment.role, "unit": assignment.unit.code},
    )
    assignment.delete()
    if not RoleAssignment.objects.filter(user=assignment.user, role=assignment.role).exists():
        assignment.user.groups.remove(role_group(assignment.role))
    roles_changed.send(sender=RoleAssignment, user=assignment.user)


@transaction.atomic
def staff_create(
    *,
    username: str,
    unit: Unit,
    password: str | None = None,
    first_name: str = "",
    last_name: str = "",
    email: str = "",
    job_title: str = "",
    roles: tuple[str, ...] = (),
    actor=None,
    request=None,
):
    """Create a staff account in `unit`, holding `roles` there."""
    _require(actor, "accounts.add_user", unit)
    User = get_user_model()
    if User.objects.filter(username__iexact=username).exists():
        raise AccountError(_("The user name “%(name)s” is taken.") % {"name": username}, code="duplicate_username")
    user = User(
        username=username,
        unit=unit,
        first_name=first_name,
        last_name=last_name,
        email=email,
        job_title=job_title,
    )
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.save()
    audit_record(actor=actor, action="user.create", obj=user, request=request, changes={"unit": unit.code})
    for role in roles:
        role_grant(user=user, role=role, unit=unit, actor=actor, request=request)
    return user
