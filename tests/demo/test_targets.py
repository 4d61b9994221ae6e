"""seed_demo records plan targets for 2022–2023 and a few values entered per period, each
described as a demo value; --reset removes them with the rest."""

from __future__ import annotations

from datetime import date
from io import StringIO

import pytest
from django.core.management import call_command

from dashboards.models import Indicator, ManualValue, Target
from dashboards.selectors.targets import target_progress
from demo.targets import MANUAL, TARGETS

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def debug(settings):
    settings.DEBUG = True


def seed(**options) -> None:
    call_command("seed_demo", stdout=StringIO(), **options)


def test_demo_targets_for_the_funding_period():
    seed(ideas=40)
    targets = list(Target.objects.all())
    assert len(targets) == len(TARGETS) + len(MANUAL)
    # The plan's computed indicators (participants as one figure) and entered ones.
    assert {t.indicator for t in targets} == set(Indicator.values) - {
        Indicator.PARTICIPANTS_ONSITE, Indicator.PARTICIPANTS_REMOTE
    }
    assert all(t.start_date == date(2022, 1, 1) and t.target_date == date(2023, 12, 31)
               for t in targets)
    assert all("Demoarvo" in t.note for t in targets)
    values = list(ManualValue.objects.all())
    assert len(values) == sum(len(periods) for _name, _target, periods in MANUAL)
    assert all("Demoarvo" in v.note for v in values)
    rows = target_progress(date(2023, 6, 30))
    assert len(rows) == len(targets)
    # The half-years 2022 and the first of 2023 have ended: 3200 + 4100 + 5600.
    reach = next(row for row in rows if row.label.startswith("Viestinnän"))
    assert reach.actual == 12900


def test_reset_removes_the_targets():
    seed(ideas=20)
    seed(ideas=20, reset=True)
    assert Target.objects.count() == len(TARGETS) + len(MANUAL)
    assert ManualValue.objects.count() == 8  # four half-years of two indicators
