from pathlib import Path

from django.core.management.base import BaseCommand

from tuyengiao.orgs.imports import units_export_csv, units_export_xlsx
from tuyengiao.orgs.models import Unit


class Command(BaseCommand):
    help = "Export all units to a CSV or XLSX file (chosen by the file's extension)."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)

    def handle(self, *args, file: Path, **options):
        units = Unit.objects.select_related("parent", "successor").tree_order()
        export = units_export_xlsx if file.suffix.lower() == ".xlsx" else units_export_csv
        file.write_bytes(export(units))
        self.stdout.write(f"{units.count()} → {file}")
