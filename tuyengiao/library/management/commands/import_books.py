from django.core.management.base import BaseCommand

from tuyengiao.core.management.importing import import_rows
from tuyengiao.library.imports import import_apply, rows_read


class Command(BaseCommand):
    help = (
        "Import books from DIR: its PDF files and a metadata.csv or metadata.xlsx (columns file, title, authors, "
        "year, collection, publisher, access; English keys or Vietnamese labels). Rows with problems are reported "
        "and skipped; importing the same file again updates its book, never duplicates it. The task worker then "
        "digitises and publishes each book."
    )

    def add_arguments(self, parser):
        parser.add_argument("folder")
        parser.add_argument("--unit", help="code of the unit that manages the books")
        parser.add_argument("--dry-run", action="store_true", help="check every row, change nothing")

    def handle(self, *args, folder, unit=None, dry_run=False, **options):
        _path, owner, rows = import_rows(self, folder, unit, rows_read)
        good = sum(row.ok for row in rows)
        if dry_run:
            self.stdout.write(f"{good} of {len(rows)} rows can be imported (dry run: nothing changed).")
            return
        result = import_apply(
            rows, unit=owner, progress=lambda done, total: self.stdout.write(f"{done}/{total}\r", ending="")
        )
        self.stdout.write("")
        for problem in result["errors"]:
            self.stderr.write(problem)
        self.stdout.write(
            self.style.SUCCESS(
                f"{result['created']} created, {result['updated']} updated, "
                f"{len(rows) - good + len(result['errors'])} rows skipped."
            )
        )
