"""The statement as first assessed; the administrator keeps it current in the admin."""

from datetime import date

from django.db import migrations

METHOD = {
    "fi": (
        "Itsearviointi, jonka palvelun kehittäjät tekivät. Automaattiset testit tarkistavat "
        "jokaisen pääsivun Chromium-selaimessa axe-core-työkalulla WCAG 2.0- ja 2.1 -ohjeiden "
        "A- ja AA-tason sääntöjä vasten projektipäällikön ja rahoittajan rooleissa suomeksi, "
        "ruotsiksi ja englanniksi. Näppäimistötesti tekee projektipäällikön työn taululla ja "
        "idean sivulla ilman hiirtä. Taulu, idean sivu ja koontinäkymät testataan 320 pikselin "
        "levyisinä. Automaattiset tarkistukset löytävät vain osan ongelmista; ruudunlukijan "
        "käyttäjä ei ole vielä arvioinut palvelua."
    ),
    "sv": (
        "Självbedömning av tjänstens utvecklare. De automatiska testerna kontrollerar varje "
        "huvudsida i Chromium med axe-core mot reglerna på nivå A och AA i WCAG 2.0 och 2.1, "
        "som projektledare och som finansiär, på finska, svenska och engelska. Ett "
        "tangentbordstest utför en projektledares arbete på tavlan och på en idés sida utan "
        "mus. Tavlan, en idés sida och instrumentpanelerna testas i 320 pixlars bredd. "
        "Automatiska kontroller hittar bara en del av problemen; en skärmläsaranvändare har "
        "ännu inte bedömt tjänsten."
    ),
    "en": (
        "Self-assessment by the service's developers. Automated tests check every main page in "
        "Chromium with axe-core against the level A and AA rules of WCAG 2.0 and 2.1, as a "
        "project manager and as a funder, in Finnish, Swedish and English. A keyboard-only test "
        "does a project manager's work on the board and on an idea's page without a mouse. The "
        "board, an idea's page and the dashboards are tested 320 pixels wide. Automated checks "
        "find only part of the problems; a screen reader user has not yet assessed the service."
    ),
}

GAPS = [
    (
        "2.1.1 Keyboard",
        {
            "fi": (
                "Koontinäkymien ja vuosikellon kaavioita voi zoomata ja siirtää ja niiden "
                "yksittäisiä arvoja näyttää vain hiirellä. Samat luvut ovat taulukkona heti "
                "kunkin kaavion jälkeen."
            ),
            "sv": (
                "Diagrammen på instrumentpanelerna och i årshjulet kan zoomas och flyttas och "
                "deras enskilda värden visas bara med mus. Samma siffror finns som tabell "
                "direkt efter varje diagram."
            ),
            "en": (
                "The charts of the dashboards and the year wheel can be zoomed and panned, and "
                "their single values shown, only with a mouse. The same figures are in a table "
                "right after each chart."
            ),
        },
    ),
    (
        "1.3.1 Info and Relationships",
        {
            "fi": (
                "Neljännesvuosiraportin PDF-tiedostoa (sen otsikot, taulukot ja kaavioiden "
                "tekstivastineet on merkitty) ja ladattavia Excel-tiedostoja ei ole vielä "
                "tarkistettu ruudunlukijalla. Raportin luvut ovat myös koontinäkymien sivuilla."
            ),
            "sv": (
                "Kvartalsrapportens PDF-fil (dess rubriker, tabeller och diagrammens "
                "textalternativ är märkta) och Excel-filerna som laddas ned har ännu inte "
                "kontrollerats med skärmläsare. Rapportens siffror finns också på "
                "instrumentpanelernas sidor."
            ),
            "en": (
                "The quarterly report's PDF (its headings, tables and the charts' text "
                "alternatives are tagged) and the Excel files to download have not yet been "
                "checked with a screen reader. The report's figures are also on the "
                "dashboards' pages."
            ),
        },
    ),
    (
        "",
        {
            "fi": (
                "Ylläpitäjien hallintasivut (Djangon ylläpito) eivät kuuluneet arviointiin."
            ),
            "sv": "Administratörernas administrationssidor (Djangos administration) ingick inte "
            "i bedömningen.",
            "en": "The administrators' pages (Django's administration) were not part of the "
            "assessment.",
        },
    ),
]


def create(apps, schema_editor):
    Statement = apps.get_model("accessibility", "AccessibilityStatement")
    KnownGap = apps.get_model("accessibility", "KnownGap")
    statement, created = Statement.objects.get_or_create(
        pk=1,
        defaults={
            "provider": "Business Tampere Oy",
            "conformance": "partial",
            "assessed_on": date(2026, 12, 4),
            "method_fi": METHOD["fi"],
            "method_sv": METHOD["sv"],
            "method_en": METHOD["en"],
            # The supervisory authority since 1.1.2026 (before: the Regional State
            # Administrative Agency for Southern Finland); its site is the one people know.
            "authority_fi": "Lupa- ja valvontavirasto, saavutettavuuden valvonta",
            "authority_sv": "Tillstånds- och tillsynsverket, tillsynen över tillgänglighet",
            "authority_en": "Permit and Supervision Agency, accessibility supervision",
            "authority_url": "https://www.saavutettavuusvaatimukset.fi/",
        },
    )
    if created:
        for order, (criteria, text) in enumerate(GAPS):
            KnownGap.objects.create(
                statement=statement,
                order=order,
                reason="not_conformant",
                criteria=criteria,
                text_fi=text["fi"],
                text_sv=text["sv"],
                text_en=text["en"],
            )


class Migration(migrations.Migration):
    dependencies = [("accessibility", "0001_initial")]

    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
