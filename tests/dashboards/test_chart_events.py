"""Outcomes per event on the dashboard: the event pages' numbers under the dashboard's
filters and window, adding up to the leverage's numerator for the same window."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from io import BytesIO

import plotly.graph_objects as go
import pytest
from django.http import QueryDict
from django.urls import reverse
from openpyxl import load_workbook

from dashboards.charts import events as chart
from dashboards.filters import dashboard_filter
from dashboards.selectors import DashboardData
from dashboards.selectors.events import events
from dashboards.selectors.leverage import leverage
from tests import outcomes_data
from tests.factories import instrument, region

pytestmark = pytest.mark.django_db


def data_for(query: str = "") -> DashboardData:
    return DashboardData.from_filter(dashboard_filter(QueryDict(query)))


@pytest.fixture(autouse=True)
def network(settings):
    settings.NETWORK_OWN_FUNDING = Decimal(260000)
    settings.NETWORK_START_DATE = date(2022, 1, 1)
    settings.NETWORK_END_DATE = date(2023, 12, 31)
    settings.NETWORK_FOLLOW_ON_START = date(2024, 1, 1)
    settings.NETWORK_FOLLOW_ON_END = date(2025, 12, 31)


@pytest.fixture
def portfolio() -> dict:
    return outcomes_data.build()


def test_rows_per_event_oldest_first(portfolio):
    rows = events(data_for())

    assert rows.window.key == "funding"
    assert [(r.title, r.born, r.consortium, r.applied, r.requested, r.funded, r.granted)
            for r in rows.rows] == [
        ("Tampere", 2, 1, 2, Decimal(250000), 1, Decimal(100000)),
        ("Oulu", 2, 1, 1, Decimal(250000), 2, Decimal(80000)),
        ("Quiet", 0, 0, 0, Decimal(0), 0, Decimal(0)),
    ]
    assert [r.conversion for r in rows.rows] == [0.5, 1.0, None]


QUERIES = [
    ("", "funding"),
    ("", "follow_on"),
    ("", "all"),
    ("year=2023", "period"),
    ("year=2023&quarter=2", "period"),
    ("year=2022", "period"),
    ("region={oulu}", "funding"),
    ("region={oulu}", "all"),
    ("instrument={akke}", "all"),
    ("instrument={akke}&year=2024", "period"),
    ("stage=dropped", "all"),
]


@pytest.mark.parametrize(("query", "window"), QUERIES)
def test_granted_over_the_events_equals_the_leverage_numerator(portfolio, query, window):
    query = query.format(oulu=region("17").pk, akke=instrument("akke").pk)
    data = data_for(query)

    per_event = events(data, window=window)
    lever = leverage(data, window=window)

    assert per_event.totals.granted == lever.granted
    assert per_event.window == lever.window


def test_the_windows_worked_by_hand(portfolio):
    granted = {
        (query, window): events(data_for(query), window=window).totals.granted
        for query, window in [
            ("", "funding"), ("", "follow_on"), ("", "all"), ("year=2023&quarter=2", "period"),
        ]
    }
    assert granted == {
        ("", "funding"): Decimal(180000),
        ("", "follow_on"): Decimal(200000),
        ("", "all"): Decimal(420000),
        # A's 100 000 and B's 50 000, both decided on 1.6.2023.
        ("year=2023&quarter=2", "period"): Decimal(150000),
    }


def test_caption_table_and_figure(portfolio):
    rows = events(data_for())

    text = chart.caption(rows).replace("\xa0", " ")
    assert "conversion = funded ÷ born" in text
    assert "Window: the network's funding period" in text
    assert "3 events: 4 ideas born, 3 funded (75.0 %)" in text
    assert "180,000 € granted, the leverage's numerator for the same window" in text

    table = chart.table(rows)
    assert [c.header for c in table.columns] == [
        "Event", "Date", "Host region", "Ideas born", "Reached consortium", "Applied (ideas)",
        "€ requested", "Funded (ideas)", "€ granted", "Conversion",
    ]
    assert table.rows[0] == [
        "Tampere", date(2022, 3, 15), "Pirkanmaa", 2, 1, 2, Decimal(250000), 1,
        Decimal(100000), Decimal("0.5"),
    ]
    assert table.rows[2][-1] is None
    (heading, totals), = chart.extra_tables(rows)
    assert totals.rows == [
        ["All events", 4, 2, 3, Decimal(500000), 3, Decimal(180000), Decimal("0.75")]
    ]

    figure = chart.figure(rows)
    assert isinstance(go.Figure(figure.to_dict()), go.Figure)
    requested, granted = figure.data
    assert list(granted.x) == [0, 80000, 100000]  # the oldest event at the top
    assert granted.y[-1].startswith("Tampere")


def test_no_events_give_a_valid_figure():
    rows = events(data_for())
    assert rows.rows == []
    figure = chart.figure(rows)
    assert figure.data and isinstance(go.Figure(figure.to_dict()), go.Figure)


def test_the_panel_and_its_download_follow_the_window(portfolio, funder):
    funder.cookies["django_language"] = "en"
    body = funder.get(reverse("dashboard"), {"window": "all"}).content.decode()
    assert 'id="events-caption"' in body
    assert "all decisions to date" in body
    assert 'href="?window=funding#events"' in body

    response = funder.get(reverse("dashboard-download", args=["events"]), {"window": "all"})
    sheet = load_workbook(BytesIO(b"".join(response.streaming_content))).active
    values = list(sheet.values)
    assert values[0][0] == "Outcomes per event"  # the heading, then the table
    header = next(index for index, row in enumerate(values) if row[0] == "Event")
    granted = {row[0]: row[8] for row in values[header + 1 :]}
    assert granted == {"Tampere": 140000, "Oulu": 280000, "Quiet": 0}


def test_under_a_period_the_events_and_their_ideas_are_as_at_its_end():
    """Q2/2023: only the events held by 30.6.2023, the ideas born there by then and the
    consortium moves made by then count; all to date counts them all."""
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from portfolio.stages import Stage
    from tests.factories import IdeaFactory, RoadshowEventFactory, advance

    def at(day: date) -> datetime:
        return datetime(day.year, day.month, day.day, 12, tzinfo=ZoneInfo("Europe/Helsinki"))

    held = RoadshowEventFactory(title="Held", date=date(2023, 3, 1))
    RoadshowEventFactory(title="Later", date=date(2023, 9, 1))
    early, late_move, born_later = (
        IdeaFactory(origin_event=held, at=at(created))
        for created in (date(2023, 3, 10), date(2023, 3, 12), date(2023, 8, 1))
    )
    advance(early, Stage.CONSORTIUM, at=at(date(2023, 5, 1)))
    advance(late_move, Stage.CONSORTIUM, at=at(date(2023, 8, 15)))

    quarter = events(data_for("year=2023&quarter=2"))
    assert quarter.as_at == date(2023, 6, 30)
    assert [(r.title, r.born, r.consortium) for r in quarter.rows] == [("Held", 2, 1)]
    assert "held by the period's end" in chart.caption(quarter)

    to_date = events(data_for())
    assert to_date.as_at is None
    assert [(r.title, r.born, r.consortium) for r in to_date.rows] == [
        ("Held", 3, 2), ("Later", 0, 0)
    ]
