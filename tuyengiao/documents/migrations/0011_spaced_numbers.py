"""A number stored as typed with spaces for its marks ("07 CT TW", key "07 ct tw") takes the form search gives it
(07-CT/TW): importing "07-CT/TW" again then updates that document instead of making a second one."""

from django.db import migrations

from tuyengiao.core.docnumbers import document_number_spaced


def rekey(apps, schema_editor):
    Document = apps.get_model("documents", "Document")
    DocumentType = apps.get_model("documents", "DocumentType")
    codes = list(DocumentType.objects.exclude(code="").values_list("code", flat=True))
    spaced = Document.objects.exclude(number="").exclude(number__contains="/")
    for document in spaced.only("id", "number").iterator():
        if parsed := document_number_spaced(document.number, lambda: codes):
            Document.objects.filter(pk=document.pk).update(
                number=str(parsed), number_key=str(parsed), number_int=parsed.number
            )


class Migration(migrations.Migration):
    dependencies = [("documents", "0010_sqlite_head_index")]

    operations = [migrations.RunPython(rekey, migrations.RunPython.noop)]
