"""Calendar items: derived from events, call deadlines and the report setting, plus stored
entries and their yearly repetition."""

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest

from tests.factories import CalendarEntryFactory, FundingCallFactory, RoadshowEventFactory, region
from vuosikello.models import CalendarEntry, Category
from vuosikello.selectors import calendar_items, feed_items

pytestmark = pytest.mark.django_db
HELSINKI = ZoneInfo("Europe/Helsinki")


def by_kind(items, kind):
    return [item for item in items if item.kind == kind]


def test_roadshow_events_of_the_year_appear_on_their_day():
    event = RoadshowEventFactory(title="Roadshow Oulu", date=date(2023, 9, 14), host_region=region("17"))
    RoadshowEventFactory(date=date(2022, 9, 14))

    [item] = by_kind(calendar_items(year=2023), "event")

    assert (item.title, item.start, item.category) == ("Roadshow Oulu", date(2023, 9, 14), "roadshow")
    assert item.all_day
    assert item.region == "North Ostrobothnia"
    assert item.url == f"/events/{event.pk}/"
    assert item.uid == f"event-{event.pk}@salkku"


def test_call_deadlines_appear_at_their_helsinki_time():
    # 23.30 UTC on 31 December 2023 is already 2024 in Helsinki.
    call = FundingCallFactory(
        title="AKKE syksy", deadline=datetime(2023, 10, 31, 16, 15, tzinfo=HELSINKI)
    )
    new_year = FundingCallFactory(deadline=datetime(2023, 12, 31, 23, 30, tzinfo=ZoneInfo("UTC")))

    [item] = by_kind(calendar_items(year=2023), "call")

    assert item.source_id == call.pk
    assert item.start == datetime(2023, 10, 31, 16, 15, tzinfo=HELSINKI)
    assert item.start.utcoffset().total_seconds() == 2 * 3600
    assert not item.all_day
    assert "AKKE syksy" in item.title
    assert [i.source_id for i in by_kind(calendar_items(year=2024), "call")] == [new_year.pk]


def test_report_due_dates_follow_the_setting(settings):
    settings.REPORT_DUE_DAYS = 30
    items = by_kind(calendar_items(year=2024), "report")
    # Quarters end 31.3., 30.6., 30.9., 31.12.; the last one of 2023 falls due in 2024 and
    # the last one of 2024 in 2025.
    assert [(i.source_id, i.start) for i in items] == [
        ("2023Q4", date(2024, 1, 30)),
        ("2024Q1", date(2024, 4, 30)),
        ("2024Q2", date(2024, 7, 30)),
        ("2024Q3", date(2024, 10, 30)),
    ]
    settings.REPORT_DUE_DAYS = 45
    assert [i.start for i in by_kind(calendar_items(year=2024), "report")] == [
        date(2024, 2, 14), date(2024, 5, 15), date(2024, 8, 14), date(2024, 11, 14),
    ]


def test_stored_entries_appear_in_their_year_only():
    entry = CalendarEntryFactory(starts_on=date(2024, 5, 14), ends_on=date(2024, 5, 15))
    assert [(i.uid, i.start, i.end) for i in by_kind(calendar_items(year=2024), "entry")] == [
        (f"entry-{entry.pk}@salkku", date(2024, 5, 14), date(2024, 5, 15))
    ]
    assert by_kind(calendar_items(year=2023), "entry") == []
    assert by_kind(calendar_items(year=2025), "entry") == []


def test_a_yearly_entry_repeats_from_its_first_year_on():
    entry = CalendarEntryFactory(
        starts_on=date(2022, 9, 27), ends_on=date(2022, 9, 29), repeats_yearly=True
    )
    assert by_kind(calendar_items(year=2021), "entry") == []
    for year in (2022, 2023, 2030):
        [item] = by_kind(calendar_items(year=year), "entry")
        assert (item.start, item.end) == (date(year, 9, 27), date(year, 9, 29))
        assert item.repeats_yearly and item.source_id == entry.pk


