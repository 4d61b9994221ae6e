"""Regions: events hosted, participants, ideas involving the region and € granted shared out
among the regions."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import plotly.graph_objects as go
import pytest
from django.http import QueryDict
from django.utils import translation

from dashboards.charts import MONEY
from dashboards.charts import regions as chart
from dashboards.filters import dashboard_filter
from dashboards.selectors import DashboardData
from dashboards.selectors.regions import regions
from funding.models import FundingApplication
from funding.selectors import region_share_rule
from portfolio.models import Region, RoadshowEvent
from tests.factories import (
    FundingApplicationFactory,
    IdeaFactory,
    RoadshowEventFactory,
    ThemeFactory,
    instrument,
    region,
)

pytestmark = pytest.mark.django_db

HELSINKI = ZoneInfo("Europe/Helsinki")
Status = FundingApplication.Status
CODES = ["01", "02", "04", "05", "06", "07", "08", "09", "10", "11", "12", "13", "14", "15",
         "16", "17", "18", "19", "21"]


def data_for(query: str = "") -> DashboardData:
    return DashboardData.from_filter(dashboard_filter(QueryDict(query)))


def rows_for(query: str = ""):
    return regions(data_for(query))


def idea(title: str, created: date, *codes: str):
    return IdeaFactory(
        title=title,
        at=datetime(created.year, created.month, created.day, 10, tzinfo=HELSINKI),
        regions=[region(code) for code in codes],
    )


def approved(idea, granted: str, decided: date, code: str = "akke"):
    return FundingApplicationFactory(
        idea=idea,
        instrument=instrument(code),
        status=Status.APPROVED,
        submitted_on=date(2022, 10, 1),
        decided_on=decided,
        granted=Decimal(granted),
        requested=Decimal("150000"),
    )


@pytest.fixture
def portfolio() -> None:
    hybrid, onsite, online = (RoadshowEvent.Format.HYBRID, RoadshowEvent.Format.ONSITE,
                              RoadshowEvent.Format.ONLINE)
    RoadshowEventFactory(date=date(2023, 3, 15), host_region=region("06"), format=hybrid,
                         participants_onsite=30, participants_online=20)
    RoadshowEventFactory(date=date(2023, 9, 10), host_region=region("06"), format=onsite,
                         participants_onsite=40, participants_online=0)
    RoadshowEventFactory(date=date(2023, 5, 5), host_region=region("01"), format=online,
                         participants_onsite=0, participants_online=25)
    RoadshowEventFactory(date=date(2022, 11, 11), host_region=region("02"), format=hybrid,
                         participants_onsite=30, participants_online=20)

    one = idea("Pirkanmaa and Uusimaa", date(2023, 2, 1), "06", "01")
    two = idea("Pirkanmaa only", date(2023, 6, 1), "06")
    three = idea("Southwest, from 2022", date(2022, 5, 1), "02")
    four = idea("No region", date(2023, 3, 1))

    approved(one, "100000", date(2023, 4, 1))
    approved(one, "20000", date(2023, 10, 1), code="eakr")
    approved(two, "15000", date(2023, 7, 1))
    approved(two, "50000", date(2024, 1, 10))  # decided after 2023
    approved(three, "80000", date(2023, 8, 1), code="eakr")
    approved(four, "30000", date(2023, 6, 1))  # an idea with no region counts in none
    FundingApplicationFactory(
        idea=two, instrument=instrument("akke"), status=Status.REJECTED,
        submitted_on=date(2023, 1, 1), decided_on=date(2023, 5, 1),
    )


def expected(values: dict[str, tuple[int, int, int, str]]) -> dict[str, tuple]:
    """Every region's (events, participants, ideas, granted), zeros where not given."""
    result = {}
    for code in CODES:
        events, participants, ideas, granted = values.get(code, (0, 0, 0, "0"))
        result[code] = (events, participants, ideas, Decimal(granted))
    return result


def as_dict(rows) -> dict[str, tuple]:
    return {row.code: (row.events, row.participants, row.ideas, row.granted) for row in rows.rows}


