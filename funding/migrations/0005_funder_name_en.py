"""Funders get an English name for the English pages."""

from django.db import migrations, models

ENGLISH = {
    "Maakuntien liitot": "Regional councils",
    "Euroopan komissio": "European Commission",
    "Maakuntien liitot ja ELY-keskukset": "Regional councils and ELY Centres",
    "Interreg-ohjelmat": "Interreg programmes",
}


def name_in_english(apps, schema_editor):
    Funder = apps.get_model("funding", "Funder")
    for name, name_en in ENGLISH.items():
        Funder.objects.filter(name=name, name_en="").update(name_en=name_en)


class Migration(migrations.Migration):
    dependencies = [
        ("funding", "0004_created_at_default"),
    ]

    operations = [
        migrations.AddField(
            model_name="funder",
            name="name_en",
            field=models.CharField(blank=True, max_length=200, verbose_name="name (English)"),
        ),
        migrations.RunPython(name_in_english, migrations.RunPython.noop),
    ]
