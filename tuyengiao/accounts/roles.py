"""Roles and what each may do. A role is held in a unit and reaches that unit's subtree.

Permissions are Django permission names ("app.codename"), so Wagtail's admin, our views and
the API all ask the same question: ``user.has_perm(perm, obj)`` (see accounts.backends).
Later apps add their permissions to ROLE_PERMISSIONS here, in one place.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    ADMINISTRATOR = "administrator", _("Administrator")
    EDITOR = "editor", _("Editor")
    APPROVER = "approver", _("Approver")
    UNIT_STAFF = "unit_staff", _("Unit staff")
    CONTEST_ORGANISER = "contest_organiser", _("Contest organiser")
    JUDGE = "judge", _("Judge")
    ANALYST = "analyst", _("Analyst")


ADMIN_ACCESS = "wagtailadmin.access_admin"
VIEW_UNIT = "orgs.view_unit"
MEDIA = {
    "wagtailimages.add_image",
    "wagtailimages.change_image",
    "wagtailimages.choose_image",
    "wagtaildocs.add_document",
    "wagtaildocs.change_document",
    "wagtaildocs.choose_document",
}

# Digitisation: upload scans and correct their text; documents: file, edit and import documents of the unit.
DIGITISE = {"digitise.add_scan", "digitise.view_scan", "digitise.change_scanpage"}
DOCUMENTS = {"documents.add_document", "documents.change_document", "documents.view_document", *DIGITISE}
# Contests: set up contests of the unit, their rounds and question banks; see the dashboard and review entries.
CONTESTS = {
    f"contests.{action}_{model}"
    for action in ("add", "change", "view", "delete")
    for model in ("contest", "round", "question", "prize")
}
# Library: add books and bulletin issues of the unit, change and import them.
LIBRARY = {"library.add_book", "library.change_book", "library.view_book", *DIGITISE}

ROLE_PERMISSIONS: dict[str, set[str]] = {
    Role.ADMINISTRATOR: {
        ADMIN_ACCESS,
        VIEW_UNIT,
        "orgs.add_unit",
        "orgs.change_unit",
        "accounts.view_user",
        "accounts.add_user",
        "accounts.change_user",
        "accounts.view_roleassignment",
        "accounts.add_roleassignment",
        "accounts.delete_roleassignment",
        "accounts.view_personal_data",
        "core.view_auditentry",
        "core.view_personaldataaccess",
        "portal.change_feedback",
        *MEDIA,
        *DOCUMENTS,
        *CONTESTS,
        *LIBRARY,
        "library.delete_book",
        "library.add_collection",
        "library.change_collection",
        "documents.delete_document",
        "documents.add_documenttype",
        "documents.change_documenttype",
        "documents.add_issuer",
        "documents.change_issuer",
        "wagtailimages.delete_image",
        "wagtaildocs.delete_document",
    },
    Role.EDITOR: {ADMIN_ACCESS, VIEW_UNIT, *MEDIA, *DOCUMENTS, *LIBRARY, "portal.change_feedback"},
    Role.APPROVER: {ADMIN_ACCESS, VIEW_UNIT, *MEDIA, "portal.change_feedback"},
    Role.UNIT_STAFF: {ADMIN_ACCESS, VIEW_UNIT, *DOCUMENTS},
    Role.CONTEST_ORGANISER: {ADMIN_ACCESS, VIEW_UNIT, *MEDIA, *CONTESTS},
    Role.JUDGE: {ADMIN_ACCESS, VIEW_UNIT},
    Role.ANALYST: {ADMIN_ACCESS, VIEW_UNIT},
}

# Permissions that reach the whole province only when held at a root unit (no parent):
# an administrator of a district does not read the province's audit log.
ROOT_ONLY = {"core.view_auditentry", "core.view_personaldataaccess"}


def roles_with(perm: str) -> set[str]:
    return {role for role, perms in ROLE_PERMISSIONS.items() if perm in perms}
