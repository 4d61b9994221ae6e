"""Demo data: the reference tables of the invented SIXNET network and of its idea stories."""

from __future__ import annotations

from datetime import date
from typing import NamedTuple

from portfolio.models import Organisation
from portfolio.stages import Stage

Kind = Organisation.Kind
Size = Organisation.Size


SIX = "SIX-visio (SIXNET)"
AI40 = "Tekoäly 4.0"
RIS3 = "Pirkanmaan älykkään erikoistumisen strategia"

# slug, Finnish name, English name, source strategy
THEMES = [
    ("six-sustainable-production", "Oma kestävä tuotanto ja liiketoiminta",
     "Own sustainable production and business", SIX),
    ("six-ecosystem-action", "Ekosysteemimäinen toiminta", "Ecosystem-type action", SIX),
    ("six-digital-vanguard", "Digitaalisen murroksen kärjessä",
     "Vanguard of digital transformation", SIX),
    ("six-investments", "Investointien kasvu", "Rise in investments", SIX),
    ("ai40-key-technologies", "Avainteknologioiden tutkimus", "Key technology research", AI40),
    ("ai40-sme-digital", "Pk-yritysten digitaaliset valmiudet", "SMEs' digital capabilities",
     AI40),
    ("ai40-international", "Kansainvälinen edelläkävijyys", "International leadership", AI40),
    ("ris3-renewing-industry", "Vastuullisesti uudistuva teollisuus ja hallittu kestävyyssiirtymä",
     "Responsibly renewing industry and a controlled sustainability transition", RIS3),
    ("ris3-smart-communities", "Älykkäät ja kestävät yhdyskunnat",
     "Smart and sustainable communities", RIS3),
    ("ris3-wellbeing", "Hyvinvointiteknologiat ja -palvelut",
     "Wellbeing technologies and services", RIS3),
    ("ris3-experience-economy", "Kulttuuri ja digitaalinen elämystalous",
     "Culture and digital experience economy", RIS3),
]

# Swedish names of the themes, by slug: a Swedish-speaking member reads them in Swedish.
THEME_NAMES_SV = {
    "six-sustainable-production": "Egen hållbar produktion och affärsverksamhet",
    "six-ecosystem-action": "Verksamhet i ekosystem",
    "six-digital-vanguard": "I täten för den digitala omvälvningen",
    "six-investments": "Fler investeringar",
    "ai40-key-technologies": "Forskning i nyckelteknologier",
    "ai40-sme-digital": "Små och medelstora företags digitala färdigheter",
    "ai40-international": "Internationellt föregångarskap",
    "ris3-renewing-industry": "Ansvarsfullt förnyad industri och en styrd hållbarhetsomställning",
    "ris3-smart-communities": "Smarta och hållbara samhällen",
    "ris3-wellbeing": "Välfärdsteknologier och -tjänster",
    "ris3-experience-economy": "Kultur och digital upplevelseekonomi",
}

# The five partner regions first; ideas also reach a few others.
PARTNER_REGIONS = ["06", "14", "13", "17", "05"]

