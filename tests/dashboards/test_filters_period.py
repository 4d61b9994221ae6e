"""Period arithmetic: the previous period and the same period a year earlier, and labels."""

from __future__ import annotations

from datetime import date

import pytest
from django.http import QueryDict

from dashboards.filters import QUARTER, RANGE, YEAR, Period, dashboard_filter


def test_a_quarter_follows_the_previous_quarter_across_a_year_end():
    q1 = Period(date(2023, 1, 1), date(2023, 3, 31))
    assert q1.kind == QUARTER and q1.label() == "Q1/2023"
    assert q1.previous() == Period(date(2022, 10, 1), date(2022, 12, 31))
    assert q1.previous().label() == "Q4/2022"
    assert q1.year_earlier() == Period(date(2022, 1, 1), date(2022, 3, 31))


@pytest.mark.parametrize(
    ("start", "end", "previous", "label"),
    [
        (date(2023, 4, 1), date(2023, 6, 30), (date(2023, 1, 1), date(2023, 3, 31)), "Q2/2023"),
        (date(2023, 7, 1), date(2023, 9, 30), (date(2023, 4, 1), date(2023, 6, 30)), "Q3/2023"),
        (date(2023, 10, 1), date(2023, 12, 31), (date(2023, 7, 1), date(2023, 9, 30)), "Q4/2023"),
        # Q1 of a leap year is 91 days, the previous quarter 92: quarters, not day counts.
        (date(2024, 1, 1), date(2024, 3, 31), (date(2023, 10, 1), date(2023, 12, 31)), "Q1/2024"),
    ],
)
def test_every_quarter_has_the_quarter_before(start, end, previous, label):
    period = Period(start, end)
    assert period.label() == label
    assert period.previous() == Period(*previous)


def test_a_year_follows_the_previous_year():
    year = Period(date(2023, 1, 1), date(2023, 12, 31))
    assert year.kind == YEAR and year.label() == "2023"
    assert year.previous() == Period(date(2022, 1, 1), date(2022, 12, 31))
    assert year.year_earlier() == year.previous()
    assert year.previous().label() == "2022"


def test_a_from_to_period_follows_as_many_days_just_before():
    # 10.–20.3.2023 is 11 days; the 11 days before end on 9.3.
    period = Period(date(2023, 3, 10), date(2023, 3, 20))
    assert period.kind == RANGE and period.label() == "10.3.–20.3.2023"
    assert period.previous() == Period(date(2023, 2, 27), date(2023, 3, 9))
    assert period.year_earlier() == Period(date(2022, 3, 10), date(2022, 3, 20))
    # A month in a leap year: the 31 days before 1.3.2024 start on 30.1.
    march = Period(date(2024, 3, 1), date(2024, 3, 31))
    assert march.previous() == Period(date(2024, 1, 30), date(2024, 2, 29))


def test_a_from_to_period_across_a_year_end_names_both_years():
    period = Period(date(2022, 12, 1), date(2023, 1, 31))
    assert period.label() == "1.12.2022–31.1.2023"
    assert period.previous() == Period(date(2022, 9, 30), date(2022, 11, 30))


def test_a_leap_day_a_year_earlier_is_the_28th_of_february():
    assert Period(date(2024, 2, 29), date(2024, 2, 29)).year_earlier() == Period(
        date(2023, 2, 28), date(2023, 2, 28)
    )
    assert Period(date(2024, 2, 1), date(2024, 2, 29)).year_earlier() == Period(
        date(2023, 2, 1), date(2023, 2, 28)
    )


def test_days_that_make_a_calendar_quarter_compare_as_the_quarter():
    period = Period(date(2023, 4, 1), date(2023, 6, 30))
    assert period.kind == QUARTER
    # Two whole quarters are a range of days, not a quarter.
    assert Period(date(2023, 1, 1), date(2023, 6, 30)).kind == RANGE


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("query", "chosen"),
    [
        ("", False),
        ("theme=1", False),
        ("year=2023", True),
        ("year=2023&quarter=2", True),
        ("start=2023-03-10", True),
        ("end=2023-03-10", True),
        ("quarter=2", False),  # invalid without a year: nothing is drawn
    ],
)
def test_only_a_chosen_period_has_something_to_compare_with(query, chosen):
    assert dashboard_filter(QueryDict(query)).period_chosen is chosen
