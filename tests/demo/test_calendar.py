"""seed_demo fills the calendar too, through the year after --today; --reset empties it
first."""

from datetime import date, datetime
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from vuosikello.models import CalendarEntry, Category, SentReminder
from vuosikello.selectors import calendar_items

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def debug(settings, time_machine):
    settings.DEBUG = True
    # The story is told up to 3.12.2026: the clock is there too.
    time_machine.move_to(datetime(2026, 12, 3, 12, tzinfo=timezone.get_current_timezone()))


def seed(**options) -> None:
    call_command("seed_demo", stdout=StringIO(), ideas=5, today=date(2026, 12, 3), **options)


def entries() -> list[tuple]:
    return sorted(
        map(str, CalendarEntry.objects.values_list(
            "title", "category", "starts_on", "starts_at", "ends_on", "ends_at",
            "region__code", "repeats_yearly",
        ))
    )


def test_demo_years_have_meetings_and_national_events():
    seed()
    for year in range(2022, 2028):
        categories = {item.category for item in calendar_items(year=year)}
        assert {
            Category.STEERING_GROUP, Category.THEME_GROUP, Category.NATIONAL_EVENT,
            Category.REPORT_DUE, Category.OTHER,
        } <= categories, year
    # The roadshow events of the AKKE period and of the follow-on years.
    for year in (2023, 2026):
        assert Category.ROADSHOW in {item.category for item in calendar_items(year=year)}
    assert CalendarEntry.objects.filter(repeats_yearly=True).count() >= 3
    steering = CalendarEntry.objects.filter(category=Category.STEERING_GROUP)
    assert steering.count() == 24  # four a year, 2022 through the year after today
    assert all(entry.ends_at > entry.starts_at for entry in CalendarEntry.objects.exclude(starts_at=None))


def test_same_seed_same_entries_and_reset_replaces_them():
    seed()
    first = entries()
    SentReminder.objects.create(user_id=CalendarEntry.objects.first().created_by_id, kind="report_due", key="2023Q1")
    seed(reset=True)
    assert entries() == first
    assert CalendarEntry.objects.count() == len(first)
    assert not SentReminder.objects.exists()
