from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class DocumentsConfig(AppConfig):
    name = "tuyengiao.documents"
    label = "documents"
    verbose_name = pgettext_lazy("legal documents", "Documents")

    def ready(self):
        from tuyengiao.core.models import audit_actions_register
        from tuyengiao.digitise.signals import scan_finished

        audit_actions_register(
            {
                "document.create": _("Document created"),
                "document.update": _("Document changed"),
                "document.delete": _("Document deleted"),
                "document.relate": _("Documents related"),
                "document.unrelate": _("Relation removed"),
                "document.import": _("Documents imported"),
            }
        )
        from wagtail.permissions import register_permission_policy

        from tuyengiao.accounts.permissions import UnitScopedPermissionPolicy
        from tuyengiao.documents.models import Document, DocumentFile, DocumentType, Issuer
        from tuyengiao.documents.signals import document_file_deleted

        register_permission_policy(Document, UnitScopedPermissionPolicy(Document))
        scan_finished.connect(_scan_finished, dispatch_uid="documents-scan-finished")

        from django.db.models.signals import m2m_changed, post_delete, post_migrate, post_save

        for signal in (post_save, post_delete):
            for model in (Document, DocumentType, Issuer):  # names of types and issuers are cached too
                signal.connect(_changed, sender=model, dispatch_uid=f"documents-changed-{model.__name__}-{id(signal)}")
        post_delete.connect(document_file_deleted, sender=DocumentFile, dispatch_uid="documents-file-deleted")
        m2m_changed.connect(_changed, sender=Document.access_units.through, dispatch_uid="documents-access-changed")
        post_migrate.connect(_migrated, sender=self, dispatch_uid="documents-tallies-rebuilt")


def _changed(sender, **kwargs):
    """Every change moves the store's version (services.documents_changed), which keys what searches keep; a
    change of a type or an issuer moves the version of their lists too."""
    from tuyengiao.documents.models import DocumentType, Issuer
    from tuyengiao.documents.services import documents_changed

    documents_changed(lists=sender in (DocumentType, Issuer))


def _migrated(using, apps=None, **kwargs):
    """After migrate and flush: the tallies of the documents written anew (services.facet_tallies_rebuild). `apps`:
    the models as migrated (migrate; a flush sends none)."""
    from django.db import DEFAULT_DB_ALIAS

    from tuyengiao.documents.services import facet_tallies_rebuild

    if apps is not None:
        try:
            apps.get_model("documents", "FacetTally")
        except LookupError:  # migrated back to before the tallies
            return
    if using == DEFAULT_DB_ALIAS:
        facet_tallies_rebuild()


def _scan_finished(sender, scan, **kwargs):
    """A file's text is ready (or was corrected): gather the document's text again."""
    from tuyengiao.documents.models import DocumentFile
    from tuyengiao.documents.services import document_text_refresh

    document_file = DocumentFile.objects.select_related("document").filter(scan=scan).first()
    if document_file is not None:
        document_text_refresh(document_file.document)