# name, kind, size, region code, municipality
ORGANISATIONS = [
    # Regional development companies and other public bodies
    ("Business Tampere", Kind.PUBLIC, Size.NOT_APPLICABLE, "06", "Tampere"),
    ("Seinäjoen Seudun Elinkeinokehitys Oy", Kind.PUBLIC, Size.NOT_APPLICABLE, "14", "Seinäjoki"),
    ("Jyväskylän Seudun Yrityspalvelut Oy", Kind.PUBLIC, Size.NOT_APPLICABLE, "13", "Jyväskylä"),
    ("Oulun Elinkeinopalvelut Oy", Kind.PUBLIC, Size.NOT_APPLICABLE, "17", "Oulu"),
    ("Hämeenlinnan Kehitysyhtiö Oy", Kind.PUBLIC, Size.NOT_APPLICABLE, "05", "Hämeenlinna"),
    ("Vaasan Seudun Kehitys Oy", Kind.PUBLIC, Size.NOT_APPLICABLE, "15", "Vaasa"),
    # Research organisations
    ("Valmistustekniikan tutkimuskeskus VATEK", Kind.RESEARCH, Size.LARGE, "06", "Tampere"),
    ("Pohjoisen teknologian tutkimuslaitos", Kind.RESEARCH, Size.MEDIUM, "17", "Oulu"),
    ("Biotalouden tutkimusinstituutti BIOTUKI", Kind.RESEARCH, Size.MEDIUM, "13", "Jyväskylä"),
    ("Energiamurroksen tutkimuskeskus", Kind.RESEARCH, Size.MEDIUM, "15", "Vaasa"),
    ("Prosessimetallurgian tutkimuslaboratorio", Kind.RESEARCH, Size.SMALL, "04", "Pori"),
    # Universities, universities of applied sciences, vocational education
    ("Pirkanmaan teknillinen yliopisto", Kind.EDUCATION, Size.LARGE, "06", "Tampere"),
    ("Tammerkosken ammattikorkeakoulu", Kind.EDUCATION, Size.LARGE, "06", "Tampere"),
    ("Lakeuden ammattikorkeakoulu", Kind.EDUCATION, Size.MEDIUM, "14", "Seinäjoki"),
    ("Päijänteen ammattikorkeakoulu", Kind.EDUCATION, Size.LARGE, "13", "Jyväskylä"),
    ("Pohjolan tekniikan yliopisto", Kind.EDUCATION, Size.LARGE, "17", "Oulu"),
    ("Vanajaveden ammattikorkeakoulu", Kind.EDUCATION, Size.MEDIUM, "05", "Hämeenlinna"),
    ("Ammattiopisto Kyrösranta", Kind.EDUCATION, Size.MEDIUM, "06", "Ylöjärvi"),
    # Associations and clusters
    ("Pirkanmaan Teknologiateollisuus ry", Kind.OTHER, Size.NOT_APPLICABLE, "06", "Tampere"),
    ("Lakeuden Valmistava Teollisuus ry", Kind.OTHER, Size.NOT_APPLICABLE, "14", "Seinäjoki"),
    ("Pohjanmaan Energiaklusteri ry", Kind.OTHER, Size.NOT_APPLICABLE, "15", "Vaasa"),
    ("Päijänteen Yrittäjät ry", Kind.OTHER, Size.NOT_APPLICABLE, "13", "Jyväskylä"),
    # Companies: Pirkanmaa
    ("Pirkan Konepaja Oy", Kind.COMPANY, Size.MEDIUM, "06", "Tampere"),
    ("Näsin Hydrauliikka Oy", Kind.COMPANY, Size.SMALL, "06", "Tampere"),
    ("Tammer Robotics Oy", Kind.COMPANY, Size.SMALL, "06", "Tampere"),
    ("Hervannan Sensoriikka Oy", Kind.COMPANY, Size.MICRO, "06", "Tampere"),
    ("Kalevan Valimo Oy", Kind.COMPANY, Size.MEDIUM, "06", "Tampere"),
    ("Lempäälän Levytyö Oy", Kind.COMPANY, Size.SMALL, "06", "Lempäälä"),
    ("Pyynikin Ohjelmistotalo Oy", Kind.COMPANY, Size.SMALL, "06", "Tampere"),
    ("Sastamalan Metallirakenne Oy", Kind.COMPANY, Size.MEDIUM, "06", "Sastamala"),
    ("Kangasalan Koneistus Oy", Kind.COMPANY, Size.MICRO, "06", "Kangasala"),
    ("Valkeakosken Kuitutekniikka Oy", Kind.COMPANY, Size.LARGE, "06", "Valkeakoski"),
    ("Pirkkalan Pintakäsittely Oy", Kind.COMPANY, Size.MICRO, "06", "Pirkkala"),
    ("Ylöjärven Puuelementti Oy", Kind.COMPANY, Size.MEDIUM, "06", "Ylöjärvi"),
    # Companies: Etelä-Pohjanmaa
    ("Seinäjoen Automaatio Oy", Kind.COMPANY, Size.SMALL, "14", "Seinäjoki"),
    ("Lakeuden Teräs Oy", Kind.COMPANY, Size.MEDIUM, "14", "Seinäjoki"),
    ("Lapuan Puutuote Oy", Kind.COMPANY, Size.MEDIUM, "14", "Lapua"),
    ("Kurikan Konetekniikka Oy", Kind.COMPANY, Size.SMALL, "14", "Kurikka"),
    ("Ilmajoen Maatalouskone Oy", Kind.COMPANY, Size.MEDIUM, "14", "Ilmajoki"),
    ("Alavuden Muovi Oy", Kind.COMPANY, Size.SMALL, "14", "Alavus"),
    ("Kauhajoen Elektroniikka Oy", Kind.COMPANY, Size.MICRO, "14", "Kauhajoki"),
    # Companies: Keski-Suomi
    ("Jyväskylän Prosessiautomaatio Oy", Kind.COMPANY, Size.MEDIUM, "13", "Jyväskylä"),
    ("Äänekosken Biojalostamo Oy", Kind.COMPANY, Size.LARGE, "13", "Äänekoski"),
    ("Päijänteen Digitekniikka Oy", Kind.COMPANY, Size.MICRO, "13", "Jyväskylä"),
    ("Jämsän Paperikonepalvelu Oy", Kind.COMPANY, Size.LARGE, "13", "Jämsä"),
    ("Laukaan Kuljetinjärjestelmät Oy", Kind.COMPANY, Size.SMALL, "13", "Laukaa"),
    ("Keuruun Puusepät Oy", Kind.COMPANY, Size.SMALL, "13", "Keuruu"),
    # Companies: Pohjois-Pohjanmaa
    ("Oulun Sulautetut Järjestelmät Oy", Kind.COMPANY, Size.SMALL, "17", "Oulu"),
    ("Raahen Terästekniikka Oy", Kind.COMPANY, Size.LARGE, "17", "Raahe"),
    ("Kempeleen Anturi Oy", Kind.COMPANY, Size.MICRO, "17", "Kempele"),
    ("Pohjolan 5G-ratkaisut Oy", Kind.COMPANY, Size.SMALL, "17", "Oulu"),
    ("Ylivieskan Konepaja Oy", Kind.COMPANY, Size.MEDIUM, "17", "Ylivieska"),
    # Companies: Kanta-Häme
    ("Hämeenlinnan Pakkaustekniikka Oy", Kind.COMPANY, Size.MEDIUM, "05", "Hämeenlinna"),
    ("Riihimäen Valuosa Oy", Kind.COMPANY, Size.SMALL, "05", "Riihimäki"),
    ("Forssan Tekstiilitekniikka Oy", Kind.COMPANY, Size.SMALL, "05", "Forssa"),
    ("Janakkalan Elintarvikekone Oy", Kind.COMPANY, Size.MICRO, "05", "Janakkala"),
    # Companies: other regions
    ("Espoon Tekoälylaboratorio Oy", Kind.COMPANY, Size.SMALL, "01", "Espoo"),
    ("Vantaan Logistiikkarobotit Oy", Kind.COMPANY, Size.MEDIUM, "01", "Vantaa"),
    ("Uudenmaan Energiateknologia Oy", Kind.COMPANY, Size.LARGE, "01", "Helsinki"),
    ("Porin Prosessimetalli Oy", Kind.COMPANY, Size.LARGE, "04", "Pori"),
    ("Rauman Telakkapalvelut Oy", Kind.COMPANY, Size.MEDIUM, "04", "Rauma"),
    ("Harjavallan Kemiantekniikka Oy", Kind.COMPANY, Size.SMALL, "04", "Harjavalta"),
    ("Vaasan Sähkökoneet Oy", Kind.COMPANY, Size.LARGE, "15", "Vaasa"),
    ("Mustasaaren Kaapelitekniikka Oy", Kind.COMPANY, Size.SMALL, "15", "Mustasaari"),
    ("Pietarsaaren Venevalmiste Oy", Kind.COMPANY, Size.MEDIUM, "15", "Pietarsaari"),
]