YEAR_2023 = {
    # The first idea's 100 000 + 20 000 € half each to Pirkanmaa and Uusimaa (no consortium
    # shares recorded), the second's 15 000 € to Pirkanmaa.
    "06": (2, 90, 2, "75000"),
    "01": (1, 25, 1, "60000"),
    "02": (0, 0, 0, "80000"),  # the idea is from 2022; its grant is from 2023
}
# The region-less idea's 30 000 € are in no region; with them the rows add up to the total.
YEAR_2023_TOTAL = Decimal("245000")


def test_every_region_in_code_order_with_its_four_numbers(portfolio):
    rows = rows_for("year=2023")

    assert [row.code for row in rows.rows] == CODES
    assert as_dict(rows) == expected(YEAR_2023)
    assert all(isinstance(row.granted, Decimal) for row in rows.rows)
    assert (rows.events, rows.participants) == (3, 115)
    assert rows.unplaced == Decimal("30000")
    assert rows.granted == YEAR_2023_TOTAL
    assert sum(row.granted for row in rows.rows) + rows.unplaced == YEAR_2023_TOTAL


def test_figure_has_one_panel_per_measure_sharing_the_regions(portfolio):
    rows = rows_for("year=2023")
    figure = chart.figure(rows)

    names = [region(code).name for code in CODES]
    assert [trace.type for trace in figure.data] == ["bar"] * 4
    assert all(trace.orientation == "h" for trace in figure.data)
    assert all(list(trace.y) == names for trace in figure.data)
    values = expected(YEAR_2023)
    assert list(figure.data[0].x) == [values[code][0] for code in CODES]
    assert list(figure.data[1].x) == [values[code][1] for code in CODES]
    assert list(figure.data[2].x) == [values[code][2] for code in CODES]
    assert list(figure.data[3].x) == [float(values[code][3]) for code in CODES]
    assert sum(figure.data[3].x) == 215000.0  # the regions' share of the 245 000 €
    # Each measure in its own panel.
    assert [trace.xaxis for trace in figure.data] == ["x", "x2", "x3", "x4"]
    assert [a.text for a in figure.layout.annotations] == [
        "Events hosted", "Participants", "Ideas involving the region", "€ granted, shared out",
    ]
    assert figure.layout.yaxis.autorange == "reversed"
    assert all("%{y}" in trace.hovertemplate and "%{x" in trace.hovertemplate
               for trace in figure.data)
    assert figure.data[3].marker.color == "#1f4e79"


def test_caption_and_table(portfolio):
    rows = rows_for("year=2023")

    assert chart.caption(rows) == (
        "3 events hosted in 2 regions, 115 participants; most ideas involve Pirkanmaa (2); "
        "the largest share of the € granted went to Southwest Finland (80,000 € of 245,000 €). "
        + region_share_rule()
    )
    assert "shared out among regions" in region_share_rule()
    table = chart.table(rows)
    assert [column.header for column in table.columns] == [
        "Region", "Events hosted", "Participants", "Ideas involving the region (not added up)",
        "€ granted, shared out",
    ]
    assert table.columns[4].number_format == MONEY
    assert len(table.rows) == 19 + 2
    assert table.rows[0] == ["Uusimaa", 1, 25, 1, Decimal("60000")]
    assert table.rows[4] == ["Pirkanmaa", 2, 90, 2, Decimal("75000")]
    assert table.rows[1] == ["Southwest Finland", 0, 0, 0, Decimal("80000")]
    # The ideas are not added up: the first idea involves two regions.
    assert table.rows[-2] == ["No region", None, None, None, Decimal("30000")]
    assert table.rows[-1] == ["Total", 3, 115, None, YEAR_2023_TOTAL]
    assert sum(row[4] for row in table.rows[:-1]) == table.rows[-1][4]


def test_caption_grammar_for_one_event_in_one_region(portfolio):
    rows = rows_for("start=2023-05-01&end=2023-05-31")
    assert chart.caption(rows).startswith("1 event hosted in 1 region, 25 participants.")


def test_caption_in_finnish(portfolio):
    with translation.override("fi"):
        rows = rows_for("year=2023")
        text = chart.caption(rows)
    assert "Pirkanmaa" in text
    assert "80\xa0000 €" in text or "80 000 €" in text


