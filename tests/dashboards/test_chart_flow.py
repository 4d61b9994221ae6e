"""The flow Sankey: ideas created in the period, from their origin event's host region through
their stage to funded / not funded, against numbers worked out by hand from a known portfolio."""

from __future__ import annotations

import json
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.http import QueryDict

from dashboards.charts import flow as chart
from dashboards.filters import dashboard_filter
from dashboards.selectors import DashboardData
from dashboards.selectors.flow import Flow, flow
from tests.factories import (
    FundingApplicationFactory,
    IdeaFactory,
    RoadshowEventFactory,
    instrument,
    region,
)

pytestmark = pytest.mark.django_db

HELSINKI = ZoneInfo("Europe/Helsinki")


def at(*args) -> datetime:
    return datetime(*args, tzinfo=HELSINKI)


def data_for(query: str = "") -> DashboardData:
    return DashboardData.from_filter(dashboard_filter(QueryDict(query)))


def rows_of(result: Flow) -> list[tuple]:
    return [(r.region_code, r.stage, r.ideas, r.funded) for r in result.rows]


def links_of(figure) -> set[tuple[str, str, int]]:
    sankey = figure.data[0]
    labels = sankey.node.label
    return {
        (labels[s], labels[t], v)
        for s, t, v in zip(sankey.link.source, sankey.link.target, sankey.link.value)
    }


@pytest.fixture
def portfolio():
    """Ideas of 2023 from two events (hosted in 06 and 02) and without an event, one of
    2022, and two either side of New Year's midnight in Helsinki."""
    pirkanmaa = RoadshowEventFactory(host_region=region("06"))
    southwest = RoadshowEventFactory(host_region=region("02"))
    IdeaFactory(title="A1", origin_event=pirkanmaa, at=at(2023, 2, 1, 10))
    IdeaFactory(title="A2", origin_event=pirkanmaa, at=at(2023, 3, 1, 10))
    # Funded through AKKE (the trait's approval); also turned down by Business Finland.
    b = IdeaFactory(
        title="B", origin_event=pirkanmaa, at=at(2023, 4, 1, 10), in_implementation=True
    )
    FundingApplicationFactory(idea=b, instrument=instrument("bf-rdi"), rejected=True)
    IdeaFactory(title="C", origin_event=southwest, at=at(2023, 5, 1, 10), in_application=True)
    IdeaFactory(title="D", at=at(2023, 6, 1, 10), in_consortium=True)
    IdeaFactory(title="E", at=at(2023, 7, 1, 10), dropped=True)
    # Approved by Business Finland but not yet moved on: funded, still in application.
    f = IdeaFactory(title="F", at=at(2023, 8, 1, 10), in_application=True)
    FundingApplicationFactory(idea=f, instrument=instrument("bf-rdi"), approved=True)
    IdeaFactory(title="H", at=at(2023, 12, 31, 23, 30))  # 21:30 UTC: still 2023 in Helsinki
    IdeaFactory(title="I", at=at(2024, 1, 1, 0, 30))  # 2023 in UTC, 2024 in Helsinki
    IdeaFactory(
        title="G", origin_event=pirkanmaa, at=at(2022, 9, 1, 10), in_implementation=True
    )


def test_rows_and_sankey_links_of_a_year(portfolio):
    result = flow(data_for("year=2023"))

    assert rows_of(result) == [
        ("02", "application", 1, 0),  # C
        ("06", "idea", 2, 0),  # A1, A2
        ("06", "implementation", 1, 1),  # B
        (None, "idea", 1, 0),  # H
        (None, "consortium", 1, 0),  # D
        (None, "application", 1, 1),  # F
        (None, "dropped", 1, 0),  # E
    ]
    assert (result.ideas, result.from_events, result.funded) == (8, 4, 2)

    figure = chart.figure(result)
    southwest, pirkanmaa = region("02").name, region("06").name
    assert list(figure.data[0].node.label) == [
        southwest, pirkanmaa, "No event",
        "Idea", "Consortium forming", "Funding application", "Implementation", "Dropped",
        "Funded", "Not funded",
    ]
    assert links_of(figure) == {
        (southwest, "Funding application", 1),
        (pirkanmaa, "Idea", 2),
        (pirkanmaa, "Implementation", 1),
        ("No event", "Idea", 1),
        ("No event", "Consortium forming", 1),
        ("No event", "Funding application", 1),
        ("No event", "Dropped", 1),
        ("Idea", "Not funded", 3),
        ("Consortium forming", "Not funded", 1),
        ("Funding application", "Funded", 1),
        ("Funding application", "Not funded", 1),
        ("Implementation", "Funded", 1),
        ("Dropped", "Not funded", 1),
    }
    # Every idea leaves the middle column exactly once.
    assert sum(figure.data[0].link.value) == 2 * 8


