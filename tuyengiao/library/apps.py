from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LibraryConfig(AppConfig):
    name = "tuyengiao.library"
    label = "library"
    verbose_name = _("E-book library")

    def ready(self):
        from wagtail.permissions import register_permission_policy

        from tuyengiao.accounts.permissions import UnitScopedPermissionPolicy
        from tuyengiao.core.models import audit_actions_register
        from tuyengiao.digitise.signals import scan_finished
        from tuyengiao.library.models import Book

        audit_actions_register(
            {
                "book.create": _("Book added"),
                "book.update": _("Book changed"),
                "book.delete": _("Book deleted"),
                "book.import": _("Books imported"),
            }
        )
        register_permission_policy(Book, UnitScopedPermissionPolicy(Book))
        scan_finished.connect(_scan_finished, dispatch_uid="library-scan-finished")


def _scan_finished(sender, scan, **kwargs):
    """A book's text is read (or a page was proofread): prepare the book, in the task worker."""
    from tuyengiao.library.services import book_prepare_enqueue

    book_prepare_enqueue(scan)
