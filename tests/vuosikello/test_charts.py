"""The year wheel figure: twelve month sectors, entries by date and category, today marked."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.utils import translation

from vuosikello import charts
from vuosikello.selectors import CalendarItem


def item(day, category="roadshow", title="Roadshow", **kwargs) -> CalendarItem:
    return CalendarItem(kind="event", source_id=1, category=category, title=title, start=day, **kwargs)


def test_month_sectors_and_labels_in_the_users_language():
    with translation.override("fi"):
        figure = charts.figure([], year=2023)
    polar = figure.layout.polar
    assert list(polar.angularaxis.ticktext) == [
        "Tammikuu", "Helmikuu", "Maaliskuu", "Huhtikuu", "Toukokuu", "Kesäkuu",
        "Heinäkuu", "Elokuu", "Syyskuu", "Lokakuu", "Marraskuu", "Joulukuu",
    ]
    assert polar.angularaxis.direction == "clockwise" and polar.angularaxis.rotation == 90
    [sectors] = [t for t in figure.data if t.type == "barpolar"]
    # The sectors' widths are the months' lengths and go round the circle once.
    assert sum(sectors.width) == pytest.approx(360)
    assert sectors.width[1] == pytest.approx(28 / 365 * 360)
    assert sectors.theta[0] == pytest.approx(31 / 365 * 360 / 2)


def test_entries_are_placed_by_date_and_coloured_by_category():
    items = [
        item(date(2024, 1, 1)),
        item(date(2024, 7, 2), title="Summer <b>party</b>"),
        item(datetime(2024, 12, 31, 16, 15, tzinfo=ZoneInfo("Europe/Helsinki")), category="call_deadline",
             title="Deadline"),
    ]
    figure = charts.figure(items, year=2024)
    traces = {t.name: t for t in figure.data if t.type == "scatterpolar"}
    assert set(traces) == {"Roadshow event", "Call deadline"}
    roadshow = traces["Roadshow event"]
    # 2024 has 366 days: the middle of day n is at (n - 0.5) / 366 of the circle.
    assert list(roadshow.theta) == pytest.approx([0.5 / 366 * 360, 183.5 / 366 * 360])
    assert roadshow.marker.color == charts.CATEGORY_COLORS["roadshow"]
    assert traces["Call deadline"].marker.color != roadshow.marker.color
    assert traces["Call deadline"].r[0] != roadshow.r[0]  # a ring of its own
    # Hover labels: the title (user text kept as text) and the date.
    assert roadshow.customdata[1][0] == "Summer &lt;b&gt;party&lt;/b&gt;"
    assert roadshow.customdata[0][1] == "1.1.2024"
    assert traces["Call deadline"].customdata[0][1] == "31.12.2024 16:15"
    assert "%{customdata[0]}" in roadshow.hovertemplate


def test_today_is_marked_only_in_its_own_year():
    marked = charts.figure([item(date(2024, 3, 1))], year=2024, today=date(2024, 4, 1))
    [line] = [t for t in marked.data if t.type == "scatterpolar" and t.mode == "lines"]
    assert list(line.theta) == pytest.approx([91.5 / 366 * 360] * 2)
    other = charts.figure([item(date(2024, 3, 1))], year=2024, today=date(2025, 4, 1))
    assert [t for t in other.data if t.type == "scatterpolar" and t.mode == "lines"] == []


def test_an_empty_year_says_so():
    figure = charts.figure([], year=2024)
    assert [a.text for a in figure.layout.annotations] == ["No entries this year."]
