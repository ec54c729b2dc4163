"""The document types every install starts with (an editable list afterwards)."""

from django.db import migrations

TYPES = [
    ("Nghị quyết", "NQ"),
    ("Chỉ thị", "CT"),
    ("Kết luận", "KL"),
    ("Quyết định", "QĐ"),
    ("Quy định", "QĐ"),
    ("Hướng dẫn", "HD"),
    ("Chương trình", "CTr"),
    ("Kế hoạch", "KH"),
    ("Thông báo", "TB"),
    ("Báo cáo", "BC"),
    ("Công văn", "CV"),
    ("Đề án", "ĐA"),
    ("Nghị định", "NĐ"),
    ("Thông tư", "TT"),
    ("Luật", ""),
]


def add(apps, schema_editor):
    DocumentType = apps.get_model("documents", "DocumentType")
    for order, (name, code) in enumerate(TYPES):
        DocumentType.objects.get_or_create(name=name, defaults={"code": code, "order": order * 10})


class Migration(migrations.Migration):
    dependencies = [("documents", "0002_search_index")]

    operations = [migrations.RunPython(add, migrations.RunPython.noop)]
