from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from tuyengiao.core.errors import DomainError
from tuyengiao.orgs.imports import units_import


class Command(BaseCommand):
    help = "Import units from a CSV or XLSX file (English or Vietnamese column headers)."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)

    def handle(self, *args, file: Path, **options):
        if not file.is_file():
            raise CommandError(_("There is no file “%(path)s”.") % {"path": file})
        try:
            result = units_import(data=file.read_bytes(), file_name=file.name)
        except DomainError as error:
            raise CommandError(error.message) from error
        self.stdout.write(
            _("Import done: %(created)s created, %(updated)s updated, %(unchanged)s unchanged.")
            % {"created": result.created, "updated": result.updated, "unchanged": result.unchanged}
        )
