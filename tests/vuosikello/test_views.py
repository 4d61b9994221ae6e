"""The calendar pages: the year wheel and its month list, filters, entry forms, the feed page."""

import re
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from tests.factories import (
    CalendarEntryFactory,
    FundingCallFactory,
    RoadshowEventFactory,
    region,
)
from tests.helpers import assert_no_inline_code
from vuosikello.models import CalendarEntry, FeedToken

pytestmark = pytest.mark.django_db
HELSINKI = ZoneInfo("Europe/Helsinki")
CALENDAR_QUERIES = 7


def titles(response) -> list[str]:
    return [item.title for item in response.context["items"]]


@pytest.fixture
def year_2023():
    RoadshowEventFactory(title="Roadshow Pori", date=date(2023, 3, 23), host_region=region("04"))
    FundingCallFactory(title="AKKE kevät", deadline=datetime(2023, 3, 31, 16, 15, tzinfo=HELSINKI))
    CalendarEntryFactory(title="Ohjausryhmä 1/2023", starts_on=date(2023, 2, 14), region=region("06"))
    CalendarEntryFactory(
        title="Alihankinta-messut", starts_on=date(2022, 9, 27), repeats_yearly=True,
        category="national_event",
    )


def test_calendar_shows_the_year_wheel_and_the_months(funder, year_2023):
    funder.cookies["django_language"] = "en"
    response = funder.get(reverse("calendar"), {"year": 2023})
    assert response.status_code == 200
    body = response.content.decode()
    assert_no_inline_code(body)
    assert titles(response)[:4] == [
        "Quarterly report Q4/2022 due", "Ohjausryhmä 1/2023", "Roadshow Pori", "Deadline: AKKE kevät",
    ]
    assert "Alihankinta-messut" in titles(response)
    assert 'id="wheel-figure"' in body and 'type="application/json"' in body
    assert "plotly.min.js" in body and "js/dashboard.js" in body
    months = [rows for _number, _month, rows in response.context["months"]]
    assert len(months) == 12
    assert [item.title for item in months[2]] == ["Roadshow Pori", "Deadline: AKKE kevät"]
    assert months[5] == []
    # The previous and next years keep the rest of the address.
    assert "?year=2022" in body and "?year=2024" in body
    # Funders read; only project managers get the links to add and edit.
    assert reverse("calendar-entry-create") not in body
    assert "/calendar/entries/" not in body


def test_managers_get_add_and_edit_links(manager, year_2023):
    entry = CalendarEntry.objects.get(title="Ohjausryhmä 1/2023")
    body = manager.get(reverse("calendar"), {"year": 2023}).content.decode()
    assert reverse("calendar-entry-create") in body
    assert reverse("calendar-entry-edit", args=[entry.pk]) in body


def test_without_a_year_the_page_shows_this_year(manager):
    response = manager.get(reverse("calendar"))
    assert response.context["year"] == timezone.localdate().year
    assert response.context["is_this_year"]


def test_the_year_field_shows_the_year_shown_on_first_load(manager):
    # 13.5.2026: the page shows 2026, and so does its Year field.
    body = manager.get(reverse("calendar")).content.decode()
    assert 'name="year" value="2026"' in body
    # With only a category chosen the year is still the one shown.
    body = manager.get(reverse("calendar"), {"category": "roadshow"}).content.decode()
    assert 'name="year" value="2026"' in body
    body = manager.get(reverse("calendar"), {"year": 2023}).content.decode()
    assert 'name="year" value="2023"' in body


def test_the_month_list_opens_at_this_month(manager):
    manager.cookies["django_language"] = "en"
    response = manager.get(reverse("calendar"))
    assert response.context["current_month"] == 5
    body = response.content.decode()
    # Every month can be linked to; May (13.5.2026) is marked and linked to from the top.
    assert [n for n, _month, _rows in response.context["months"]] == list(range(1, 13))
    assert 'id="month-1" tabindex="-1">January</h3>' in body
    assert (
        '<h3 class="month-heading" id="month-5" tabindex="-1" data-current-month '
        'aria-current="date">May <span class="this-month">this month</span></h3>'
    ) in body
    assert body.count("data-current-month") == 1
    assert '<a href="#month-5">Go to this month</a>' in body
    # The script that scrolls the list there is a file, not inline code.
    assert "js/calendar.js" in body
    assert_no_inline_code(body)


