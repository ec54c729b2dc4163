"""A change of the documents store may be one of a type or an issuer, which moves the lists that name them."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('documents', '0013_facet_tallies'),
    ]

    operations = [
        migrations.AddField(
            model_name='storechange',
            name='lists',
            field=models.BooleanField(default=False, verbose_name='of a type or an issuer'),
        ),
    ]
