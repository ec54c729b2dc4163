"""Newest first, undated last, on every database (models.NEWEST_FIRST).

PostgreSQL puts NULL first in a descending order unless told otherwise: its two newest-first indexes are made
again with NULLS LAST, under the same names, so that listings and searches still walk them in order. SQLite puts
NULL last in a descending order already, and cannot say NULLS LAST in an index.
"""

from django.db import migrations, models

INDEXES = {
    "documents_newest": "issued_on DESC{nulls}, id DESC",
    "documents_access_newest": "access, issued_on DESC{nulls}, id DESC",
}


def _indexes(nulls: str):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        for name, columns in INDEXES.items():
            schema_editor.execute(f"DROP INDEX IF EXISTS {name}")
            schema_editor.execute(f"CREATE INDEX {name} ON documents_document ({columns.format(nulls=nulls)})")

    return run


class Migration(migrations.Migration):
    dependencies = [("documents", "0007_access_newest_in_full_order")]

    operations = [
        migrations.AlterModelOptions(
            name="document",
            options={
                "ordering": (
                    models.OrderBy(models.F("issued_on"), descending=True, nulls_last=True),
                    models.OrderBy(models.F("id"), descending=True),
                ),
                "permissions": [("import_document", "Can import documents")],
                "verbose_name": "document",
                "verbose_name_plural": "documents",
            },
        ),
        migrations.RunPython(_indexes(" NULLS LAST"), _indexes("")),
    ]