def test_another_year_has_no_current_month(manager):
    response = manager.get(reverse("calendar"), {"year": 2025})
    assert response.context["current_month"] is None
    body = response.content.decode()
    assert "data-current-month" not in body and "#month-" not in body


def test_filters_by_category_and_region_stay_in_the_links(manager, year_2023):
    response = manager.get(
        reverse("calendar"),
        {"year": 2023, "category": ["roadshow", "steering_group"], "region": region("06").pk},
    )
    # Pirkanmaa's meeting; the Pori event is in Satakunta.
    assert titles(response) == ["Ohjausryhmä 1/2023"]
    body = response.content.decode()
    assert f"year=2024&amp;category=roadshow&amp;category=steering_group&amp;region={region('06').pk}" in body


@pytest.mark.parametrize("year", ["abc", "99999", "1800", "2023.5"])
def test_a_bad_year_is_a_field_error_not_a_500(manager, year):
    response = manager.get(reverse("calendar"), {"year": year})
    assert response.status_code == 200
    assert response.context["filter_invalid"]
    assert response.context["items"] == []
    assert "field-errors" in response.content.decode()


def test_a_bad_region_is_a_field_error(manager):
    response = manager.get(reverse("calendar"), {"region": "99999999999999999999999"})
    assert response.status_code == 200
    assert response.context["filter_invalid"]


def test_the_page_is_in_finnish_by_default(manager, year_2023):
    with translation.override("fi"):
        body = manager.get(reverse("calendar"), {"year": 2023}, HTTP_ACCEPT_LANGUAGE="fi").content.decode()
    assert "Maaliskuu" in body  # month headings in the user's language
    assert "23.3." in body


@pytest.mark.parametrize("rows", [3, 30])
def test_calendar_queries_do_not_grow_with_rows(manager, rows, django_assert_max_num_queries):
    for n in range(rows):
        day = date(2024, 1, 1 + n % 28)
        RoadshowEventFactory(date=day)
        FundingCallFactory(deadline=datetime(2024, 6, 1 + n % 28, 16, 15, tzinfo=HELSINKI))
        CalendarEntryFactory(starts_on=day, region=region("06"), repeats_yearly=n % 2 == 0)
    with django_assert_max_num_queries(CALENDAR_QUERIES):
        response = manager.get(reverse("calendar"), {"year": 2024})
    assert len(response.context["items"]) == 3 * rows + 4


# Entries -------------------------------------------------------------------------------------


def entry_data(**overrides) -> dict:
    data = {
        "title": "Teemaryhmä: tekoäly",
        "category": "theme_group",
        "region": region("13").pk,
        "start_date": "2024-10-15",
        "start_time": "13:00",
        "end_date": "",
        "end_time": "16:00",
        "link": "",
        "description": "",
    }
    data.update(overrides)
    return data


def test_manager_adds_a_timed_entry_in_helsinki_time(manager, manager_user):
    response = manager.post(reverse("calendar-entry-create"), entry_data())
    assert response.status_code == 302
    assert response["Location"] == "/calendar/?year=2024"
    entry = CalendarEntry.objects.get()
    # 13.00 in October (summer time, +3) is 10.00 UTC.
    assert entry.starts_at == datetime(2024, 10, 15, 10, 0, tzinfo=ZoneInfo("UTC"))
    assert entry.ends_at == datetime(2024, 10, 15, 13, 0, tzinfo=ZoneInfo("UTC"))
    assert entry.starts_on is None and entry.created_by == manager_user