FIRST_NAMES = [
    "Matti", "Juha", "Mikko", "Timo", "Jari", "Antti", "Pekka", "Sami", "Ville", "Tuomas",
    "Petri", "Markus", "Aleksi", "Anna", "Maria", "Laura", "Johanna", "Hanna", "Sanna",
    "Heidi", "Elina", "Katja", "Riikka", "Tiina", "Noora", "Eveliina",
]
LAST_NAMES = [
    "Virtanen", "Korhonen", "Mäkinen", "Nieminen", "Mäkelä", "Hämäläinen", "Laine",
    "Heikkinen", "Koskinen", "Järvinen", "Lehtonen", "Lehtinen", "Saarinen", "Salminen",
    "Heinonen", "Niemi", "Heikkilä", "Kinnunen", "Salonen", "Turunen", "Salo", "Laitinen",
    "Tuominen", "Rantanen", "Karjalainen", "Jokinen", "Mattila", "Savolainen", "Ahonen",
]
TITLES = {
    Kind.COMPANY: ["toimitusjohtaja", "tuotantopäällikkö", "kehityspäällikkö",
                   "teknologiajohtaja", "laatupäällikkö"],
    Kind.RESEARCH: ["tutkimuspäällikkö", "erikoistutkija", "tutkimusprofessori"],
    Kind.EDUCATION: ["yliopettaja", "TKI-päällikkö", "projektipäällikkö"],
    Kind.PUBLIC: ["elinkeinoasiantuntija", "kehityspäällikkö", "projektipäällikkö"],
    Kind.OTHER: ["toiminnanjohtaja", "asiantuntija"],
}

