"""What the import commands share: the folder and the unit named on the command line, the rows' problems."""

from pathlib import Path

from django.core.management.base import CommandError

from tuyengiao.core.errors import DomainError
from tuyengiao.core.tabular import RowError, metadata_find


def import_rows(command, folder: str, unit_code: str | None, rows_read) -> tuple[Path, object, list]:
    """(folder, unit or None, rows) of an import from `folder`: rows_read(metadata bytes, folder) checks every
    row; each row's problems are written to stderr with its line. CommandError for a bad folder or unit code."""
    from tuyengiao.orgs.models import Unit

    path = Path(folder).resolve()
    if not path.is_dir():
        raise CommandError(f"{path} is not a folder.")
    owner = None
    if unit_code:
        owner = Unit.objects.filter(code=unit_code).first()
        if owner is None:
            raise CommandError(f"No unit has the code {unit_code}.")
    try:
        rows = rows_read(metadata_find(path).read_bytes(), path)
    except DomainError as error:
        raise CommandError(str(error)) from error
    for row in rows:
        if not row.ok:
            command.stderr.write(str(RowError.of(row.line, row.errors)))
    return path, owner, rows
