"""Checks on uploaded files: size and content, never the name alone."""

from django.utils.translation import gettext as _

from tuyengiao.core.errors import DomainError

DEFAULT_MAX_BYTES = 20 * 1024 * 1024


class FileCheckError(DomainError):
    code = "invalid_file"


def upload_read(upload, *, max_bytes: int = DEFAULT_MAX_BYTES) -> bytes:
    """Read an uploaded file into memory after checking its size."""
    if upload.size > max_bytes:
        raise FileCheckError(
            _("The file is %(size).1f MB; at most %(max)d MB is accepted.")
            % {"size": upload.size / 1024 / 1024, "max": max_bytes // (1024 * 1024)}
        )
    data = upload.read()
    if not data:
        raise FileCheckError(_("The file is empty."))
    return data


def private_storage():
    """The storage of files that views serve after an access check (settings.STORAGES["private"])."""
    from django.core.files.storage import storages

    return storages["private"]