# date, title, host region, city, the city in the locative (for summaries), venue, format,
# host organisation, theme slugs
EVENTS = [
    (date(2022, 3, 10), "SIXNET-roadshow Tampere: Älykäs valmistus 2030", "06", "Tampere",
     "Tampereella", "Hervannan innovaatiotalo", "hybrid", "Business Tampere",
     ["six-digital-vanguard", "six-ecosystem-action", "ai40-sme-digital"]),
    (date(2022, 4, 21), "Roadshow Seinäjoki: automaatio ja robotiikka pk-yrityksissä", "14",
     "Seinäjoki", "Seinäjoella", "Lakeuden yrityspuisto", "hybrid",
     "Seinäjoen Seudun Elinkeinokehitys Oy",
     ["ai40-sme-digital", "six-digital-vanguard", "six-sustainable-production"]),
    (date(2022, 5, 24), "Roadshow Jyväskylä: biotalous ja prosessiteollisuuden digitalisaatio",
     "13", "Jyväskylä", "Jyväskylässä", "Kuokkalan teknologiakampus", "hybrid",
     "Jyväskylän Seudun Yrityspalvelut Oy",
     ["ris3-renewing-industry", "six-sustainable-production", "ai40-key-technologies"]),
    (date(2022, 6, 9), "Tekoäly 4.0 -webinaari: pk-yritysten digitaaliset valmiudet", "06",
     "Tampere", "", "Verkkotapahtuma", "online", "Business Tampere",
     ["ai40-sme-digital", "ai40-key-technologies"]),
    (date(2022, 9, 15), "Roadshow Oulu: 5G ja sulautetut järjestelmät teollisuudessa", "17",
     "Oulu", "Oulussa", "Linnanmaan tutkimuskampus", "hybrid", "Oulun Elinkeinopalvelut Oy",
     ["ai40-key-technologies", "six-digital-vanguard", "ai40-international"]),
    (date(2022, 10, 20), "Roadshow Hämeenlinna: kiertotalous ja pakkausteknologia", "05",
     "Hämeenlinna", "Hämeenlinnassa", "Vanajaveden kampus", "onsite",
     "Hämeenlinnan Kehitysyhtiö Oy",
     ["ris3-renewing-industry", "six-sustainable-production", "ris3-smart-communities"]),
    (date(2022, 11, 24), "SIXNET-vuosiseminaari 2022", "06", "Tampere", "Tampereella",
     "Tampereen konserttitalo", "hybrid", "Business Tampere",
     ["six-ecosystem-action", "six-investments", "ai40-international"]),
    (date(2023, 2, 16), "Roadshow Vaasa: energiamurros ja sähköistyvä teollisuus", "15",
     "Vaasa", "Vaasassa", "Energiakampus", "hybrid", "Vaasan Seudun Kehitys Oy",
     ["ris3-renewing-industry", "six-investments", "ai40-international"]),
    (date(2023, 3, 23), "Roadshow Pori: akkuarvoketju ja prosessimetallit", "04", "Pori",
     "Porissa", "Satakunnan teknologiakeskus", "hybrid",
     "Prosessimetallurgian tutkimuslaboratorio",
     ["six-investments", "ris3-renewing-industry", "six-sustainable-production"]),
    (date(2023, 4, 27), "Roadshow Seinäjoki II: elintarviketeollisuuden automaatio", "14",
     "Seinäjoki", "Seinäjoella", "Lakeuden yrityspuisto", "hybrid",
     "Lakeuden ammattikorkeakoulu",
     ["ai40-sme-digital", "ris3-wellbeing", "six-sustainable-production"]),
    (date(2023, 5, 25), "Roadshow Espoo: tekoäly ja teollinen data", "01", "Espoo", "Espoossa",
     "Otaniemen tapahtumakeskus", "hybrid", "Espoon Tekoälylaboratorio Oy",
     ["ai40-key-technologies", "six-digital-vanguard", "ris3-experience-economy"]),
    (date(2023, 9, 14), "Roadshow Oulu II: kyberturvallinen tuotanto", "17", "Oulu", "Oulussa",
     "Linnanmaan tutkimuskampus", "hybrid", "Pohjolan tekniikan yliopisto",
     ["six-digital-vanguard", "ai40-international", "ai40-sme-digital"]),
    (date(2023, 10, 19), "Roadshow Jyväskylä II: osaajat ja digitaalinen kaksonen", "13",
     "Jyväskylä", "Jyväskylässä", "Päijänteen ammattikorkeakoulun kampus", "onsite",
     "Päijänteen ammattikorkeakoulu",
     ["ai40-sme-digital", "ris3-wellbeing", "ris3-experience-economy"]),
    (date(2023, 11, 23), "SIXNET-päätösseminaari: portfolio ja jatko", "06", "Tampere",
     "Tampereella", "Tampereen konserttitalo", "hybrid", "Business Tampere",
     ["six-ecosystem-action", "six-investments", "ris3-smart-communities"]),
]

