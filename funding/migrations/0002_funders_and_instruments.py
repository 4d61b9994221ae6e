"""The funders and instruments a Finnish regional network applies to. Admins edit them later."""

from decimal import Decimal

from django.db import migrations

FUNDERS = [
    ("Maakuntien liitot", "regional"),
    ("Business Finland", "national"),
    ("Euroopan komissio", "eu"),
    ("Maakuntien liitot ja ELY-keskukset", "eu"),
    ("Interreg-ohjelmat", "eu"),
]

# code, funder, level, name_fi, name_en, typical maximum rate (%)
INSTRUMENTS = [
    ("akke", "Maakuntien liitot", "regional",
     "AKKE — Alueiden kestävän kasvun ja elinvoiman tukeminen",
     "AKKE — Sustainable growth and vitality of regions", "80"),
    ("bf-rdi", "Business Finland", "national",
     "Tutkimus, kehitys ja pilotointi",
     "Research, development and piloting (SMEs and midcaps)", "50"),
    ("bf-co-innovation", "Business Finland", "national",
     "Co-Innovation (yhteishanke)", "Co-Innovation (joint project)", "70"),
    ("bf-co-creation", "Business Finland", "national", "Co-Creation", "Co-Creation", "60"),
    ("bf-research-to-business", "Business Finland", "national",
     "Research to Business", "Research to Business", "80"),
    ("bf-veturi", "Business Finland", "national",
     "Veturiyritykset ja kumppanuusrahoitus", "Leading companies and partnership funding", None),
    ("bf-innovation-voucher", "Business Finland", "national",
     "Innovaatioseteli", "Innovation voucher", "75"),
    ("bf-horizon-preparation", "Business Finland", "national",
     "Horizon Europe -valmistelurahoitus", "Horizon Europe preparation funding", "75"),
    ("horizon-europe-cl4", "Euroopan komissio", "eu",
     "Horizon Europe (klusteri 4: digitaalisuus, teollisuus ja avaruus)",
     "Horizon Europe (Cluster 4: Digital, Industry and Space)", None),
    ("eakr", "Maakuntien liitot ja ELY-keskukset", "eu",
     "EAKR — Uudistuva ja osaava Suomi 2021–2027",
     "ERDF — Innovative and Skilled Finland 2021–2027", None),
    ("jtf", "Maakuntien liitot", "eu",
     "JTF — Oikeudenmukaisen siirtymän rahasto", "JTF — Just Transition Fund", None),
    ("interreg-aurora", "Interreg-ohjelmat", "eu", "Interreg Aurora", "Interreg Aurora", None),
    ("interreg-central-baltic", "Interreg-ohjelmat", "eu",
     "Interreg Central Baltic", "Interreg Central Baltic", None),
    ("interreg-baltic-sea-region", "Interreg-ohjelmat", "eu",
     "Interreg Itämeren alue", "Interreg Baltic Sea Region", None),
    ("interreg-npa", "Interreg-ohjelmat", "eu",
     "Interreg Pohjoinen periferia ja Arktis", "Interreg Northern Periphery and Arctic", None),
    ("interreg-europe", "Interreg-ohjelmat", "eu", "Interreg Europe", "Interreg Europe", None),
    ("digital-europe-edih", "Euroopan komissio", "eu",
     "Digitaalinen Eurooppa (EDIH)", "Digital Europe (EDIH)", None),
    ("life", "Euroopan komissio", "eu", "LIFE-ohjelma", "LIFE programme", None),
    ("innovation-fund", "Euroopan komissio", "eu", "Innovaatiorahasto", "Innovation Fund", None),
]


def load(apps, schema_editor):
    Funder = apps.get_model("funding", "Funder")
    Instrument = apps.get_model("funding", "FundingInstrument")
    funders = {
        name: Funder.objects.update_or_create(name=name, defaults={"level": level})[0]
        for name, level in FUNDERS
    }
    for code, funder, level, name_fi, name_en, rate in INSTRUMENTS:
        Instrument.objects.update_or_create(
            code=code,
            defaults={
                "funder": funders[funder],
                "level": level,
                "name_fi": name_fi,
                "name_en": name_en,
                "typical_max_rate": Decimal(rate) if rate else None,
            },
        )


def unload(apps, schema_editor):
    apps.get_model("funding", "FundingInstrument").objects.filter(
        code__in=[row[0] for row in INSTRUMENTS]
    ).delete()
    apps.get_model("funding", "Funder").objects.filter(name__in=[n for n, _ in FUNDERS]).delete()


class Migration(migrations.Migration):
    dependencies = [("funding", "0001_initial")]
    operations = [migrations.RunPython(load, unload)]
