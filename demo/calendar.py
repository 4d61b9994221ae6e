"""Demo calendar entries for ``seed_demo``: steering and theme group meetings and national
events from 2022 through the year after "today", some repeating every year. Built the same
way for the same seed and today."""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta

from django.contrib.auth.models import AbstractBaseUser

from portfolio.models import Region
from vuosikello.models import CalendarEntry, Category, SentReminder, site_zone
from vuosikello.services import entry_save

FIRST_YEAR = 2022


def demo_years(today: date) -> range:
    """The years with meetings: from the network's start through the year after ``today``,
    so the current month and the coming ones have entries."""
    return range(FIRST_YEAR, today.year + 2)

PARTNER_REGIONS = ["06", "14", "13", "17", "05"]
STEERING_MONTHS = (2, 5, 9, 11)
# The partners' coordinators meet online every month: every month of the calendar has entries.
COORDINATION_TITLE = "Koordinaattorien kuukausipalaveri"
THEME_GROUPS = [
    "Älykäs valmistus",
    "Tekoäly ja data",
    "Kestävä tuotanto ja kiertotalous",
]
# title, first day, last day, region code or None, link; each repeats every year.
NATIONAL_EVENTS = [
    ("Alihankinta-messut", date(2022, 9, 27), date(2022, 9, 29), "06",
     "https://www.alihankinta.fi/"),
    ("Valmistavan teollisuuden TKI-foorumi", date(2022, 4, 6), None, "01", ""),
    ("Teollisuuden digitalisaatiopäivä", date(2022, 10, 12), None, "13", ""),
]
# title, day, description; each repeats every year.
YEARLY_OTHER = [
    ("Vuosikellon suunnittelu ja toimintasuunnitelma", date(2022, 1, 18),
     "Seuraavan vuoden roadshow-kierros, teemat ja hakujen aikataulut."),
    ("Rahoittajien katsaus: portfolio ja vipuvaikutus", date(2022, 12, 8),
     "Ohjausryhmälle ja rahoittajille: vuoden portfolio ja rahoitusten vipuvaikutus."),
]


def _weekday_in(year: int, month: int, weekday: int, week: int) -> date:
    """The ``week``-th ``weekday`` (0 = Monday) of the month."""
    first = date(year, month, 1)
    return first + timedelta(days=(weekday - first.weekday()) % 7 + 7 * (week - 1))


def _at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=site_zone())


def seed_calendar(rng: random.Random, by: AbstractBaseUser, *, today: date) -> int:
    """Create the demo entries through the service; return how many."""
    regions = {r.code: r for r in Region.objects.filter(code__in=PARTNER_REGIONS + ["01"])}
    entries: list[CalendarEntry] = []
    for year in demo_years(today):
        for number, month in enumerate(STEERING_MONTHS, start=1):
            day = _weekday_in(year, month, 1, 2)  # the second Tuesday
            entries.append(
                CalendarEntry(
                    title=f"SIXNET-ohjausryhmä {number}/{year}",
                    category=Category.STEERING_GROUP,
                    starts_at=_at(day, 13),
                    ends_at=_at(day, 15),
                    region=regions["06"],
                    description="Hybridikokous, Business Tampere ja Teams. Esityslista viikkoa ennen.",
                )
            )
        for month in range(1, 13):
            day = _weekday_in(year, month, 2, 1)  # the first Wednesday
            entries.append(
                CalendarEntry(
                    title=COORDINATION_TITLE,
                    category=Category.OTHER,
                    starts_at=_at(day, 9),
                    ends_at=_at(day, 10),
                    description="Teams. Alueiden kuulumiset, tulevat haut ja tapahtumat.",
                )
            )
        for group in THEME_GROUPS:
            for month in sorted(rng.sample([3, 4, 5, 9, 10, 11], 2)):
                code = rng.choice(PARTNER_REGIONS)
                day = _weekday_in(year, month, rng.choice([1, 2, 3]), rng.randint(1, 3))
                hour = rng.choice([9, 10, 13])
                entries.append(
                    CalendarEntry(
                        title=f"Teemaryhmä: {group}",
                        category=Category.THEME_GROUP,
                        starts_at=_at(day, hour),
                        ends_at=_at(day, hour + 3),
                        region=regions[code],
                        description="Teemaryhmän kehittämistarpeet ja uudet hankeaihiot.",
                    )
                )
    for title, first, last, code, link in NATIONAL_EVENTS:
        entries.append(
            CalendarEntry(
                title=title,
                category=Category.NATIONAL_EVENT,
                starts_on=first,
                ends_on=last,
                region=regions[code] if code else None,
                link=link,
                repeats_yearly=True,
            )
        )
    for title, day, description in YEARLY_OTHER:
        entries.append(
            CalendarEntry(
                title=title,
                category=Category.OTHER,
                starts_on=day,
                description=description,
                repeats_yearly=True,
            )
        )
    for entry in entries:
        entry_save(entry=entry, by=by)
    return len(entries)


def reset_calendar() -> None:
    """Delete the stored entries and the record of reminders sent about the old data."""
    SentReminder.objects.all().delete()
    CalendarEntry.objects.all().delete()
