from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from tuyengiao.core.errors import DomainError
from tuyengiao.portal.imports import articles_import


class Command(BaseCommand):
    help = "Import articles from an old portal: DIR holds articles.csv or articles.xlsx, HTML bodies and images."

    def add_arguments(self, parser):
        parser.add_argument("directory", type=Path)

    def handle(self, *args, directory: Path, **options):
        if not directory.is_dir():
            raise CommandError(_("There is no folder “%(path)s”.") % {"path": directory})
        try:
            result = articles_import(directory)
        except DomainError as error:
            raise CommandError(error.message) from error
        for error in result.errors:
            self.stderr.write(str(error))
        self.stdout.write(
            _("Articles: %(created)s created, %(updated)s updated, %(skipped)s rows skipped.")
            % {"created": result.created, "updated": result.updated, "skipped": len(result.errors)}
        )
