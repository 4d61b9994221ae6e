"""Demo data for the network tools: a dozen shared platforms at demo organisations, the
ideas that plan to use them, and development needs for the demo themes.

Called by ``demo.builder.seed_demo_data`` once the ideas exist. Built from its own
``random.Random`` of the seed, so it is the same for the same seed and leaves the
portfolio's own random sequence untouched. Everything goes through the services.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING, NamedTuple
from zoneinfo import ZoneInfo

from django.conf import settings

from network.models import DevelopmentNeed, NationalBody, NeedStatus, Platform, PlatformKind
from network.services import idea_platforms_set, need_save, platform_save
from portfolio.models import Idea
from portfolio.stages import Stage

if TYPE_CHECKING:
    from demo.world import DemoWorld

Kind = PlatformKind
Body = NationalBody
Status = NeedStatus


class PlatformSpec(NamedTuple):
    name: str
    kind: str
    host: str  # a demo organisation's name
    path: str  # the link's path on the host's website
    themes: list[str]
    description: str
    access_terms: str
    is_active: bool = True


PLATFORMS = [
    PlatformSpec(
        "Linnanmaan 5G-testiverkko", Kind.TEST_ENVIRONMENT, "Pohjolan tekniikan yliopisto",
        "5g-testiverkko", ["ai40-key-technologies", "six-digital-vanguard", "ai40-international"],
        "Kampuksen yksityinen 5G-verkko ja reunalaskenta teollisten langattomien ratkaisujen "
        "testaukseen: koneohjaus, konenäkö ja etävalvonta todellisessa verkossa.",
        "Yrityksille tuntihinnoittelulla; tutkimushankkeille hankehinnalla. Varaus kaksi viikkoa "
        "etukäteen, verkkoinsinöörin tuki sisältyy.",
    ),
    PlatformSpec(
        "VATEK-robotiikan pilottilinja", Kind.PILOT_LINE,
        "Valmistustekniikan tutkimuskeskus VATEK", "robotiikkalinja",
        ["six-digital-vanguard", "ai40-sme-digital", "six-sustainable-production"],
        "Kokoonpano- ja käsittelyrobotiikan pilottilinja yhteistyöroboteilla, konenäöllä ja "
        "joustavalla kiinnityksellä. Pk-yritykset kokeilevat automaatiota ennen investointia.",
        "Pilotointijaksot 1–4 viikkoa. Pk-yrityksille ensimmäinen kokeilupäivä maksutta.",
    ),
    PlatformSpec(
        "TEDA – teollisen datan tekoälyalusta", Kind.DATA_PLATFORM,
        "Pirkanmaan teknillinen yliopisto", "teda",
        ["ai40-key-technologies", "ai40-sme-digital", "six-digital-vanguard"],
        "Tietoturvallinen alusta, jolle yritykset tuovat tuotantodataa koneoppimismallien "
        "kokeiluun. Valmiit työkalut ennakoivaan kunnossapitoon ja laadunvalvontaan.",
        "Datan omistus säilyy yrityksellä. Käyttö tutkimussopimuksella; pk-yrityksille "
        "kevennetty sopimuspohja.",
    ),
    PlatformSpec(
        "Kiertotalouden materiaalilaboratorio", Kind.LABORATORY,
        "Vanajaveden ammattikorkeakoulu", "kiertotalouslaboratorio",
        ["ris3-renewing-industry", "six-sustainable-production", "ris3-smart-communities"],
        "Sivuvirtojen ja kierrätysmateriaalien analytiikka, lujuus- ja ikääntymistestit sekä "
        "pienen mittakaavan valmistuskokeet.",
        "Palvelutilaukset laboratorion hinnaston mukaan; opinnäytetyöyhteistyö mahdollinen.",
    ),
    PlatformSpec(
        "Elintarvikeautomaation testausympäristö", Kind.TEST_ENVIRONMENT,
        "Lakeuden ammattikorkeakoulu", "elintarvikeautomaatio",
        ["ai40-sme-digital", "ris3-wellbeing", "six-sustainable-production"],
        "Hygieeninen testitila elintarviketeollisuuden pakkaus-, annostelu- ja "
        "konenäkösovelluksille.",
        "Varaukset kampuksen yrityspalveluiden kautta; hygieniaosaamiskortti vaaditaan.",
    ),
    PlatformSpec(
        "Biojalostuksen pilottilaitos", Kind.PILOT_LINE,
        "Biotalouden tutkimusinstituutti BIOTUKI", "pilottilaitos",
        ["ris3-renewing-industry", "six-sustainable-production", "six-investments"],
        "Jatkuvatoiminen pilottilaitos puupohjaisten sivuvirtojen jalostukseen "
        "kemikaaleiksi ja materiaaleiksi, kapasiteetti kymmeniä kiloja tunnissa.",
        "Ajot sovitaan hankekohtaisesti; tulokset yrityksen omaisuutta sopimuksen mukaan.",
    ),
    PlatformSpec(
        "Digitaalisen kaksosen oppimisympäristö", Kind.TEST_ENVIRONMENT,
        "Päijänteen ammattikorkeakoulu", "digikaksonen",
        ["ai40-sme-digital", "ris3-experience-economy", "six-digital-vanguard"],
        "Tuotantolinjan digitaalinen kaksonen ja XR-laitteet koulutukseen, layout-suunnitteluun "
        "ja simulointiin.",
        "Yritysten henkilöstökoulutukset ja kokeilut sopimuksen mukaan; avoimet demopäivät "
        "kuukausittain.",
    ),
    PlatformSpec(
        "Kyberturvallisen tuotannon testbed", Kind.TEST_ENVIRONMENT,
        "Pohjoisen teknologian tutkimuslaitos", "kyber-testbed",
        ["six-digital-vanguard", "ai40-international", "ai40-key-technologies"],
        "Eristetty teollisuusautomaatioympäristö tietoturvan testaukseen: hyökkäys- ja "
        "puolustusharjoitukset, haavoittuvuusskannaus ja IEC 62443 -valmius.",
        "Käyttö salassapitosopimuksella; testaukset tutkijan ohjauksessa.",
    ),
    PlatformSpec(
        "Hitsausrobotiikan oppimis- ja testilinja", Kind.PILOT_LINE, "Ammattiopisto Kyrösranta",
        "hitsauslinja", ["ai40-sme-digital", "six-sustainable-production"],
        "Robottihitsaussolut ja levytyön automaatio, joissa yritykset testaavat ohjelmointia "
        "ja kouluttavat henkilöstöään.",
        "Iltaisin ja koulujen loma-aikoina yritysten käytössä; ohjaaja paikalla.",
    ),
    PlatformSpec(
        "Pakkausteknologian testauslaboratorio", Kind.LABORATORY,
        "Hämeenlinnan Pakkaustekniikka Oy", "testauslaboratorio",
        ["ris3-renewing-industry", "six-sustainable-production"],
        "Kuitupohjaisten pakkausten kuljetus-, puristus- ja kosteustestit.",
        "Laboratorio siirtyi yhtiön omaan käyttöön vuoden 2024 alussa.",
        is_active=False,
    ),
    PlatformSpec(
        "Sähköistyvän teollisuuden testialue", Kind.TEST_ENVIRONMENT,
        "Energiamurroksen tutkimuskeskus", "testialue",
        ["ris3-renewing-industry", "six-investments", "ai40-international"],
        "Megawattiluokan sähkönsyöttö, akkuvarasto ja mittaus teollisten sähköistysratkaisujen "
        "ja energianhallinnan kokeiluihin.",
        "Hankekohtaiset sopimukset; pk-yrityksille tarjolla yhteiskäyttöjaksoja.",
    ),
    PlatformSpec(
        "Valmistavan teollisuuden avoin dataekosysteemi", Kind.DATA_PLATFORM,
        "Pirkanmaan Teknologiateollisuus ry", "dataekosysteemi",
        ["six-ecosystem-action", "six-digital-vanguard", "ai40-sme-digital"],
        "Yritysten yhteinen datanjakoympäristö toimitusketjun tilannekuvaan ja "
        "hiilijalanjäljen laskentaan, rakennettu eurooppalaisten dataavaruuksien periaatteilla.",
        "Jäsenyrityksille maksuton; muille vuosimaksu. Liittyminen sääntökirjan hyväksymällä.",
    ),
]


class NeedSpec(NamedTuple):
    theme: str  # slug
    need: str
    event: str | None  # the start of a demo event's title
    body: str
    status: str
    other_body: str = ""


NEEDS = [
    NeedSpec("six-sustainable-production",
             "Pk-yrityksille kohdennettu rahoitus tuotannon hiilijalanjäljen laskentaan ja "
             "raportointivalmiuteen (CSRD).",
             "Roadshow Seinäjoki:", Body.BUSINESS_FINLAND, Status.COMMUNICATED),
    NeedSpec("six-sustainable-production",
             "Kansallinen malli kiertotalouden materiaalivirtojen tiedonvaihtoon yritysten "
             "välillä.",
             "Roadshow Hämeenlinna", Body.TEM, Status.OPEN),
    NeedSpec("six-ecosystem-action",
             "Alueiden välisten TKI-verkostojen koordinaatiolle pitkäjänteinen rahoitus, joka "
             "jatkuu ohjelmakaudesta toiseen.",
             "SIXNET-vuosiseminaari", Body.TEM, Status.IN_PROGRESS),
    NeedSpec("six-ecosystem-action",
             "Veturiyritysten kumppanuusohjelmiin helpompi pääsy pienempien maakuntien "
             "pk-yrityksille.",
             "SIXNET-päätösseminaari", Body.BUSINESS_FINLAND, Status.COMMUNICATED),
    NeedSpec("six-digital-vanguard",
             "Teollisille 5G-yksityisverkoille nopeampi taajuuslupamenettely pilotointia varten.",
             "Roadshow Oulu:", Body.TRAFICOM, Status.ADDRESSED),
    NeedSpec("six-digital-vanguard",
             "Pk-yritysten kyberturvallisuuden auditointeihin palveluseteli.",
             "Roadshow Oulu II", Body.OTHER, Status.OPEN, "Kyberturvallisuuskeskus"),
    NeedSpec("six-investments",
             "Teollisten investointien lupaprosessien nopeuttaminen ja yhden luukun palvelu.",
             "Roadshow Vaasa", Body.TEM, Status.IN_PROGRESS),
    NeedSpec("six-investments",
             "Akkuarvoketjun investointien osaajatarpeen ennakointi alueittain ja "
             "koulutuksen aloituspaikkojen mitoitus sen mukaan.",
             "Roadshow Pori", Body.OKM, Status.OPEN),
    NeedSpec("ai40-key-technologies",
             "Tekoälyn testaus- ja kokeiluympäristöjen kansallinen koordinaatio ja "
             "pk-yritysten pääsy niihin.",
             "Roadshow Espoo", Body.BUSINESS_FINLAND, Status.COMMUNICATED),
    NeedSpec("ai40-key-technologies",
             "Teollisen datan jakamisen sopimusmallit ja ohjeet datasäädösten soveltamiseen.",
             "Tekoäly 4.0 -webinaari", Body.TEM, Status.OPEN),
    NeedSpec("ai40-sme-digital",
             "Pk-yritysten digitaalisen valmiuden arviointi ja sitä seuraava "
             "kehittämispalvelu kaikille alueille samoin ehdoin.",
             "SIXNET-roadshow Tampere", Body.BUSINESS_FINLAND, Status.IN_PROGRESS),
    NeedSpec("ai40-sme-digital",
             "Ammatillisen koulutuksen robotiikka- ja automaatio-opetusympäristöjen "
             "uudistamiseen rahoitus.",
             "Roadshow Jyväskylä II", Body.OKM, Status.COMMUNICATED),
    NeedSpec("ai40-sme-digital",
             "Tekoälyn käyttöönoton lyhytkoulutukset työssä oleville osana jatkuvaa oppimista.",
             None, Body.OKM, Status.OPEN),
    NeedSpec("ai40-international",
             "Lisää Horizon Europe -valmistelurahoitusta alueellisille konsortioille.",
             "SIXNET-vuosiseminaari", Body.BUSINESS_FINLAND, Status.ADDRESSED),
    NeedSpec("ai40-international",
             "Tuki kansainvälisiin testausympäristöjen verkostoihin liittymiseen.",
             "Roadshow Oulu II", Body.OTHER, Status.OPEN, "Team Finland"),
    NeedSpec("ris3-renewing-industry",
             "Biojalostamojen sivuvirtojen pilotointirahoitus, joka kattaa myös skaalauksen.",
             "Roadshow Jyväskylä:", Body.BUSINESS_FINLAND, Status.COMMUNICATED),
    NeedSpec("ris3-renewing-industry",
             "Energiaintensiivisen pk-teollisuuden sähköistämiseen investointituki.",
             "Roadshow Vaasa", Body.TEM, Status.IN_PROGRESS),
    NeedSpec("ris3-renewing-industry",
             "Metallurgisen teollisuuden sivuvirtojen hyötykäytön lupakäytäntöjen "
             "yhtenäistäminen.",
             "Roadshow Pori", Body.OTHER, Status.CLOSED, "Ympäristöministeriö"),
    NeedSpec("ris3-smart-communities",
             "Teollisuusalueiden energiayhteisöjen sääntelyn selkeyttäminen.",
             "SIXNET-päätösseminaari", Body.TEM, Status.OPEN),
    NeedSpec("ris3-wellbeing",
             "Elintarvikeautomaation ja hygieniavaatimusten yhteensovittaminen "
             "testiympäristöissä.",
             "Roadshow Seinäjoki II", Body.OTHER, Status.COMMUNICATED, "Ruokavirasto"),
    NeedSpec("ris3-wellbeing",
             "Hyvinvointiteknologiayrityksille pääsy sairaaloiden testiympäristöihin.",
             "Roadshow Jyväskylä II", Body.BUSINESS_FINLAND, Status.OPEN),
    NeedSpec("ris3-experience-economy",
             "Rahoitusmalli teollisuuden XR- ja virtuaalikoulutussisältöjen tuotantoon.",
             "Roadshow Espoo", Body.OKM, Status.OPEN),
]

# Needs raised outside any event are dated from here.
NEEDS_WITHOUT_EVENT = date(2023, 6, 12)
# At most this many ideas per platform; each picked among the ideas sharing its themes.
IDEAS_PER_PLATFORM = (2, 7)
CANDIDATES = 80


@dataclass
class NetworkSeedResult:
    platforms: int
    needs: int
    idea_links: int


def reset_network_data() -> None:
    """Delete the platforms and development needs; they hold organisations, themes and
    events, so they go first."""
    DevelopmentNeed.objects.all().delete()
    Platform.objects.all().delete()


def _at(day: date, rng: random.Random) -> datetime:
    moment = time(rng.randint(8, 16), rng.choice([0, 15, 30, 45]))
    return datetime.combine(day, moment, tzinfo=ZoneInfo(settings.TIME_ZONE))


def seed_network_data(*, seed: int, world: DemoWorld) -> NetworkSeedResult:
    """Create the demo platforms, link ideas to them and record the themes' needs."""
    rng = random.Random(f"network-{seed}")
    managers = world.owners
    hosts = {organisation.name: organisation for organisation in world.organisations}

    platforms: list[tuple[Platform, PlatformSpec]] = []
    for spec in PLATFORMS:
        host = hosts[spec.host]
        platform = Platform(
            name=spec.name,
            kind=spec.kind,
            host_organisation=host,
            description=spec.description,
            access_terms=spec.access_terms,
            link=f"{host.website.rstrip('/')}/{spec.path}" if host.website else "",
            is_active=spec.is_active,
            created_at=_at(date(2022, 1, 17) + timedelta(days=rng.randint(0, 120)), rng),
        )
        platform_save(
            platform=platform,
            by=rng.choice(managers),
            themes=[world.themes[slug] for slug in spec.themes],
        )
        platforms.append((platform, spec))

    plans: dict[int, list[Platform]] = {}
    ideas_by_pk: dict[int, Idea] = {}
    for platform, spec in platforms:
        if not spec.is_active:
            continue
        # A deterministic order that does not depend on primary keys.
        candidates = list(
            Idea.objects.filter(themes__slug__in=spec.themes)
            .exclude(stage=Stage.DROPPED)
            .distinct()
            .order_by("created_at", "title")[:CANDIDATES]
        )
        chosen = rng.sample(candidates, min(len(candidates), rng.randint(*IDEAS_PER_PLATFORM)))
        for idea in chosen:
            ideas_by_pk[idea.pk] = idea
            plans.setdefault(idea.pk, []).append(platform)
    for pk, chosen_platforms in plans.items():
        idea = ideas_by_pk[pk]
        idea_platforms_set(idea=idea, platforms=chosen_platforms, by=idea.owner)

    for spec in NEEDS:
        event = (
            next(e for e in world.events if e.title.startswith(spec.event)) if spec.event else None
        )
        day = (event.date if event else NEEDS_WITHOUT_EVENT) + timedelta(days=rng.randint(2, 30))
        need = DevelopmentNeed(
            need=spec.need,
            theme=world.themes[spec.theme],
            raised_at=event,
            addressed_to=spec.body,
            addressed_to_other=spec.other_body,
            status=spec.status,
            created_at=_at(day, rng),
        )
        need_save(need=need, by=rng.choice(managers))
    return NetworkSeedResult(
        platforms=len(platforms),
        needs=len(NEEDS),
        idea_links=sum(len(chosen) for chosen in plans.values()),
    )