def test_an_instrument_keeps_its_ideas_and_grants_and_leaves_the_events(portfolio):
    rows = rows_for(f"year=2023&instrument={instrument('akke').pk}")

    # The second idea and the region-less one have AKKE applications; only AKKE grants count.
    assert as_dict(rows) == expected({
        "06": (2, 90, 2, "65000"),
        "01": (1, 25, 1, "50000"),
    })
    assert rows.unplaced == Decimal("30000")
    assert list(chart.figure(rows).data[3].x)[:2] == [50000.0, 0.0]


def test_a_region_keeps_the_ideas_involving_it_and_their_other_regions(portfolio):
    rows = rows_for(f"year=2023&region={region('01').pk}")

    # The events follow the region filter: only those Uusimaa hosted.
    assert as_dict(rows) == expected({
        "06": (0, 0, 1, "60000"),
        "01": (1, 25, 1, "60000"),
    })
    assert rows.granted == Decimal("120000")


def test_the_events_follow_the_theme_filter(portfolio):
    robots = ThemeFactory(name_fi="Robotiikka")
    event = RoadshowEvent.objects.get(date=date(2023, 9, 10))
    event.themes.set([robots])
    rows = rows_for(f"year=2023&theme={robots.pk}")
    # No idea has the theme; of the events only the one with the theme counts.
    assert as_dict(rows) == expected({"06": (1, 40, 0, "0")})


def test_a_theme_or_stage_filter_changes_the_ideas_not_the_events(portfolio):
    rows = rows_for("year=2023&stage=completed")

    assert as_dict(rows) == expected({"06": (2, 90, 0, "0"), "01": (1, 25, 0, "0")})


def test_another_period(portfolio):
    rows = rows_for("year=2022")
    assert as_dict(rows) == expected({"02": (1, 50, 1, "0")})

    rows = rows_for("start=2023-06-01&end=2024-06-30")
    assert as_dict(rows) == expected({
        "06": (1, 40, 1, "75000"),  # 20 000 / 2 + 15 000 + 50 000
        "01": (0, 0, 0, "10000"),
        "02": (0, 0, 0, "80000"),
    })
    assert rows.unplaced == Decimal("30000")  # decided 1.6.2023


def test_without_data_the_figure_is_empty_but_valid():
    rows = rows_for("year=2023")

    assert rows.is_empty
    assert len(rows.rows) == Region.objects.count() == 19
    figure = chart.figure(rows)
    assert [set(trace.x) for trace in figure.data] == [{0}, {0}, {0}, {0.0}]
    go.Figure(figure.to_dict())
    assert figure.to_json()
    assert chart.caption(rows) == (
        "No events, ideas or funding decisions in any region in the period."
    )
    assert chart.table(rows).rows[0] == ["Uusimaa", 0, 0, 0, Decimal("0")]


def test_only_grants_without_events(portfolio):
    rows = rows_for("start=2024-01-01&end=2024-01-31")

    assert chart.caption(rows) == (
        "No events hosted; the largest share of the € granted went to Pirkanmaa "
        "(50,000 € of 50,000 €). " + region_share_rule()
    )


def test_query_count_does_not_grow_with_the_ideas(portfolio, django_assert_num_queries):
    data = data_for("year=2023")
    data.regions  # the page's shared reference list
    # From the summary tables: the shared € of every idea, the ideas with € outside the
    # period; then the ideas and events per region.
    with django_assert_num_queries(3):
        regions(data)

    for n in range(20):
        more = idea(f"More {n}", date(2023, 4, 1), "06", "17")
        approved(more, "1000", date(2023, 11, 1))
        RoadshowEventFactory(date=date(2023, 4, n + 1), host_region=region("17"))
    data = data_for("year=2023")
    data.regions
    with django_assert_num_queries(3):
        rows = regions(data)
    assert as_dict(rows)["17"] == (20, 1000, 20, Decimal("10000"))
    assert as_dict(rows)["06"] == (2, 90, 22, Decimal("85000"))
