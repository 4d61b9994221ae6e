"""Reports can be made in Swedish."""

from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('dashboards', '0004_targets'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name='reportmailing',
            name='report_mailing_language_valid',
        ),
        migrations.RemoveConstraint(
            model_name='reportrun',
            name='report_language_valid',
        ),
        migrations.AlterField(
            model_name='reportmailing',
            name='language',
            field=models.CharField(choices=[('fi', 'Finnish'), ('sv', 'Swedish'), ('en', 'English')], max_length=5, verbose_name='language'),
        ),
        migrations.AlterField(
            model_name='reportrun',
            name='language',
            field=models.CharField(choices=[('fi', 'Finnish'), ('sv', 'Swedish'), ('en', 'English')], max_length=5, verbose_name='language'),
        ),
        migrations.AddConstraint(
            model_name='reportmailing',
            constraint=models.CheckConstraint(condition=models.Q(('language__in', ['fi', 'sv', 'en'])), name='report_mailing_language_valid'),
        ),
        migrations.AddConstraint(
            model_name='reportrun',
            constraint=models.CheckConstraint(condition=models.Q(('language__in', ['fi', 'sv', 'en'])), name='report_language_valid'),
        ),
    ]
