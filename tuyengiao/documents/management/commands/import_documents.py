from django.core.management.base import BaseCommand

from tuyengiao.core.management.importing import import_rows
from tuyengiao.core.tabular import RowError
from tuyengiao.documents.imports import import_apply, rows_read
from tuyengiao.documents.models import ImportRun


class Command(BaseCommand):
    help = (
        "Import documents from DIR: its files and a metadata.csv or metadata.xlsx (columns file, number, type, "
        "title, issuer, signer, issued_on, effective_on, level, field, status, access; English keys or Vietnamese "
        "labels). Rows with problems are reported and skipped; running it again updates, never duplicates."
    )

    def add_arguments(self, parser):
        parser.add_argument("folder")
        parser.add_argument("--unit", help="code of the unit that files the documents")
        parser.add_argument("--dry-run", action="store_true", help="check every row, change nothing")

    def handle(self, *args, folder, unit=None, dry_run=False, **options):
        path, owner, rows = import_rows(self, folder, unit, rows_read)
        good = sum(row.ok for row in rows)
        if dry_run:
            self.stdout.write(f"{good} of {len(rows)} rows can be imported (dry run: nothing changed).")
            return
        run = ImportRun.objects.filter(folder=str(path), status=ImportRun.Status.RUNNING).first()
        if run:
            self.stdout.write(f"Resuming the import stopped after row {run.rows_done} of {run.rows_total}.")
        else:
            run = ImportRun.objects.create(folder=str(path), unit=owner)
        run = import_apply(
            run, rows, progress=lambda run: self.stdout.write(f"{run.rows_done}/{run.rows_total}\r", ending="")
        )
        self.stdout.write("")
        told = {str(RowError.of(row.line, row.errors)) for row in rows if not row.ok}  # by import_rows
        for problem in run.errors:
            if problem not in told:
                self.stderr.write(problem)
        self.stdout.write(
            self.style.SUCCESS(f"{run.created} created, {run.updated} updated, {len(rows) - good} rows skipped.")
        )