# The follow-on years: after the AKKE period the partners keep meeting, a few events each
# half-year, in the months below (the third Thursday). Each year takes the next
# ``FOLLOW_ON_PER_YEAR`` templates in turn, so the cities and topics vary from year to year.
FOLLOW_ON_FIRST_YEAR = 2024
FOLLOW_ON_MONTHS = (2, 4, 5, 9, 10, 11)
# title (the year is added), host region, city, the city in the locative, venue, format,
# host organisation, theme slugs
FOLLOW_ON_EVENTS = [
    ("Jatkoroadshow Tampere: tekoäly tuotannon arjessa", "06", "Tampere", "Tampereella",
     "Hervannan innovaatiotalo", "hybrid", "Business Tampere",
     ["ai40-key-technologies", "ai40-sme-digital", "six-digital-vanguard"]),
    ("Jatkoroadshow Seinäjoki: robotiikka ja elintarvikeautomaatio", "14", "Seinäjoki",
     "Seinäjoella", "Lakeuden yrityspuisto", "hybrid", "Seinäjoen Seudun Elinkeinokehitys Oy",
     ["ai40-sme-digital", "ris3-wellbeing", "six-sustainable-production"]),
    ("SIXNET-webinaari: rahoitushaut ja konsortiot", "06", "Tampere", "", "Verkkotapahtuma",
     "online", "Business Tampere",
     ["six-ecosystem-action", "ai40-international"]),
    ("Jatkoroadshow Oulu: kyberturva ja 5G-tehtaat", "17", "Oulu", "Oulussa",
     "Linnanmaan tutkimuskampus", "hybrid", "Oulun Elinkeinopalvelut Oy",
     ["six-digital-vanguard", "ai40-key-technologies", "ai40-international"]),
    ("Jatkoroadshow Hämeenlinna: kiertotalouden arvoketjut", "05", "Hämeenlinna",
     "Hämeenlinnassa", "Vanajaveden kampus", "onsite", "Hämeenlinnan Kehitysyhtiö Oy",
     ["ris3-renewing-industry", "six-sustainable-production", "ris3-smart-communities"]),
    ("SIXNET-verkostopäivä", "06", "Tampere", "Tampereella", "Tampereen konserttitalo",
     "hybrid", "Business Tampere",
     ["six-ecosystem-action", "six-investments", "ai40-international"]),
    ("Jatkoroadshow Jyväskylä: biojalostus ja digitaalinen kaksonen", "13", "Jyväskylä",
     "Jyväskylässä", "Kuokkalan teknologiakampus", "hybrid",
     "Jyväskylän Seudun Yrityspalvelut Oy",
     ["ris3-renewing-industry", "ai40-sme-digital", "ris3-experience-economy"]),
    ("Jatkoroadshow Vaasa: sähköistyvä teollisuus", "15", "Vaasa", "Vaasassa",
     "Energiakampus", "hybrid", "Vaasan Seudun Kehitys Oy",
     ["ris3-renewing-industry", "six-investments", "six-sustainable-production"]),
    ("Jatkoroadshow Pori: akkumateriaalit ja prosessimetallit", "04", "Pori", "Porissa",
     "Satakunnan teknologiakeskus", "hybrid", "Prosessimetallurgian tutkimuslaboratorio",
     ["six-investments", "ris3-renewing-industry", "ai40-key-technologies"]),
]
FOLLOW_ON_PER_YEAR = len(FOLLOW_ON_MONTHS)

# The calls of the AKKE period: instrument code, title, opens, deadline (at 16.15 Helsinki
# time).
CALLS = [
    ("akke", "AKKE-haku kevät 2022", date(2022, 2, 1), date(2022, 4, 29)),
    ("akke", "AKKE-haku syksy 2022", date(2022, 8, 15), date(2022, 10, 31)),
    ("akke", "AKKE-haku kevät 2023", date(2023, 1, 16), date(2023, 3, 31)),
    ("akke", "AKKE-haku syksy 2023", date(2023, 8, 14), date(2023, 10, 31)),
    ("eakr", "EAKR-haku 1/2022: TKI-toiminta", date(2022, 3, 1), date(2022, 5, 31)),
    ("eakr", "EAKR-haku 2/2022: vähähiilisyys", date(2022, 9, 1), date(2022, 11, 30)),
    ("eakr", "EAKR-haku 1/2023: TKI-toiminta", date(2023, 3, 1), date(2023, 5, 31)),
    ("eakr", "EAKR-haku 2/2023: digitalisaatio", date(2023, 9, 1), date(2023, 11, 30)),
    ("jtf", "JTF-haku 2022", date(2022, 5, 2), date(2022, 9, 30)),
    ("jtf", "JTF-haku 2023", date(2023, 4, 3), date(2023, 9, 29)),
]
# The calls of every year after it, up to the one after "today": instrument code, title
# ({year} filled in), opens (month, day), deadline (month, day, years after the opening).
# Each family's rounds overlap, so on any day an AKKE call, a Business Finland call and an
# EU call are open and a new application has a call to go to.
CALL_ROUNDS = [
    ("akke", "AKKE-haku kevät {year}", (1, 8), (4, 30, 0)),
    ("akke", "AKKE-haku kesä {year}", (4, 20), (8, 31, 0)),
    ("akke", "AKKE-haku syksy {year}", (8, 24), (1, 15, 1)),
    ("eakr", "EAKR-haku 1/{year}: TKI-toiminta", (3, 1), (5, 31, 0)),
    ("eakr", "EAKR-haku 2/{year}: vähähiilisyys ja digitalisaatio", (9, 1), (11, 30, 0)),
    ("jtf", "JTF-haku {year}", (4, 1), (9, 30, 0)),
    ("bf-co-innovation", "Business Finland Co-Innovation, kevät {year}", (1, 12), (6, 12, 0)),
    ("bf-co-innovation", "Business Finland Co-Innovation, syksy {year}", (6, 1), (1, 20, 1)),
    ("interreg-aurora", "Interreg Aurora, {year} haku", (2, 1), (5, 28, 0)),
    ("horizon-europe-cl4", "Horizon Europe CL4: kaksoissiirtymä {year}", (5, 12), (9, 24, 0)),
    ("horizon-europe-cl4", "Horizon Europe CL4: digitaaliset teknologiat {year}", (9, 15),
     (2, 18, 1)),
]
# Calls are published this many days before they open.
CALLS_PUBLISHED_AHEAD = 120

