"""Demo data: an invented but realistic SIXNET network, built the same way for the same seed.

Used by ``manage.py seed_demo``. The tables at the top are the network's facts (themes,
organisations, roadshow events, funding calls); the planner below turns a seeded
``random.Random`` into idea histories; the writers store them.

Every idea is first planned as plain data (an :class:`IdeaPlan`: its moves, consortium,
applications and implementation, all dated), then written either through the services
(``idea_create``, ``idea_move`` and friends, which check every guard) or, for large
counts, in bulk. Both writers store the same plan, so bulk ideas have the same shape as
the ones the services checked. Nothing depends on the current time: every creation, move,
submission and decision falls between January 2022 and :data:`HORIZON`.
"""

from __future__ import annotations

import bisect
import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from itertools import islice
from typing import NamedTuple
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import AbstractBaseUser, Group
from django.db.models import Count
from django.test.utils import override_settings

from funding.models import FundingApplication, FundingCall, FundingInstrument, Implementation
from funding.services import application_save, implementation_save
from portfolio.models import (
    ConsortiumMember,
    Contact,
    Idea,
    Organisation,
    Region,
    RoadshowEvent,
    StageTransition,
    Theme,
)
from portfolio.permissions import FUNDERS_GROUP, MANAGERS_GROUP
from portfolio.services import consortium_member_save, idea_create, idea_move
from portfolio.stages import Stage

Kind = Organisation.Kind
Size = Organisation.Size
Role = ConsortiumMember.Role
Status = ConsortiumMember.Status
AppStatus = FundingApplication.Status
Health = Implementation.Health

# The last day anything in the demo history happens (creations, moves, submissions,
# decisions). A fixed day keeps the data the same on every run; only planned end dates of
# running implementations lie beyond it.
HORIZON = date(2025, 6, 30)
EARLIEST_IDEA = date(2022, 1, 10)

# How many ideas go through the services one by one; the rest are written in bulk.
SERVICE_IDEAS = 150
BULK_CHUNK = 2000
BATCH_SIZE = 1000  # rows per INSERT: well under PostgreSQL's 65 535 parameters


# --- Reference tables ------------------------------------------------------------------

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

# instrument code, title, opens, deadline (at 16.15 Helsinki time)
CALLS = [
    ("akke", "AKKE-haku kevät 2022", date(2022, 2, 1), date(2022, 4, 29)),
    ("akke", "AKKE-haku syksy 2022", date(2022, 8, 15), date(2022, 10, 31)),
    ("akke", "AKKE-haku kevät 2023", date(2023, 1, 16), date(2023, 3, 31)),
    ("akke", "AKKE-haku syksy 2023", date(2023, 8, 14), date(2023, 10, 31)),
    ("akke", "AKKE-haku kevät 2024", date(2024, 1, 15), date(2024, 3, 28)),
    ("akke", "AKKE-haku syksy 2024", date(2024, 8, 12), date(2024, 10, 31)),
    ("akke", "AKKE-haku kevät 2025", date(2025, 1, 13), date(2025, 3, 31)),
    ("eakr", "EAKR-haku 1/2022: TKI-toiminta", date(2022, 3, 1), date(2022, 5, 31)),
    ("eakr", "EAKR-haku 2/2022: vähähiilisyys", date(2022, 9, 1), date(2022, 11, 30)),
    ("eakr", "EAKR-haku 1/2023: TKI-toiminta", date(2023, 3, 1), date(2023, 5, 31)),
    ("eakr", "EAKR-haku 2/2023: digitalisaatio", date(2023, 9, 1), date(2023, 11, 30)),
    ("eakr", "EAKR-haku 1/2024: TKI-toiminta", date(2024, 3, 1), date(2024, 5, 31)),
    ("eakr", "EAKR-haku 2/2024: vähähiilisyys", date(2024, 9, 2), date(2024, 11, 29)),
    ("jtf", "JTF-haku 2022", date(2022, 5, 2), date(2022, 9, 30)),
    ("jtf", "JTF-haku 2023", date(2023, 4, 3), date(2023, 9, 29)),
    ("jtf", "JTF-haku 2024", date(2024, 4, 2), date(2024, 9, 30)),
]

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

# Target stages of a block of 100 ideas: every stage is well represented at any size.
STAGE_MIX = {
    Stage.IDEA: 18,
    Stage.CONSORTIUM: 18,
    Stage.APPLICATION: 16,
    Stage.IMPLEMENTATION: 17,
    Stage.COMPLETED: 14,
    Stage.DROPPED: 17,
}
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


# --- Helpers -----------------------------------------------------------------------------


class DemoDataError(Exception):
    """The database lacks reference data the demo needs."""


BUSINESS_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2)


def business_id_check_digit(digits: str) -> int | None:
    """The Y-tunnus check digit of seven digits, or None when no digit makes them valid."""
    remainder = sum(int(d) * w for d, w in zip(digits, BUSINESS_ID_WEIGHTS, strict=True)) % 11
    if remainder == 1:
        return None
    return 0 if remainder == 0 else 11 - remainder


