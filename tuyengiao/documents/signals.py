"""Receivers of the documents app's own model signals. They hand the work to services and do nothing else."""

from functools import partial

from django.db import transaction


def document_file_deleted(sender, instance, using, **kwargs):
    """A file was deleted, on its own or with its document (cascade, admin delete view, queryset delete): its
    scan and the scan's stored files go too, once the deletion is committed. A failure there is logged and
    does not undo the deletion the user asked for."""
    from tuyengiao.documents.services import document_file_scan_delete

    transaction.on_commit(partial(document_file_scan_delete, scan_id=instance.scan_id), using=using, robust=True)