DEVELOPMENT = (Kind.EDUCATION, Kind.RESEARCH, Kind.PUBLIC)
RESEARCH = (Kind.RESEARCH, Kind.EDUCATION)
COMPANY = (Kind.COMPANY,)
ANY = (Kind.COMPANY, Kind.RESEARCH, Kind.EDUCATION, Kind.PUBLIC)


class Profile(NamedTuple):
    """How ideas aimed at one instrument look: their share, size, funding rate and lead."""

    weight: int
    budget_min: int
    budget_max: int
    rate_min: int
    rate_max: int
    lead_kinds: tuple[str, ...]


PROFILES = {
    "akke": Profile(24, 120_000, 600_000, 60, 80, DEVELOPMENT),
    "eakr": Profile(15, 200_000, 1_500_000, 60, 80, DEVELOPMENT),
    "jtf": Profile(4, 300_000, 2_000_000, 60, 75, ANY),
    "bf-rdi": Profile(12, 150_000, 1_200_000, 35, 50, COMPANY),
    "bf-co-innovation": Profile(7, 1_000_000, 4_000_000, 50, 70, COMPANY),
    "bf-co-creation": Profile(5, 60_000, 150_000, 50, 60, ANY),
    "bf-research-to-business": Profile(5, 300_000, 900_000, 70, 80, RESEARCH),
    "bf-veturi": Profile(1, 3_000_000, 12_000_000, 25, 40, COMPANY),
    "bf-innovation-voucher": Profile(4, 6_250, 6_250, 80, 80, COMPANY),
    "bf-horizon-preparation": Profile(2, 20_000, 60_000, 75, 75, ANY),
    "horizon-europe-cl4": Profile(4, 2_000_000, 8_000_000, 70, 100, RESEARCH + COMPANY),
    "interreg-aurora": Profile(2, 500_000, 2_000_000, 65, 75, DEVELOPMENT),
    "interreg-baltic-sea-region": Profile(2, 800_000, 3_000_000, 80, 80, DEVELOPMENT),
    "interreg-central-baltic": Profile(1, 500_000, 1_500_000, 80, 80, DEVELOPMENT),
    "interreg-npa": Profile(1, 400_000, 1_500_000, 60, 65, DEVELOPMENT),
    "interreg-europe": Profile(1, 1_000_000, 2_000_000, 80, 80, DEVELOPMENT),
    "digital-europe-edih": Profile(2, 1_000_000, 3_000_000, 50, 50, RESEARCH),
    "life": Profile(1, 1_000_000, 5_000_000, 60, 60, ANY),
    "innovation-fund": Profile(1, 2_500_000, 7_500_000, 60, 60, COMPANY),
}
# After a rejection the consortium usually tries the same instrument's next round.
RESUBMIT_ELSEWHERE = ["akke", "eakr", "bf-rdi"]


class Topic(NamedTuple):
    acronym: str
    title: str
    action: str  # "Hankkeessa <action> <sector>."
    themes: tuple[str, ...]


