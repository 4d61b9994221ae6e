"""Themes get a Swedish name for the Swedish pages."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('portfolio', '0008_api_token_to_accounts'),
    ]

    operations = [
        migrations.AddField(
            model_name='theme',
            name='name_sv',
            field=models.CharField(blank=True, max_length=200, verbose_name='name (Swedish)'),
        ),
    ]
