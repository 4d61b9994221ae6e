"""The demo network's plan targets for its AKKE period 2022–2023 and a few values entered
per half-year of it. The period is over by the demo's "today" (which is 2024 or later), so
every half-year has its value; the follow-on years have no plan of their own.

Invented for the demonstration and said so in every note: the real plan's targets are the
network's to enter. They are pitched so that the demo portfolio meets some and falls behind
on others, so the dashboard and the report show both.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.contrib.auth.models import AbstractBaseUser

from dashboards.models import Indicator, ManualValue, Target
from dashboards.services import manual_value_save, target_save
from demo.data import AKKE_PERIOD

START, END = AKKE_PERIOD
NOTE = "Demoarvo: keksitty tavoite esittelyä varten, ei hankesuunnitelman luku."
VALUE_NOTE = "Demoarvo: keksitty luku esittelyä varten."

TARGETS: list[tuple[str, str]] = [
    (Indicator.EVENTS, "12"),
    (Indicator.PARTICIPANTS, "1200"),
    (Indicator.ORGANISATIONS, "80"),
    (Indicator.COMPANIES, "50"),
    (Indicator.SMES, "40"),
    (Indicator.RESEARCH, "6"),
    (Indicator.EDUCATION, "8"),
    (Indicator.PUBLIC, "6"),
    (Indicator.NEW_IDEAS, "60"),
    (Indicator.CONSORTIA, "35"),
    (Indicator.APPLICATIONS, "35"),
    (Indicator.APPLIED, "15000000"),
    (Indicator.GRANTED, "6000000"),
    (Indicator.LEVERAGE, "15"),
    (Indicator.NEW_REGIONS, "10"),
    (Indicator.PLATFORMS, "10"),
    (Indicator.NEEDS, "15"),
]

# Indicators the data cannot give: a name, a target, and a value per half-year.
MANUAL: list[tuple[str, str, list[tuple[date, date, str]]]] = [
    (
        "Viestinnän tavoittavuus (henkilöä)",
        "20000",
        [
            (date(2022, 1, 1), date(2022, 6, 30), "3200"),
            (date(2022, 7, 1), date(2022, 12, 31), "4100"),
            (date(2023, 1, 1), date(2023, 6, 30), "5600"),
            (date(2023, 7, 1), date(2023, 12, 31), "6300"),
        ],
    ),
    (
        "Mediaosumat",
        "40",
        [
            (date(2022, 1, 1), date(2022, 6, 30), "6"),
            (date(2022, 7, 1), date(2022, 12, 31), "9"),
            (date(2023, 1, 1), date(2023, 6, 30), "11"),
            (date(2023, 7, 1), date(2023, 12, 31), "12"),
        ],
    ),
]


def seed_targets(by: AbstractBaseUser | None) -> int:
    """Record the demo plan's targets and entered values through the services; returns the
    number of targets. A plan already recorded is left as it is."""
    if Target.objects.exists():
        return 0
    for indicator, value in TARGETS:
        target_save(
            target=Target(indicator=indicator, target_value=Decimal(value), start_date=START,
                          target_date=END, note=NOTE),
            by=by,
        )
    for name, value, periods in MANUAL:
        target = target_save(
            target=Target(indicator=Indicator.MANUAL, name=name, target_value=Decimal(value),
                          start_date=START, target_date=END, note=NOTE),
            by=by,
        )
        for start, end, amount in periods:
            manual_value_save(
                value=ManualValue(target=target, period_start=start, period_end=end,
                                  value=Decimal(amount), note=VALUE_NOTE),
                by=by,
            )
    return len(TARGETS) + len(MANUAL)


def reset_targets() -> None:
    Target.objects.all().delete()  # their entered values go with them