def test_a_yearly_timed_entry_keeps_its_wall_clock_time_across_summer_time():
    # 10.00 in January is 08.00 UTC; in July 10.00 is 07.00 UTC.
    CalendarEntryFactory(
        starts_on=None,
        starts_at=datetime(2023, 1, 10, 10, 0, tzinfo=HELSINKI),
        ends_at=datetime(2023, 1, 10, 12, 0, tzinfo=HELSINKI),
        repeats_yearly=True,
    )
    CalendarEntryFactory(
        starts_on=None,
        starts_at=datetime(2023, 7, 4, 10, 0, tzinfo=HELSINKI),
        repeats_yearly=True,
    )
    items = by_kind(calendar_items(year=2025), "entry")
    assert [(i.start.date(), i.start.timetz().replace(tzinfo=None)) for i in items] == [
        (date(2025, 1, 10), time(10, 0)),
        (date(2025, 7, 4), time(10, 0)),
    ]
    assert [i.start.utcoffset().total_seconds() / 3600 for i in items] == [2, 3]
    assert items[0].end == datetime(2025, 1, 10, 12, 0, tzinfo=HELSINKI)


def test_a_yearly_entry_of_29_february_falls_on_the_28th_in_other_years():
    CalendarEntryFactory(starts_on=date(2024, 2, 29), repeats_yearly=True)
    assert [i.start for i in by_kind(calendar_items(year=2025), "entry")] == [date(2025, 2, 28)]
    assert [i.start for i in by_kind(calendar_items(year=2028), "entry")] == [date(2028, 2, 29)]


def test_items_come_in_date_order_across_sources():
    RoadshowEventFactory(date=date(2024, 3, 1))
    CalendarEntryFactory(starts_on=date(2024, 2, 1))
    FundingCallFactory(deadline=datetime(2024, 2, 15, 16, 15, tzinfo=HELSINKI))
    days = [item.day for item in calendar_items(year=2024)]
    assert days == sorted(days)
    assert len(days) == 3 + 4  # and the four report due dates


def test_category_filter_keeps_only_those_categories():
    RoadshowEventFactory(date=date(2024, 3, 1))
    FundingCallFactory(deadline=datetime(2024, 2, 15, 16, 15, tzinfo=HELSINKI))
    CalendarEntryFactory(starts_on=date(2024, 2, 1), category=Category.NATIONAL_EVENT)
    CalendarEntryFactory(starts_on=date(2024, 2, 2), category=Category.STEERING_GROUP)
    items = calendar_items(
        year=2024,
        categories=[Category.ROADSHOW, Category.NATIONAL_EVENT],
        entries=CalendarEntry.objects.filter(category__in=[Category.NATIONAL_EVENT]),
    )
    assert sorted(i.category for i in items) == ["national_event", "roadshow"]


def test_region_filter_keeps_that_region_and_the_whole_network():
    RoadshowEventFactory(title="Tampere", date=date(2024, 3, 1), host_region=region("06"))
    RoadshowEventFactory(title="Oulu", date=date(2024, 3, 2), host_region=region("17"))
    CalendarEntryFactory(title="Pirkanmaa meeting", region=region("06"))
    CalendarEntryFactory(title="Oulu meeting", region=region("17"))
    CalendarEntryFactory(title="Network day", region=None)
    FundingCallFactory(title="Call", deadline=datetime(2024, 2, 15, 16, 15, tzinfo=HELSINKI))

    items = calendar_items(year=2024, regions=[region("06")], categories=["roadshow", "call_deadline", "steering_group"])

    assert sorted(i.title for i in items) == ["Deadline: Call", "Network day", "Pirkanmaa meeting", "Tampere"]


def test_feed_items_list_a_yearly_entry_once_at_its_first_day():
    yearly = CalendarEntryFactory(starts_on=date(2020, 1, 18), repeats_yearly=True)
    once = CalendarEntryFactory(starts_on=date(2024, 6, 1))
    CalendarEntryFactory(starts_on=date(2019, 6, 1))  # before the feed's years
    items = by_kind(feed_items(years=range(2023, 2026)), "entry")
    assert [(i.source_id, i.start) for i in items] == [
        (yearly.pk, date(2020, 1, 18)),
        (once.pk, date(2024, 6, 1)),
    ]