def _new_business_id(rng: random.Random, used: set[str]) -> str:
    while True:
        digits = f"{rng.randint(100_000, 3_399_999):07d}"
        check = business_id_check_digit(digits)
        value = f"{digits}-{check}"
        if check is not None and value not in used:
            used.add(value)
            return value


def _ascii(text: str) -> str:
    return text.lower().translate(str.maketrans("äöå", "aoa"))


def _domain(name: str) -> str:
    """An invented address under the reserved .example top-level domain."""
    words = [w for w in name.split() if w not in ("Oy", "ry")]
    acronyms = [w for w in words if len(w) >= 3 and w.isupper()]
    return "".join(c for c in _ascii("".join(acronyms or words)) if c.isalnum()) + ".example"


def _round_down(value: float, step: int) -> int:
    return int(value // step) * step


def _money(euros: int) -> Decimal:
    return Decimal(euros).quantize(Decimal("0.01"))


def _zone() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


# --- Users and reference data --------------------------------------------------------------


def ensure_demo_users(password: str) -> dict[str, AbstractBaseUser]:
    """Create or refresh the demo users with ``password`` and their roles' groups."""
    User = get_user_model()
    groups = {
        "manager": Group.objects.get(name=MANAGERS_GROUP),
        "funder": Group.objects.get(name=FUNDERS_GROUP),
    }
    # Hashing is deliberately slow; every demo user shares the one known password anyway.
    hashed = make_password(password)
    users = {}
    for spec in DEMO_USERS:
        user, _created = User.objects.update_or_create(
            username=spec.username,
            defaults={
                "first_name": spec.first_name,
                "last_name": spec.last_name,
                "email": f"{spec.username}@salkku.example",
                "is_active": True,
                "is_staff": spec.role == "admin",
                "is_superuser": spec.role == "admin",
                "password": hashed,
            },
        )
        user.groups.set([groups[spec.role]] if spec.role in groups else [])
        users[spec.username] = user
    return users


def demo_logins() -> list[tuple[str, str]]:
    """(username, role) of the demo users that exist."""
    existing = set(
        get_user_model()
        .objects.filter(username__in=[u.username for u in DEMO_USERS])
        .values_list("username", flat=True)
    )
    return [(u.username, ROLE_LABELS[u.role]) for u in DEMO_USERS if u.username in existing]


@dataclass
class DemoWorld:
    """The reference rows ideas are drawn from, in a fixed order."""

    themes: dict[str, Theme]
    regions: dict[str, Region]
    organisations: list[Organisation]
    contacts: dict[int, list[Contact]]
    events: list[RoadshowEvent]
    event_themes: dict[int, list[Theme]]
    event_phrases: dict[int, str]  # "roadshow-tapahtumassa Oulussa"
    instruments: dict[str, FundingInstrument]
    calls: dict[str, list[FundingCall]]
    owners: list[AbstractBaseUser]
    owner_weights: list[int]


def build_world(rng: random.Random, users: dict[str, AbstractBaseUser]) -> DemoWorld:
    """Create themes, organisations with contacts, roadshow events and funding calls."""
    themes = {}
    for slug, name_fi, name_en, source in THEMES:
        themes[slug], _created = Theme.objects.update_or_create(
            slug=slug,
            defaults={"name_fi": name_fi, "name_en": name_en, "source": source, "is_active": True},
        )
    regions = {region.code: region for region in Region.objects.all()}
    instruments = {i.code: i for i in FundingInstrument.objects.filter(code__in=PROFILES)}
    missing = sorted(set(PROFILES) - set(instruments))
    if missing:
        raise DemoDataError(
            f"Funding instruments {', '.join(missing)} are missing; run `manage.py migrate`."
        )

    used_ids: set[str] = set()
    organisations, contacts = [], {}
    for name, kind, size, region_code, municipality in ORGANISATIONS:
        organisation = Organisation(
            name=name,
            business_id=_new_business_id(rng, used_ids),
            kind=kind,
            size=size,
            region=regions[region_code],
            municipality=municipality,
            website=f"https://www.{_domain(name)}",
        )
        organisation.full_clean()
        organisation.save()
        organisations.append(organisation)
        contacts[organisation.pk] = _create_contacts(rng, organisation)

    by_name = {o.name: o for o in organisations}
    events, event_themes, event_phrases = [], {}, {}
    for (day, title, region_code, city, place, venue, fmt, host, slugs) in EVENTS:
        # Only hybrid events have both kinds of participants (the database checks this).
        onsite = 0 if fmt == "online" else rng.randint(25, 90)
        online = 0 if fmt == "onsite" else rng.randint(15, 120 if fmt == "hybrid" else 180)
        event = RoadshowEvent(
            title=title,
            date=day,
            host_region=regions[region_code],
            city=city,
            venue=venue,
            format=fmt,
            host_organisation=by_name[host],
            participants_onsite=onsite,
            participants_online=online,
            notes=f"Järjestäjänä {host}. Osallistujia yhteensä {onsite + online}.",
        )
        event.full_clean()
        event.save()
        local = [o for o in organisations if o.region_id == event.host_region_id]
        others = [o for o in organisations if o.region_id != event.host_region_id]
        attending = rng.sample(local, min(len(local), rng.randint(4, 9)))
        attending += rng.sample(others, rng.randint(4, 10))
        event.organisations.set(attending)
        event.themes.set([themes[s] for s in slugs])
        events.append(event)
        event_themes[event.pk] = [themes[s] for s in slugs]
        event_phrases[event.pk] = (
            "verkkotapahtumassa" if fmt == "online" else f"roadshow-tapahtumassa {place}"
        )

    calls: dict[str, list[FundingCall]] = {}
    for code, title, opens, deadline in CALLS:
        call = FundingCall(
            instrument=instruments[code],
            title=title,
            opens=opens,
            deadline=datetime.combine(deadline, time(16, 15), tzinfo=_zone()),
        )
        call.full_clean()
        call.save()
        calls.setdefault(code, []).append(call)

    owners = [users[u.username] for u in DEMO_USERS if u.owner_weight]
    weights = [u.owner_weight for u in DEMO_USERS if u.owner_weight]
    return DemoWorld(
        themes=themes,
        regions=regions,
        organisations=organisations,
        contacts=contacts,
        events=sorted(events, key=lambda e: e.date),
        event_themes=event_themes,
        event_phrases=event_phrases,
        instruments=instruments,
        calls=calls,
        owners=owners,
        owner_weights=weights,
    )


def _create_contacts(rng: random.Random, organisation: Organisation) -> list[Contact]:
    contacts = []
    for title in rng.sample(TITLES[organisation.kind], rng.randint(1, 2)):
        first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
        contact = Contact(
            organisation=organisation,
            name=f"{first} {last}",
            title=title,
            email=f"{_ascii(first)}.{_ascii(last)}@{_domain(organisation.name)}",
            phone=f"+358 {rng.choice(['40', '44', '50'])} {rng.randint(100, 999)} "
            f"{rng.randint(1000, 9999)}",
        )
        contact.full_clean()
        contact.save()
        contacts.append(contact)
    return contacts


# --- Plans ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class MovePlan:
    to_stage: str
    at: datetime
    note: str = ""


@dataclass(frozen=True)
class MemberPlan:
    organisation: Organisation
    role: str
    status: str
    budget_share: Decimal | None
    contact: Contact | None
    at: datetime

    def instance(self, idea_id: int) -> ConsortiumMember:
        member = ConsortiumMember(
            idea_id=idea_id,
            organisation_id=self.organisation.pk,
            role=self.role,
            status=self.status,
            budget_share=self.budget_share,
            contact_id=self.contact.pk if self.contact else None,
        )
        # simple_history dates the history row from this, as idea_create does for ideas.
        member._history_date = self.at
        return member


@dataclass(frozen=True)
class ApplicationPlan:
    instrument: FundingInstrument
    call: FundingCall | None
    applicant: Organisation
    reference: str
    total_budget: Decimal
    requested: Decimal
    granted: Decimal | None
    status: str
    submitted_on: date | None
    decided_on: date | None
    at: datetime

    def instance(self, idea_id: int) -> FundingApplication:
        application = FundingApplication(
            idea_id=idea_id,
            instrument_id=self.instrument.pk,
            call_id=self.call.pk if self.call else None,
            applicant_id=self.applicant.pk,
            reference=self.reference,
            total_budget=self.total_budget,
            requested=self.requested,
            granted=self.granted,
            status=self.status,
            submitted_on=self.submitted_on,
            decided_on=self.decided_on,
        )
        application._history_date = self.at
        return application


@dataclass(frozen=True)
class ImplementationPlan:
    lead_organisation: Organisation
    start: date
    end: date
    total_budget: Decimal
    health: str
    final_report_date: date | None
    at: datetime

    def instance(self, idea_id: int) -> Implementation:
        implementation = Implementation(
            idea_id=idea_id,
            lead_organisation_id=self.lead_organisation.pk,
            start=self.start,
            end=self.end,
            total_budget=self.total_budget,
            health=self.health,
            final_report_date=self.final_report_date,
        )
        implementation._history_date = self.at
        return implementation


Record = MemberPlan | ApplicationPlan | ImplementationPlan


@dataclass
class IdeaPlan:
    """One idea's whole story as data, before anything is written."""

    title: str
    summary: str
    owner: AbstractBaseUser
    origin_event: RoadshowEvent | None
    themes: list[Theme]
    regions: list[Region]
    estimated_budget: Decimal | None
    created_at: datetime
    moves: list[MovePlan] = field(default_factory=list)
    members: list[MemberPlan] = field(default_factory=list)
    applications: list[ApplicationPlan] = field(default_factory=list)
    implementation: ImplementationPlan | None = None

    @property
    def stage(self) -> str:
        return self.moves[-1].to_stage if self.moves else Stage.IDEA

    @property
    def stage_entered_at(self) -> datetime:
        return self.moves[-1].at if self.moves else self.created_at

    @property
    def drop_reason(self) -> str:
        return self.moves[-1].note if self.stage == Stage.DROPPED else ""

    def transitions(self) -> Iterator[tuple[str, str, datetime, str]]:
        """(from, to, at, note) from the creation on, as the stage history records them."""
        previous = Stage.IDEA
        yield "", Stage.IDEA, self.created_at, ""
        for move in self.moves:
            yield previous, move.to_stage, move.at, move.note
            previous = move.to_stage

    def steps(self) -> list[MovePlan | Record]:
        """Moves and records in time order, so each record exists before a guard asks for it."""
        steps: list[MovePlan | Record] = [*self.members, *self.applications, *self.moves]
        if self.implementation:
            steps.append(self.implementation)
        return sorted(steps, key=lambda step: (step.at, isinstance(step, MovePlan)))


@dataclass
class _Script:
    """An idea's timeline in days from its creation, before it is placed on the calendar."""

    target: str
    goal: str  # the furthest stage reached (for dropped ideas: where they were dropped)
    moves: list[tuple[int, str, str]] = field(default_factory=list)
    applications: list[tuple[str, str, int | None, int | None, int]] = field(
        default_factory=list
    )  # instrument, status, submitted day, decided day, recorded day
    consortium_moves: list[int] = field(default_factory=list)  # indexes into moves
    implementation: tuple[int, int, int | None, str] | None = None  # start, end, report, health
    early_interest: bool = False
    span: int = 0

    def move(self, day: int, stage: str, note: str = "") -> None:
        if stage == Stage.CONSORTIUM:
            self.consortium_moves.append(len(self.moves))
        self.moves.append((day, stage, note))
        self.span = max(self.span, day)

    def application(
        self, code: str, status: str, submitted: int | None, decided: int | None, recorded: int
    ) -> None:
        self.applications.append((code, status, submitted, decided, recorded))
        self.span = max(self.span, recorded, decided or 0)


class IdeaPlanner:
    """Turns a seeded random generator into idea plans; the same seed gives the same plans."""

    def __init__(self, world: DemoWorld, rng: random.Random):
        self.world = world
        self.rng = rng
        self._deck: list[str] = []
        self._profile_codes = list(PROFILES)
        self._profile_weights = [PROFILES[c].weight for c in self._profile_codes]
        self._event_dates = [e.date for e in world.events]
        self._leads: dict[tuple[tuple[str, ...], int | None], list[Organisation]] = {}
        self._others = {
            id(o): [p for p in world.organisations if p is not o] for o in world.organisations
        }

    def plans(self, count: int) -> Iterator[IdeaPlan]:
        for _ in range(count):
            yield self.plan()

    def plan(self) -> IdeaPlan:
        r = self.rng
        target = self._next_target()
        code = r.choices(self._profile_codes, self._profile_weights)[0]
        # Long stories may not fit between the first roadshow and the horizon: try again,
        # and after a few tries without the detours (revival, rejected first application).
        for attempt in range(100):
            script = self._script(target, code, detours=attempt < 5)
            anchor = self._anchor(script.span)
            if anchor is not None:
                break
        else:  # pragma: no cover - the shortest stories always fit
            raise RuntimeError("No demo timeline fits before the horizon.")
        event, created_day = anchor
        return self._flesh_out(script, code, event, created_day)

    def _next_target(self) -> str:
        if not self._deck:
            self._deck = [stage for stage, n in STAGE_MIX.items() for _ in range(n)]
            self.rng.shuffle(self._deck)
        return self._deck.pop()

    # The timeline: which moves and records happen, how many days after the creation.
    def _script(self, target: str, code: str, *, detours: bool) -> _Script:
        r = self.rng
        goal = target
        if target == Stage.DROPPED:
            goal = r.choices(list(DROPPED_FROM), list(DROPPED_FROM.values()))[0]
        s = _Script(target=target, goal=goal)
        day = 0

        def later(low: int, high: int) -> int:
            nonlocal day
            day += r.randint(low, high)
            return day

        if detours and target != Stage.DROPPED and r.random() < REVIVED_SHARE:
            s.move(later(30, 150), Stage.DROPPED, r.choice(DROP_REASONS[Stage.IDEA]))
            s.move(later(60, 270), Stage.IDEA, r.choice(REVIVAL_NOTES))

        if goal == Stage.IDEA:
            s.early_interest = r.random() < 0.4
        else:
            rejected_first = detours and r.random() < REJECTED_FIRST_SHARE
            s.move(later(14, 90), Stage.CONSORTIUM, r.choice(MOVE_NOTES[Stage.CONSORTIUM]))
            if goal != Stage.CONSORTIUM or rejected_first:
                s.move(later(30, 120), Stage.APPLICATION, r.choice(MOVE_NOTES[Stage.APPLICATION]))
                if rejected_first:
                    submitted = later(7, 45)
                    decided = later(60, 180)
                    s.application(code, AppStatus.REJECTED, submitted, decided, submitted)
                    s.move(later(7, 40), Stage.CONSORTIUM, r.choice(REFORM_NOTES))
                    if r.random() < 0.3:
                        code = r.choice([c for c in RESUBMIT_ELSEWHERE if c != code])
                    if goal != Stage.CONSORTIUM:
                        s.move(later(30, 120), Stage.APPLICATION, "Uudistettu hakemus työn alla.")
                self._after_application(s, code, later)
        if target == Stage.DROPPED:
            if goal == Stage.IMPLEMENTATION:
                day = max(day, s.implementation[0]) + r.randint(60, 200)
            s.move(later(14, 120), Stage.DROPPED, r.choice(DROP_REASONS[goal]))
        if s.implementation:
            start, _end, report, _health = s.implementation
            s.span = max(s.span, start, report or 0)
        return s

    def _after_application(self, s: _Script, code: str, later: Callable[[int, int], int]) -> None:
        r = self.rng
        if s.goal == Stage.CONSORTIUM:
            return
        if s.goal == Stage.APPLICATION and s.target == Stage.APPLICATION:
            if r.random() < 0.25:
                s.application(code, AppStatus.DRAFT, None, None, later(3, 30))
            else:
                submitted = later(7, 45)
                s.application(code, AppStatus.SUBMITTED, submitted, None, submitted)
            return
        if s.goal == Stage.APPLICATION:  # dropped after the application failed
            submitted = later(7, 45)
            if r.random() < 0.75:
                s.application(code, AppStatus.REJECTED, submitted, later(60, 180), submitted)
            else:
                s.application(code, AppStatus.WITHDRAWN, submitted, None, submitted)
            return
        submitted = later(7, 45)
        decided = later(60, 180)
        s.application(code, AppStatus.APPROVED, submitted, decided, submitted)
        s.move(later(3, 30), Stage.IMPLEMENTATION, r.choice(MOVE_NOTES[Stage.IMPLEMENTATION]))
        start = decided + r.randint(1, 45)
        if s.target == Stage.COMPLETED:
            end = start + r.randint(180, 730)
            report = end + r.randint(14, 75)
            s.implementation = (start, end, report, r.choice([Health.ON_TRACK] * 4 + [Health.LATE]))
            completed = report + r.randint(0, 30)
            s.move(completed, Stage.COMPLETED, r.choice(MOVE_NOTES[Stage.COMPLETED]))
        else:
            end = start + r.randint(365, 1095)
            if s.target == Stage.DROPPED:
                health = r.choice([Health.LATE, Health.LATE, Health.AT_RISK])
            else:
                health = r.choices(
                    [Health.ON_TRACK, Health.AT_RISK, Health.LATE], [60, 25, 15]
                )[0]
            s.implementation = (start, end, None, health)

    # The calendar: an origin event (usually) and a creation day that lets the story end in time.
    def _anchor(self, span: int) -> tuple[RoadshowEvent | None, date] | None:
        r = self.rng
        latest = HORIZON - timedelta(days=span + 3)
        if latest < EARLIEST_IDEA:
            return None
        if r.random() < 0.85:
            eligible = bisect.bisect_left(self._event_dates, latest)
            if eligible:
                event = self.world.events[r.randrange(eligible)]
                room = (latest - event.date).days
                return event, event.date + timedelta(days=r.randint(1, min(45, room)))
        return None, EARLIEST_IDEA + timedelta(days=r.randint(0, (latest - EARLIEST_IDEA).days))

    def _moment(self, day: date) -> datetime:
        """A time in office hours on ``day``."""
        r = self.rng
        return datetime.combine(day, time(r.randint(8, 16), r.randint(0, 59)), tzinfo=_zone())

    # The content: who, what, how much.
    def _flesh_out(
        self, s: _Script, code: str, event: RoadshowEvent | None, created_day: date
    ) -> IdeaPlan:
        r, world = self.rng, self.world
        profile = PROFILES[code]
        topic, sector = r.choice(TOPICS), r.choice(SECTORS)
        title = f"{topic.title} {sector}"
        if r.random() < 0.45:
            title = f"{topic.acronym} – {title}"
        budget = None
        if s.goal != Stage.IDEA or r.random() < 0.7:
            step = 10_000 if profile.budget_max >= 1_000_000 else 1_000
            budget = max(
                profile.budget_min,
                _round_down(r.uniform(profile.budget_min, profile.budget_max), step),
            )

        def on(day: int) -> date:
            return created_day + timedelta(days=day)

        created_at = self._moment(created_day)
        moves = [MovePlan(stage, self._moment(on(day)), note) for day, stage, note in s.moves]
        plan = IdeaPlan(
            title=title,
            summary="",
            owner=r.choices(world.owners, world.owner_weights)[0],
            origin_event=event,
            themes=[],
            regions=[],
            estimated_budget=_money(budget) if budget is not None else None,
            created_at=created_at,
            moves=moves,
        )
        self._plan_members(plan, s, profile, event, budget)
        lead = next((m.organisation for m in plan.members if m.role == Role.LEAD), None)
        for app_code, status, submitted, decided, recorded in s.applications:
            plan.applications.append(
                self._application(
                    app_code, status, lead, budget, submitted and on(submitted),
                    decided and on(decided), self._moment(on(recorded)),
                )
            )
        if s.implementation:
            start, end, report, health = s.implementation
            approved = next(a for a in plan.applications if a.status == AppStatus.APPROVED)
            move_at = next(m.at for m in moves if m.to_stage == Stage.IMPLEMENTATION)
            plan.implementation = ImplementationPlan(
                lead_organisation=lead,
                start=on(start),
                end=on(end),
                total_budget=approved.total_budget,
                health=health,
                final_report_date=on(report) if report is not None else None,
                at=move_at + timedelta(hours=r.randint(1, 48)),
            )
        plan.themes = self._themes(topic, event)
        plan.regions = self._regions(plan, event)
        plan.summary = self._summary(topic, sector, plan, event)
        return plan

    def _plan_members(
        self,
        plan: IdeaPlan,
        s: _Script,
        profile: Profile,
        event: RoadshowEvent | None,
        budget: int | None,
    ) -> None:
        r, world = self.rng, self.world
        if s.early_interest:
            for organisation in r.sample(world.organisations, r.randint(1, 2)):
                plan.members.append(
                    MemberPlan(
                        organisation, Role.PARTNER, r.choice([Status.INVITED, Status.INTERESTED]),
                        None, self._contact(organisation),
                        plan.created_at + timedelta(hours=r.randint(2, 60)),
                    )
                )
        if not s.consortium_moves:
            return
        formed_at = plan.moves[s.consortium_moves[0]].at
        # A consortium that has applied has a committed lead: the guard of that move.
        applied = len(s.consortium_moves) > 1 or s.goal not in (Stage.IDEA, Stage.CONSORTIUM)
        lead = self._lead(profile, event)
        others = self._others[id(lead)]
        chosen = r.sample(others, r.randint(1, 5))
        if applied:
            lead_status = Status.COMMITTED
            mix = {Status.COMMITTED: 75, Status.INTERESTED: 18, Status.WITHDRAWN: 7}
        elif s.target == Stage.DROPPED:
            lead_status = r.choice([Status.INVITED, Status.INTERESTED, Status.WITHDRAWN])
            mix = {Status.INVITED: 25, Status.INTERESTED: 35, Status.WITHDRAWN: 40}
        else:
            lead_status = r.choices(
                [Status.COMMITTED, Status.INTERESTED, Status.INVITED], [45, 35, 20]
            )[0]
            mix = {Status.INVITED: 30, Status.INTERESTED: 40, Status.COMMITTED: 25,
                   Status.WITHDRAWN: 5}
        statuses = [lead_status, *r.choices(list(mix), list(mix.values()), k=len(chosen))]
        roles = [
            Role.LEAD,
            *r.choices([Role.PARTNER, Role.SUBCONTRACTOR, Role.ASSOCIATE], [75, 15, 10],
                       k=len(chosen)),
        ]
        # Members join within days of the consortium forming, well before any application.
        joined = [formed_at + timedelta(hours=r.randint(1, 60)) for _ in statuses]
        organisations = [lead, *chosen]
        if len(s.consortium_moves) > 1:  # a new partner strengthens the resubmission
            reformed_at = plan.moves[s.consortium_moves[1]].at
            taken = {id(o) for o in chosen}
            newcomer = r.choice([o for o in others if id(o) not in taken])
            organisations.append(newcomer)
            statuses.append(Status.COMMITTED if s.goal != Stage.CONSORTIUM else Status.INTERESTED)
            roles.append(Role.PARTNER)
            joined.append(reformed_at + timedelta(hours=r.randint(1, 60)))
        shares = self._shares(budget, statuses)
        plan.members.extend(
            MemberPlan(o, role, status, share, self._contact(o), at)
            for o, role, status, share, at in zip(
                organisations, roles, statuses, shares, joined, strict=True
            )
        )

    def _lead(self, profile: Profile, event: RoadshowEvent | None) -> Organisation:
        r = self.rng
        region_id = event.host_region_id if event is not None and r.random() < 0.5 else None
        return r.choice(self._lead_candidates(profile.lead_kinds, region_id))

    def _lead_candidates(
        self, kinds: tuple[str, ...], region_id: int | None
    ) -> list[Organisation]:
        key = (kinds, region_id)
        if key not in self._leads:
            candidates = [o for o in self.world.organisations if o.kind in kinds]
            local = [o for o in candidates if o.region_id == region_id]
            self._leads[key] = local or candidates
        return self._leads[key]

    def _shares(self, budget: int | None, statuses: list[str]) -> list[Decimal | None]:
        """Planned budget shares: the lead's the largest, none for invited or withdrawn."""
        r = self.rng
        weights = [
            (r.uniform(3, 6) if i == 0 else r.uniform(0.5, 2))
            if status in (Status.COMMITTED, Status.INTERESTED) and budget
            else 0
            for i, status in enumerate(statuses)
        ]
        total = sum(weights)
        return [
            _money(_round_down(budget * w / total, 100)) if w else None for w in weights
        ]

    def _contact(self, organisation: Organisation) -> Contact | None:
        r = self.rng
        return r.choice(self.world.contacts[organisation.pk]) if r.random() < 0.8 else None

    def _application(
        self,
        code: str,
        status: str,
        applicant: Organisation,
        budget: int | None,
        submitted: date | None,
        decided: date | None,
        at: datetime,
    ) -> ApplicationPlan:
        r = self.rng
        profile = PROFILES[code]
        if code == "bf-innovation-voucher":
            total, requested = 6_250, 5_000  # the voucher's fixed price and subsidy
        else:
            base = budget or profile.budget_min
            total = max(1_000, _round_down(base * r.uniform(0.85, 1.15), 1_000))
            rate = r.uniform(profile.rate_min, profile.rate_max) / 100
            requested = _round_down(total * rate, 100)
        granted = None
        if status == AppStatus.APPROVED:
            granted = requested if r.random() < 0.4 else max(
                100, _round_down(requested * r.uniform(0.7, 1.0), 100)
            )
        call = None
        if submitted is not None:
            call = next(
                (c for c in self.world.calls.get(code, [])
                 if c.opens <= submitted <= c.deadline.astimezone(_zone()).date()),
                None,
            )
        return ApplicationPlan(
            instrument=self.world.instruments[code],
            call=call,
            applicant=applicant,
            reference=self._reference(code, submitted) if submitted else "",
            total_budget=_money(total),
            requested=_money(requested),
            granted=_money(granted) if granted is not None else None,
            status=status,
            submitted_on=submitted,
            decided_on=decided,
            at=at,
        )

    def _reference(self, code: str, submitted: date) -> str:
        r, year = self.rng, submitted.year
        if code == "akke":
            return f"AKKE-{year}-{r.randint(1, 400):03d}"
        if code == "eakr":
            return f"A{r.randint(80000, 89999)}"
        if code == "jtf":
            return f"J{r.randint(10000, 19999)}"
        if code.startswith("bf-"):
            return f"{r.randint(1000, 9999)}/31/{year}"
        if code.startswith("interreg-"):
            return f"IR-{year}-{r.randint(100, 999)}"
        return f"101{r.randint(100000, 999999)}"

    def _themes(self, topic: Topic, event: RoadshowEvent | None) -> list[Theme]:
        r, themes = self.rng, self.world.themes
        slugs = [r.choice(topic.themes)]
        if event is not None:
            slugs += [t.slug for t in r.sample(self.world.event_themes[event.pk], r.randint(1, 2))]
        elif r.random() < 0.5:
            slugs.append(r.choice(topic.themes))
        return [themes[s] for s in dict.fromkeys(slugs)][:3]

    def _regions(self, plan: IdeaPlan, event: RoadshowEvent | None) -> list[Region]:
        r, regions = self.rng, self.world.regions
        codes = [event.host_region.code] if event is not None else []
        codes += [
            m.organisation.region.code for m in plan.members if m.status != Status.WITHDRAWN
        ]
        if not codes:
            codes = [r.choice(PARTNER_REGIONS)]
        if r.random() < 0.3:
            codes.append(r.choice(PARTNER_REGIONS))
        return [regions[c] for c in list(dict.fromkeys(codes))[:4]]

    def _summary(
        self, topic: Topic, sector: str, plan: IdeaPlan, event: RoadshowEvent | None
    ) -> str:
        r = self.rng
        goal = r.choice(GOALS).format(pct=r.randint(10, 35), count=r.randint(3, 12))
        sentences = [f"Hankkeessa {topic.action} {sector}."]
        active = [m for m in plan.members if m.status != Status.WITHDRAWN]
        if len(active) >= 2:
            regions = len({m.organisation.region_id for m in active})
            sentences.append(f"Mukana on {len(active)} organisaatiota {regions} maakunnasta.")
        if event is not None:
            day = event.date
            where = self.world.event_phrases[event.pk]
            sentences.append(f"Idea syntyi {where} {day.day}.{day.month}.{day.year}.")
        sentences.append(f"Tavoitteena on {goal}.")
        return " ".join(sentences)


# --- Writers -----------------------------------------------------------------------------


def write_with_services(plan: IdeaPlan) -> Idea:
    """Store one plan through the services, which check every guard of every move."""
    by = plan.owner
    idea = idea_create(
        title=plan.title,
        by=by,
        summary=plan.summary,
        owner=plan.owner,
        origin_event=plan.origin_event,
        themes=plan.themes,
        regions=plan.regions,
        estimated_budget=plan.estimated_budget,
        at=plan.created_at,
    )
    for step in plan.steps():
        if isinstance(step, MovePlan):
            idea = idea_move(idea=idea, to_stage=step.to_stage, by=by, note=step.note, at=step.at)
        elif isinstance(step, MemberPlan):
            consortium_member_save(member=step.instance(idea.pk), by=by)
        elif isinstance(step, ApplicationPlan):
            application_save(application=step.instance(idea.pk), by=by)
        else:
            implementation_save(implementation=step.instance(idea.pk), by=by)
    return idea


def write_in_bulk(plans: list[IdeaPlan]) -> None:
    """Store plans with a few INSERTs per table, leaving the rows the services would leave.

    The services give each idea its current stage, the time it entered it, the drop reason
    and one version per move, and a stage history that chains from the creation; the same
    rows are built here from the same plans. What is left out is simple_history's
    field-change history (half of the rows, and not what any "as of" question reads): the
    history of a bulk idea starts empty.
    """
    ideas = [
        Idea(
            title=plan.title,
            summary=plan.summary,
            origin_event_id=plan.origin_event.pk if plan.origin_event else None,
            owner_id=plan.owner.pk,
            stage=plan.stage,
            stage_entered_at=plan.stage_entered_at,
            estimated_budget=plan.estimated_budget,
            drop_reason=plan.drop_reason,
            version=1 + len(plan.moves),
        )
        for plan in plans
    ]
    Idea.objects.bulk_create(ideas, batch_size=BATCH_SIZE)
    if ideas and ideas[0].pk is None:
        raise NotImplementedError("Bulk demo data needs a database that returns inserted ids.")
    pairs = list(zip(ideas, plans, strict=True))
    rows_by_model = {
        Idea.themes.through: [
            Idea.themes.through(idea_id=idea.pk, theme_id=theme.pk)
            for idea, plan in pairs
            for theme in plan.themes
        ],
        Idea.regions.through: [
            Idea.regions.through(idea_id=idea.pk, region_id=region.pk)
            for idea, plan in pairs
            for region in plan.regions
        ],
        StageTransition: [
            StageTransition(
                idea_id=idea.pk, from_stage=frm, to_stage=to, at=at, by_id=plan.owner.pk, note=note
            )
            for idea, plan in pairs
            for frm, to, at, note in plan.transitions()
        ],
        ConsortiumMember: [
            member.instance(idea.pk) for idea, plan in pairs for member in plan.members
        ],
        FundingApplication: [
            application.instance(idea.pk)
            for idea, plan in pairs
            for application in plan.applications
        ],
        Implementation: [
            plan.implementation.instance(idea.pk) for idea, plan in pairs if plan.implementation
        ],
    }
    for model, rows in rows_by_model.items():
        model.objects.bulk_create(rows, batch_size=BATCH_SIZE)


def write_plans(
    plans: Iterator[IdeaPlan], count: int, progress: Callable[[int, int], None] | None = None
) -> None:
    """The first :data:`SERVICE_IDEAS` plans through the services, the rest in bulk chunks."""
    written = 0
    for plan in islice(plans, SERVICE_IDEAS):
        write_with_services(plan)
        written += 1
    if progress and count > SERVICE_IDEAS:
        progress(written, count)
    while chunk := list(islice(plans, BULK_CHUNK)):
        write_in_bulk(chunk)
        written += len(chunk)
        if progress:
            progress(written, count)


# --- Reset ---------------------------------------------------------------------------------


def reset_demo_data() -> None:
    """Delete the portfolio and funding data, keeping regions, funders, instruments and users.

    History rows go too: they describe ideas that no longer exist.
    """
    # The history receivers would write a "deleted" row per object, one INSERT each; the
    # whole history is deleted below anyway.
    with override_settings(SIMPLE_HISTORY_ENABLED=False):
        for model in (Implementation, FundingApplication, ConsortiumMember, StageTransition,
                      Idea, RoadshowEvent, Contact, Organisation, FundingCall):
            model.objects.all().delete()
    for model in (Idea, ConsortiumMember, FundingApplication, Implementation):
        history = model.history.model
        for relation in history._meta.related_objects:  # the ideas' themes and regions
            relation.related_model.objects.all().delete()
        history.objects.all().delete()
    Theme.objects.exclude(parent=None).update(parent=None)
    Theme.objects.all().delete()


def has_data() -> bool:
    """Whether the database already holds a portfolio of its own."""
    return (
        Idea.objects.exists()
        or Organisation.objects.exists()
        or RoadshowEvent.objects.exists()
    )


@dataclass
class SeedResult:
    themes: int
    organisations: int
    contacts: int
    events: int
    ideas_by_stage: dict[str, int]
    applications: int
    implementations: int


def seed_demo_data(
    *,
    seed: int,
    ideas: int,
    password: str,
    progress: Callable[[int, int], None] | None = None,
) -> SeedResult:
    """Create the demo users, reference data and ``ideas`` ideas from ``seed``.

    Call inside a transaction: a failure must leave nothing half-written.
    """
    rng = random.Random(seed)
    users = ensure_demo_users(password)
    world = build_world(rng, users)
    planner = IdeaPlanner(world, rng)
    write_plans(planner.plans(ideas), ideas, progress)
    counts = dict.fromkeys(Stage.values, 0)
    for row in Idea.objects.order_by().values("stage").annotate(n=Count("id")):
        counts[row["stage"]] = row["n"]
    return SeedResult(
        themes=len(world.themes),
        organisations=len(world.organisations),
        contacts=sum(len(c) for c in world.contacts.values()),
        events=len(world.events),
        ideas_by_stage=counts,
        applications=FundingApplication.objects.count(),
        implementations=Implementation.objects.count(),
    )
