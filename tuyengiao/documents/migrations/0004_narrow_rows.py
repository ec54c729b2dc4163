"""PostgreSQL: keep the documents table's rows narrow (long text and vectors in TOAST), so that counting and
faceting the matches of a search read a few thousand pages instead of the whole table."""

from django.db import migrations


def narrow(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ALTER TABLE documents_document SET (toast_tuple_target = 128)")


def wide(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ALTER TABLE documents_document RESET (toast_tuple_target)")


class Migration(migrations.Migration):
    dependencies = [("documents", "0003_default_lists")]

    operations = [migrations.RunPython(narrow, wide)]