def test_manager_adds_an_all_day_yearly_entry(manager):
    manager.post(
        reverse("calendar-entry-create"),
        entry_data(start_time="", end_time="", end_date="2024-10-17", repeats_yearly="on"),
    )
    entry = CalendarEntry.objects.get()
    assert (entry.starts_on, entry.ends_on, entry.starts_at) == (date(2024, 10, 15), date(2024, 10, 17), None)
    assert entry.repeats_yearly


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"title": "  "}, "title"),
        ({"start_date": ""}, "start_date"),
        ({"start_date": "31.2.2024"}, "start_date"),
        ({"start_time": "", "end_date": "2024-10-14", "end_time": ""}, "end_date"),
        ({"end_time": "12:00"}, "end_time"),
        ({"start_time": "", "end_time": "12:00"}, "start_time"),
        ({"end_date": "2024-10-16", "end_time": ""}, "end_time"),
        ({"end_date": "2024-10-01", "end_time": ""}, "end_date"),  # a timed entry ending earlier
        ({"category": "birthday"}, "category"),
        ({"category": "call_deadline"}, "category"),  # comes from the calls themselves
        ({"link": "not a link"}, "link"),
        ({"region": "99999999999999999999999"}, "region"),
    ],
)
def test_bad_entries_are_refused_at_the_field(manager, overrides, field):
    response = manager.post(reverse("calendar-entry-create"), entry_data(**overrides))
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert not CalendarEntry.objects.exists()


def test_edit_shows_the_stored_times_in_helsinki_time_and_saves(manager):
    entry = CalendarEntryFactory(
        starts_on=None, starts_at=datetime(2024, 1, 9, 11, 0, tzinfo=ZoneInfo("UTC"))
    )
    url = reverse("calendar-entry-edit", args=[entry.pk])
    body = manager.get(url).content.decode()
    assert 'value="13:00"' in body and 'value="2024-01-09"' in body
    assert_no_inline_code(body)
    response = manager.post(url, entry_data(title="Siirretty", start_date="2024-01-10", end_time=""))
    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.title == "Siirretty"
    assert entry.starts_at == datetime(2024, 10, 15, 10, 0, tzinfo=ZoneInfo("UTC")).replace(
        month=1, day=10, hour=11
    )


def test_delete_asks_then_deletes(manager):
    entry = CalendarEntryFactory(starts_on=date(2024, 3, 1))
    url = reverse("calendar-entry-delete", args=[entry.pk])
    assert "Poista" in manager.get(url).content.decode()
    response = manager.post(url)
    assert response["Location"] == "/calendar/?year=2024"
    assert not CalendarEntry.objects.exists()


def test_funders_cannot_write(funder):
    entry = CalendarEntryFactory()
    assert funder.post(reverse("calendar-entry-create"), entry_data()).status_code == 403
    assert funder.post(reverse("calendar-entry-delete", args=[entry.pk])).status_code == 403
    assert CalendarEntry.objects.count() == 1


# The feed page -------------------------------------------------------------------------------


def _feed_secret(body: str) -> str:
    match = re.search(r"http://testserver/calendar/feed/([A-Za-z0-9_-]+)\.ics", body)
    assert match, "no feed address on the page"
    return match.group(1)


def test_feed_page_shows_the_addresses_once_when_made(funder, funder_user):
    funder.cookies["django_language"] = "en"
    response = funder.get(reverse("calendar-feeds"))
    body = response.content.decode()
    token = _feed_secret(body)
    assert FeedToken.objects.get(user=funder_user).key == token[:8]
    assert f"http://testserver/calendar/feed/{token}.ics" in body
    assert f"http://testserver/calendar/feed/{token}/call_deadline.ics" in body
    assert response["Cache-Control"] == "no-store"
    assert 'data-copy="feed-all"' in body
    assert_no_inline_code(body)
    # The next visit cannot show the address (only its digest is kept): it says so, names
    # the key's first characters, and offers a renewal.
    later = funder.get(reverse("calendar-feeds"))
    body = later.content.decode()
    assert token not in body
    assert "/calendar/feed/" not in body
    assert f"<code>{token[:8]}</code>" in body
    assert "cannot show them again" in body
    assert reverse("calendar-feed-reset") in body
    assert_no_inline_code(body)
    # A renewal shows new addresses on its own answer, and only there.
    renewed = funder.post(reverse("calendar-feed-reset"))
    assert renewed.status_code == 200
    assert renewed["Cache-Control"] == "no-store"
    new = _feed_secret(renewed.content.decode())
    assert new != token
    assert "renewed" in renewed.content.decode()
    assert new not in funder.get(reverse("calendar-feeds")).content.decode()
