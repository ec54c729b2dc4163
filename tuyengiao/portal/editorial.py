"""Who writes and who publishes: Wagtail's page permissions, derived from roles and sections.

- An editor writes (adds and changes drafts) in the sections (CategoryPage with a unit) whose unit their
  editor role reaches, and submits for review; nowhere else.
- Approvers publish anywhere and are the reviewers of Wagtail's default workflow ("Moderators approval").

Wagtail reads page permissions from groups, so each section has a group "section:<id>" whose members are
recomputed from the roles whenever roles or sections change.
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.utils.translation import gettext as _
from wagtail.models import GroupApprovalTask, GroupPagePermission, Page, Workflow, WorkflowPage, WorkflowTask

from tuyengiao.accounts.roles import Role
from tuyengiao.accounts.services import role_group
from tuyengiao.orgs.selectors import unit_governing_ids
from tuyengiao.portal.models import CategoryPage

EDITOR_PAGE_PERMISSIONS = ("add_page", "change_page")
APPROVER_PAGE_PERMISSIONS = ("add_page", "change_page", "publish_page", "lock_page", "unlock_page")
SECTION_GROUP_PREFIX = "section:"


def _page_permissions(codenames):
    return list(Permission.objects.filter(content_type__app_label="wagtailcore", codename__in=codenames))


def section_editors(section: CategoryPage):
    governing = unit_governing_ids(section.unit)
    return (
        get_user_model()
        .objects.filter(is_active=True, role_assignments__role=Role.EDITOR, role_assignments__unit_id__in=governing)
        .distinct()
    )


@transaction.atomic
def editorial_permissions_sync() -> None:
    """Bring the approvers' and every section's page permissions and members up to date."""
    root = Page.get_first_root_node()
    if root is None:
        return
    approvers = role_group(Role.APPROVER)
    for permission in _page_permissions(APPROVER_PAGE_PERMISSIONS):
        GroupPagePermission.objects.get_or_create(group=approvers, page=root, permission=permission)
    if not WorkflowPage.objects.filter(page=root).exists():
        # Wagtail's migrations attach a default workflow to the root; a database without it gets ours.
        workflow = Workflow.objects.create(name=_("Review by the approvers"))
        WorkflowTask.objects.create(
            workflow=workflow, task=GroupApprovalTask.objects.create(name=_("Approval")), sort_order=0
        )
        WorkflowPage.objects.create(workflow=workflow, page=root)
    for task in GroupApprovalTask.objects.all():
        task.groups.add(approvers)
    editor_permissions = _page_permissions(EDITOR_PAGE_PERMISSIONS)
    current = []
    for section in CategoryPage.objects.filter(unit__isnull=False).select_related("unit"):
        group, _created = Group.objects.get_or_create(name=f"{SECTION_GROUP_PREFIX}{section.pk}")
        current.append(group.pk)
        for permission in editor_permissions:
            GroupPagePermission.objects.get_or_create(group=group, page=section, permission=permission)
        group.user_set.set(section_editors(section))
    Group.objects.filter(name__startswith=SECTION_GROUP_PREFIX).exclude(pk__in=current).delete()
