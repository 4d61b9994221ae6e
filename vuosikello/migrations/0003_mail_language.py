"""Reminder mails come in the language the user last chose on the site."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('vuosikello', '0002_sentreminder_sent_at'),
    ]

    operations = [
        migrations.AddField(
            model_name='remindersettings',
            name='language',
            field=models.CharField(blank=True, choices=[('fi', 'Finnish'), ('sv', 'Swedish'), ('en', 'English')], max_length=5, verbose_name='language of the mails'),
        ),
    ]
