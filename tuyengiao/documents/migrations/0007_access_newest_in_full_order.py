"""The index of what a reader may see, newest first, in the whole order of a listing (issue date, then id): a search
that walks it for a big tier stops at the page's last document, with nothing left to sort (selectors._page_of_tiers).
"""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [("documents", "0006_sqlite_terms_and_narrow_index")]

    operations = [
        migrations.RemoveIndex(
            model_name='document',
            name='documents_access_newest',
        ),
        migrations.AddIndex(
            model_name='document',
            index=models.Index(fields=['access', '-issued_on', '-id'], name='documents_access_newest'),
        ),
    ]