def test_stage_nodes_have_the_stage_colours(portfolio):
    from dashboards.charts.colors import STAGE_COLORS

    sankey = chart.figure(flow(data_for("year=2023"))).data[0]
    colours = dict(zip(sankey.node.label, sankey.node.color))
    assert colours["Idea"] == STAGE_COLORS["idea"]
    assert colours["Implementation"] == STAGE_COLORS["implementation"]
    assert colours["Dropped"] == STAGE_COLORS["dropped"]
    assert "%{value}" in sankey.node.hovertemplate
    # Stages are placed down the middle column in pipeline order, not where Plotly likes.
    heights = [y for x, y in zip(sankey.node.x, sankey.node.y) if x == 0.5]
    assert len(heights) == 5 and heights == sorted(heights)
    assert "%{source.label}" in sankey.link.hovertemplate


def test_caption_states_the_key_numbers(portfolio):
    text = chart.caption(flow(data_for("year=2023")))
    assert text == (
        "Of the 8 ideas created in the period, 4 were born at roadshow events; "
        "2 have been funded so far (25.0\xa0%)."
    )


def test_table_has_every_row_and_a_total(portfolio):
    table = chart.table(flow(data_for("year=2023")))
    assert [c.header for c in table.columns] == [
        "Origin event's host region", "Stage now", "Ideas", "Funded", "Not funded",
    ]
    assert table.rows[0] == [region("02").name, "Funding application", 1, 0, 1]
    assert table.rows[-2] == ["No event", "Dropped", 1, 0, 1]
    assert table.rows[-1] == ["Total", "", 8, 2, 6]


def test_period_limits_ideas_to_those_created_in_it(portfolio):
    assert rows_of(flow(data_for("year=2022"))) == [("06", "implementation", 1, 1)]
    assert rows_of(flow(data_for("year=2024&quarter=1"))) == [(None, "idea", 1, 0)]
    # A from–to period counts whole days in Helsinki: 31 December takes in H, not I.
    assert rows_of(flow(data_for("start=2023-12-31&end=2023-12-31"))) == [
        (None, "idea", 1, 0)
    ]
    assert flow(data_for("start=2023-08-01&end=2023-12-31")).ideas == 2  # F, H


def test_instrument_filter_narrows_ideas_and_what_counts_as_funded(portfolio):
    bf = instrument("bf-rdi")
    result = flow(data_for(f"year=2023&instrument={bf.pk}"))
    # B applied to Business Finland but its grant came from AKKE: not funded by this filter.
    assert rows_of(result) == [("06", "implementation", 1, 0), (None, "application", 1, 1)]
    assert links_of(chart.figure(result)) == {
        (region("06").name, "Implementation", 1),
        ("No event", "Funding application", 1),
        ("Implementation", "Not funded", 1),
        ("Funding application", "Funded", 1),
    }


def test_stage_and_region_filters(portfolio):
    assert rows_of(flow(data_for("year=2023&stage=application"))) == [
        ("02", "application", 1, 0),
        (None, "application", 1, 1),
    ]
    # The region filter means the regions an idea involves, not where its event was.
    involved = IdeaFactory(title="J", at=at(2023, 9, 1), regions=[region("01")])
    result = flow(data_for(f"year=2023&region={region('01').pk}"))
    assert rows_of(result) == [(None, "idea", 1, 0)]
    assert involved.origin_event is None


def test_empty_period_gives_an_empty_valid_figure():
    result = flow(data_for("year=2023"))
    assert result.rows == []
    figure = chart.figure(result)
    json.loads(figure.to_json())
    assert list(figure.data[0].link.value or []) == []
    assert list(figure.data[0].node.label or []) == []
    assert chart.caption(result) == (
        "No ideas were created in the period, so there is no flow to show."
    )
    assert chart.table(result).rows == [["Total", "", 0, 0, 0]]


def test_one_query_whatever_the_number_of_ideas(portfolio, django_assert_max_num_queries):
    data = data_for("year=2023")
    data.regions  # the page's shared reference list, fetched once for every chart
    with django_assert_max_num_queries(1):
        small = flow(data)
    event = RoadshowEventFactory(host_region=region("04"))
    for n in range(12):
        IdeaFactory(origin_event=event if n % 2 else None, at=at(2023, 10, 1 + n))
    data = data_for("year=2023")
    data.regions
    with django_assert_max_num_queries(1):
        large = flow(data)
    assert large.ideas == small.ideas + 12
