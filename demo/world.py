"""Demo data: the demo users and the reference rows (themes, organisations, events, calls)."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import AbstractBaseUser, Group

from accounts.permissions import FUNDERS_GROUP, MANAGERS_GROUP
from demo.data import (
    CALL_ROUNDS,
    CALLS,
    CALLS_PUBLISHED_AHEAD,
    DEMO_USERS,
    EVENTS,
    FIRST_NAMES,
    FOLLOW_ON_EVENTS,
    FOLLOW_ON_FIRST_YEAR,
    FOLLOW_ON_MONTHS,
    LAST_NAMES,
    ORGANISATIONS,
    PROFILES,
    ROLE_LABELS,
    THEME_NAMES_SV,
    THEMES,
    TITLES,
)
from funding.models import FundingCall, FundingInstrument
from portfolio.models import Contact, Organisation, Region, RoadshowEvent, Theme


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



def _zone() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


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


def _third_thursday(year: int, month: int) -> date:
    first = date(year, month, 1)
    return first + timedelta(days=(3 - first.weekday()) % 7 + 14)


def follow_on_events(today: date) -> list[tuple]:
    """The events after the AKKE period that have taken place before ``today``, in the shape
    of :data:`~demo.data.EVENTS`."""
    events = []
    number = 0
    for year in range(FOLLOW_ON_FIRST_YEAR, today.year + 1):
        for month in FOLLOW_ON_MONTHS:
            title, *rest = FOLLOW_ON_EVENTS[number % len(FOLLOW_ON_EVENTS)]
            number += 1
            day = _third_thursday(year, month)
            if day >= today:
                return events
            head, colon, topic = title.partition(":")
            events.append((day, f"{head} {year}{colon}{topic}", *rest))
    return events


def funding_calls(today: date) -> list[tuple[str, str, date, date]]:
    """The AKKE period's calls and every later year's rounds published by ``today``: some
    closed, some open now, some opening in the coming months."""
    calls = list(CALLS)
    for year in range(FOLLOW_ON_FIRST_YEAR, today.year + 2):
        for code, title, (month, day), (d_month, d_day, later) in CALL_ROUNDS:
            opens = date(year, month, day)
            if opens <= today + timedelta(days=CALLS_PUBLISHED_AHEAD):
                calls.append(
                    (code, title.format(year=year), opens, date(year + later, d_month, d_day))
                )
    return calls


def build_world(
    rng: random.Random, users: dict[str, AbstractBaseUser], today: date
) -> DemoWorld:
    """Create themes, organisations with contacts, roadshow events up to ``today`` and
    the funding calls published by then."""
    themes = {}
    for slug, name_fi, name_en, source in THEMES:
        themes[slug], _created = Theme.objects.update_or_create(
            slug=slug,
            defaults={
                "name_fi": name_fi,
                "name_sv": THEME_NAMES_SV[slug],
                "name_en": name_en,
                "source": source,
                "is_active": True,
            },
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
    for (day, title, region_code, city, place, venue, fmt, host, slugs) in [
        *EVENTS, *follow_on_events(today)
    ]:
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
    for code, title, opens, deadline in funding_calls(today):
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
