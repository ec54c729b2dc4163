from django.db import migrations

COLLECTIONS = [
    ("lich-su-dang-bo-tinh", "Lịch sử Đảng bộ tỉnh", 10),
    ("lich-su-dang-bo-huyen", "Lịch sử Đảng bộ huyện", 20),
    ("truyen-thong-nganh", "Truyền thống ngành", 30),
    ("ky-yeu", "Kỷ yếu", 40),
]


def add(apps, schema_editor):
    Collection = apps.get_model("library", "Collection")
    for slug, name, order in COLLECTIONS:
        Collection.objects.get_or_create(slug=slug, defaults={"name": name, "order": order})


class Migration(migrations.Migration):
    dependencies = [("library", "0002_search_index")]

    operations = [migrations.RunPython(add, migrations.RunPython.noop)]
