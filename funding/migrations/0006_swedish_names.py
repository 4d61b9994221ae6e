"""Funders and instruments get a Swedish name for the Swedish pages: the official Swedish
names where the funder publishes one."""

from django.db import migrations, models

FUNDERS = {
    "Maakuntien liitot": "Landskapsförbunden",
    "Business Finland": "Business Finland",
    "Euroopan komissio": "Europeiska kommissionen",
    "Maakuntien liitot ja ELY-keskukset": "Landskapsförbunden och NTM-centralerna",
    "Interreg-ohjelmat": "Interreg-programmen",
}

INSTRUMENTS = {
    "akke": "AKKE — Stöd för regionernas hållbara tillväxt och livskraft",
    "bf-rdi": "Forskning, utveckling och pilotering",
    "bf-co-innovation": "Co-Innovation (samprojekt)",
    "bf-co-creation": "Co-Creation",
    "bf-research-to-business": "Research to Business",
    "bf-veturi": "Dragloksföretag och partnerskapsfinansiering",
    "bf-innovation-voucher": "Innovationscheck",
    "bf-horizon-preparation": "Förberedande finansiering för Horisont Europa",
    "horizon-europe-cl4": "Horisont Europa (kluster 4: digitalisering, industri och rymden)",
    "eakr": "Eruf — Ett förnyande och kunnigt Finland 2021–2027",
    "jtf": "FRO — Fonden för en rättvis omställning",
    "interreg-aurora": "Interreg Aurora",
    "interreg-central-baltic": "Interreg Central Baltic",
    "interreg-baltic-sea-region": "Interreg Östersjöregionen",
    "interreg-npa": "Interreg Norra periferin och Arktis",
    "interreg-europe": "Interreg Europe",
    "digital-europe-edih": "Programmet för ett digitalt Europa (EDIH)",
    "life": "LIFE-programmet",
    "innovation-fund": "Innovationsfonden",
}


def name_in_swedish(apps, schema_editor):
    # Only names still empty: an administrator's own wording stays.
    Funder = apps.get_model("funding", "Funder")
    for name, name_sv in FUNDERS.items():
        Funder.objects.filter(name=name, name_sv="").update(name_sv=name_sv)
    Instrument = apps.get_model("funding", "FundingInstrument")
    for code, name_sv in INSTRUMENTS.items():
        Instrument.objects.filter(code=code, name_sv="").update(name_sv=name_sv)


class Migration(migrations.Migration):

    dependencies = [
        ('funding', '0005_funder_name_en'),
    ]

    operations = [
        migrations.AddField(
            model_name='funder',
            name='name_sv',
            field=models.CharField(blank=True, max_length=200, verbose_name='name (Swedish)'),
        ),
        migrations.AddField(
            model_name='fundinginstrument',
            name='name_sv',
            field=models.CharField(blank=True, max_length=200, verbose_name='name (Swedish)'),
        ),
        migrations.RunPython(name_in_swedish, migrations.RunPython.noop),
    ]