TOPICS = [
    Topic("LAATU-AI", "Tekoälyavusteinen laadunvalvonta",
          "kehitetään konenäköön ja tekoälyyn perustuvaa laadunvalvontaa",
          ("ai40-sme-digital", "six-digital-vanguard", "ai40-key-technologies")),
    Topic("KAKSONEN", "Tuotantolinjan digitaalinen kaksonen",
          "rakennetaan tuotantolinjan digitaalista kaksosta",
          ("six-digital-vanguard", "ai40-key-technologies")),
    Topic("ENNAKKO", "Ennakoiva kunnossapito koneoppimisella",
          "pilotoidaan koneoppimiseen perustuvaa ennakoivaa kunnossapitoa",
          ("ai40-sme-digital", "six-digital-vanguard")),
    Topic("VETYVERKKO", "Vetytalouden arvoketjut",
          "selvitetään vedyn tuotannon ja käytön arvoketjuja",
          ("ris3-renewing-industry", "six-investments", "six-sustainable-production")),
    Topic("KIERTO", "Sivuvirtojen kiertotalousratkaisut",
          "kehitetään sivuvirtojen hyödyntämistä kiertotalouden periaattein",
          ("six-sustainable-production", "ris3-renewing-industry", "ris3-smart-communities")),
    Topic("ROBOTTI", "Joustava robotiikka piensarjatuotantoon",
          "pilotoidaan joustavaa robotiikkaa piensarjatuotannossa",
          ("six-digital-vanguard", "ai40-sme-digital")),
    Topic("ENERGIA", "Energiatehokas tuotannonohjaus",
          "kehitetään energiankulutusta optimoivaa tuotannonohjausta",
          ("six-sustainable-production", "ris3-renewing-industry")),
    Topic("5G-TEHDAS", "5G-yksityisverkot teollisuusympäristössä",
          "testataan 5G-yksityisverkkojen käyttöä tehdasympäristössä",
          ("ai40-key-technologies", "six-digital-vanguard")),
    Topic("KYBER", "Kyberturvallinen tuotanto",
          "parannetaan tuotantojärjestelmien kyberturvallisuutta",
          ("ai40-sme-digital", "ai40-international")),
    Topic("AM-PILOTTI", "Metallien 3D-tulostus varaosavalmistuksessa",
          "pilotoidaan metallien lisäävää valmistusta varaosien tuotannossa",
          ("ai40-key-technologies", "six-sustainable-production")),
    Topic("HIILI", "Tuotteiden hiilijalanjäljen laskenta",
          "kehitetään yhteistä mallia tuotteiden hiilijalanjäljen laskentaan",
          ("ris3-renewing-industry", "six-sustainable-production")),
    Topic("AKKU", "Akkumateriaalien kierrätys",
          "kehitetään akkumateriaalien talteenottoa ja kierrätystä",
          ("ris3-renewing-industry", "six-investments", "ai40-international")),
    Topic("DATA", "Teollisen datan jakamisen ekosysteemi",
          "luodaan yritysten välinen malli teollisen datan jakamiseen",
          ("six-ecosystem-action", "six-digital-vanguard")),
    Topic("OSAAJA", "Digiosaajien saatavuus",
          "vahvistetaan digitaalisen valmistuksen osaamista ja osaajien saatavuutta",
          ("ai40-sme-digital", "six-ecosystem-action")),
    Topic("ERGO", "Työhyvinvointia tukevat teollisuuden teknologiat",
          "kehitetään puettavia teknologioita työhyvinvoinnin ja työturvallisuuden tueksi",
          ("ris3-wellbeing", "six-digital-vanguard")),
    Topic("XR-HUOLTO", "Laajennettu todellisuus asennus- ja huoltotyössä",
          "hyödynnetään XR-teknologioita asennus- ja huoltotyön opastuksessa",
          ("ris3-experience-economy", "ai40-sme-digital")),
    Topic("KASVU", "Pk-yritysten kansainvälistymispolku",
          "rakennetaan pk-yrityksille yhteistä polkua kansainvälisille markkinoille",
          ("ai40-international", "six-ecosystem-action", "six-investments")),
    Topic("INVEST", "Teollisten investointien houkuttelu",
          "kehitetään alueiden yhteistä mallia teollisten investointien houkutteluun",
          ("six-investments", "six-ecosystem-action")),
    Topic("SYMBIOOSI", "Teollinen symbioosi",
          "kehitetään teollisuusalueiden yhteisiä energia- ja materiaalivirtoja",
          ("ris3-smart-communities", "six-sustainable-production")),
    Topic("LOGI", "Älykäs sisälogistiikka", "automatisoidaan tehtaiden sisälogistiikkaa",
          ("six-digital-vanguard", "ai40-sme-digital")),
]

SECTORS = [
    "metalliteollisuudessa", "konepajoissa", "puutuoteteollisuudessa",
    "elintarviketeollisuudessa", "prosessiteollisuudessa", "muovi- ja komposiittiteollisuudessa",
    "kemianteollisuudessa", "meriteollisuudessa", "energiateknologiayrityksissä",
    "rakennustuoteteollisuudessa", "elektroniikkateollisuudessa", "pakkausteollisuudessa",
    "teknologiateollisuuden pk-yrityksissä", "maatalouskoneteollisuudessa",
]

GOALS = [
    "nostaa osallistuvien yritysten tuottavuutta {pct} %",
    "vähentää tuotannon energiankulutusta {pct} %",
    "vähentää laatuvirheistä syntyvää hukkaa {pct} %",
    "vähentää hiilidioksidipäästöjä {pct} %",
    "luoda alueiden yhteinen pilottiympäristö",
    "tuoda uudet teknologiat pk-yritysten ulottuville",
    "synnyttää vähintään {count} uutta yritysten kehityshanketta",
    "vahvistaa alueiden välistä TKI-yhteistyötä",
    "kasvattaa osallistuvien yritysten vientiä",
    "kouluttaa {count}0 teollisuuden osaajaa",
]

