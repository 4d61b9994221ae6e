"""The 19 regions (maakunnat) with Statistics Finland codes; 03 and 20 are not in use."""

from django.db import migrations

REGIONS = [
    ("01", "Uusimaa", "Nyland", "Uusimaa"),
    ("02", "Varsinais-Suomi", "Egentliga Finland", "Southwest Finland"),
    ("04", "Satakunta", "Satakunta", "Satakunta"),
    ("05", "Kanta-Häme", "Egentliga Tavastland", "Kanta-Häme"),
    ("06", "Pirkanmaa", "Birkaland", "Pirkanmaa"),
    ("07", "Päijät-Häme", "Päijänne-Tavastland", "Päijät-Häme"),
    ("08", "Kymenlaakso", "Kymmenedalen", "Kymenlaakso"),
    ("09", "Etelä-Karjala", "Södra Karelen", "South Karelia"),
    ("10", "Etelä-Savo", "Södra Savolax", "South Savo"),
    ("11", "Pohjois-Savo", "Norra Savolax", "North Savo"),
    ("12", "Pohjois-Karjala", "Norra Karelen", "North Karelia"),
    ("13", "Keski-Suomi", "Mellersta Finland", "Central Finland"),
    ("14", "Etelä-Pohjanmaa", "Södra Österbotten", "South Ostrobothnia"),
    ("15", "Pohjanmaa", "Österbotten", "Ostrobothnia"),
    ("16", "Keski-Pohjanmaa", "Mellersta Österbotten", "Central Ostrobothnia"),
    ("17", "Pohjois-Pohjanmaa", "Norra Österbotten", "North Ostrobothnia"),
    ("18", "Kainuu", "Kajanaland", "Kainuu"),
    ("19", "Lappi", "Lappland", "Lapland"),
    ("21", "Ahvenanmaa", "Åland", "Åland"),
]


def load(apps, schema_editor):
    Region = apps.get_model("portfolio", "Region")
    for code, fi, sv, en in REGIONS:
        Region.objects.update_or_create(
            code=code, defaults={"name_fi": fi, "name_sv": sv, "name_en": en}
        )


def unload(apps, schema_editor):
    apps.get_model("portfolio", "Region").objects.filter(
        code__in=[code for code, *_ in REGIONS]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("portfolio", "0001_initial")]
    operations = [migrations.RunPython(load, unload)]