DROP_REASONS = {
    Stage.IDEA: [
        "Yrityksiltä ei löytynyt riittävää kiinnostusta yhteishankkeeseen.",
        "Idea yhdistettiin laajempaan hankekokonaisuuteen.",
        "Vastaava hanke on jo käynnissä toisella alueella.",
        "Ideoinut yritys keskitti resurssinsa omaan tuotekehitykseensä.",
    ],
    Stage.CONSORTIUM: [
        "Konsortiolle ei löytynyt vetäjäorganisaatiota.",
        "Kumppanit eivät saaneet koottua omarahoitusosuutta.",
        "Keskeinen yrityskumppani vetäytyi hankkeesta.",
        "Aikataulu ei sopinut kumppaneiden investointisuunnitelmiin.",
    ],
    Stage.APPLICATION: [
        "Rahoitushakemus hylättiin, eikä uutta hakua pidetty mielekkäänä.",
        "Rahoitusinstrumentti ei sopinut hankkeen sisältöön; kumppanit jatkavat omin hankkein.",
        "Haku peruttiin, koska päähakija ei saanut omarahoitusta järjestettyä.",
    ],
    Stage.IMPLEMENTATION: [
        "Hanke keskeytettiin päätoteuttajan yrityssaneerauksen vuoksi.",
        "Toteutus lopetettiin ennenaikaisesti, koska pilottiympäristö ei valmistunut.",
    ],
}
REVIVAL_NOTES = [
    "Uusi AKKE-haku avautui, ja idea otetaan uudelleen työn alle.",
    "Roadshow'ssa löytyi uusi vetäjäyritys.",
    "Kumppaniyritys teki investointipäätöksen, joten idea on jälleen ajankohtainen.",
]
REFORM_NOTES = [
    "Rahoitushakemus hylättiin; konsortiota täydennetään ja hakemusta vahvistetaan.",
    "Hylätyn hakemuksen palautteen perusteella mukaan haetaan tutkimuskumppani.",
    "Päätös oli kielteinen; hakemus uudistetaan seuraavaan hakukierrokseen.",
]
MOVE_NOTES = {
    Stage.CONSORTIUM: ["Kumppanihaku käynnistetty.", "Kiinnostuneet yritykset kartoitettu.", ""],
    Stage.APPLICATION: ["Hakemuksen valmistelu aloitettu.", "Vetäjä sitoutunut hankkeeseen.", ""],
    Stage.IMPLEMENTATION: ["Myönteinen rahoituspäätös saatu.", ""],
    Stage.COMPLETED: ["Loppuraportti hyväksytty.", "Hanke päättyi suunnitellusti.", ""],
}

# Target stages of a block of 100 ideas: every stage is well represented at any size. The
# network is years old by "today", so many stories have ended.
STAGE_MIX = {
    Stage.IDEA: 13,
    Stage.CONSORTIUM: 14,
    Stage.APPLICATION: 13,
    Stage.IMPLEMENTATION: 15,
    Stage.COMPLETED: 22,
    Stage.DROPPED: 23,
}
# The network's AKKE funding period, when the roadshow was at its busiest: most of the
# finished and dropped stories were born in it.
AKKE_PERIOD = (date(2022, 1, 1), date(2023, 12, 31))
AKKE_PERIOD_SHARE = 0.8
# Where dropped ideas were dropped from.
DROPPED_FROM = {
    Stage.IDEA: 35,
    Stage.CONSORTIUM: 35,
    Stage.APPLICATION: 25,
    Stage.IMPLEMENTATION: 5,
}
REVIVED_SHARE = 0.08  # ideas that were dropped once and revived
REJECTED_FIRST_SHARE = 0.22  # ideas past consortium whose first application was rejected


class DemoUser(NamedTuple):
    username: str
    first_name: str
    last_name: str
    role: str  # "admin", "manager" or "funder"
    owner_weight: int  # share of the ideas this project manager owns


DEMO_USERS = [
    DemoUser("admin", "Aino", "Järvinen", "admin", 0),
    DemoUser("manager", "Mikko", "Lahtinen", "manager", 40),
    DemoUser("funder", "Riitta", "Heikkinen", "funder", 0),
    DemoUser("kaisa", "Kaisa", "Mäkinen", "manager", 20),
    DemoUser("juha", "Juha", "Korhonen", "manager", 20),
    DemoUser("hanna", "Hanna", "Nieminen", "manager", 20),
]
ROLE_LABELS = {"admin": "administrator", "manager": "project manager", "funder": "funder"}
