"""The flow Sankey: ideas created in the period, from their origin event's host region through
their stage to funded / not funded, against numbers worked out by hand from a known portfolio."""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.http import QueryDict

from dashboards.charts import flow as chart
from dashboards.filters import dashboard_filter
from dashboards.selectors import DashboardData
from dashboards.selectors.flow import Flow, flow
from portfolio.services import idea_move
from tests.factories import (
    FundingApplicationFactory,
    IdeaFactory,
    RoadshowEventFactory,
    advance,
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


def made(title: str, created: datetime, stage: str = "idea", **kwargs):
    """An idea created at ``created`` and moved on to ``stage`` an hour later."""
    idea = IdeaFactory(title=title, at=created, **kwargs)
    if stage == "idea":
        return idea
    return advance(idea, stage, at=created + timedelta(hours=1))


@pytest.fixture
def portfolio():
    """Ideas of 2023 from two events (hosted in 06 and 02) and without an event, one of
    2022, and two either side of New Year's midnight in Helsinki. Every move is made an hour
    after the idea's creation; the approvals are decided on 1 June 2023."""
    pirkanmaa = RoadshowEventFactory(host_region=region("06"))
    southwest = RoadshowEventFactory(host_region=region("02"))
    made("A1", at(2023, 2, 1, 10), origin_event=pirkanmaa)
    made("A2", at(2023, 3, 1, 10), origin_event=pirkanmaa)
    # Funded through AKKE (the trait's approval); also turned down by Business Finland.
    b = made("B", at(2023, 4, 1, 10), "implementation", origin_event=pirkanmaa)
    FundingApplicationFactory(idea=b, instrument=instrument("bf-rdi"), rejected=True)
    made("C", at(2023, 5, 1, 10), "application", origin_event=southwest)
    made("D", at(2023, 6, 1, 10), "consortium")
    made("E", at(2023, 7, 1, 10), "dropped")
    # Approved by Business Finland but not yet moved on: funded, still in application.
    f = made("F", at(2023, 8, 1, 10), "application")
    FundingApplicationFactory(idea=f, instrument=instrument("bf-rdi"), approved=True)
    made("H", at(2023, 12, 31, 23, 30))  # 21:30 UTC: still 2023 in Helsinki
    made("I", at(2024, 1, 1, 0, 30))  # 2023 in UTC, 2024 in Helsinki
    # In implementation since 2022, but its grant was decided on 1 June 2023.
    made("G", at(2022, 9, 1, 10), "implementation", origin_event=pirkanmaa)


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
        "2 had been funded as at 31.12.2023 (25.0\xa0%)."
    )


def test_table_has_every_row_and_a_total(portfolio):
    table = chart.table(flow(data_for("year=2023")))
    assert [c.header for c in table.columns] == [
        "Origin event's host region", "Stage at the end of the period", "Ideas",
        "Funded by the end of the period", "Not funded",
    ]
    assert table.rows[0] == [region("02").name, "Funding application", 1, 0, 1]
    assert table.rows[-2] == ["No event", "Dropped", 1, 0, 1]
    assert table.rows[-1] == ["Total", "", 8, 2, 6]


def test_period_limits_ideas_to_those_created_in_it(portfolio):
    # G was in implementation at the end of 2022, but its grant was decided in June 2023.
    assert rows_of(flow(data_for("year=2022"))) == [("06", "implementation", 1, 0)]
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


def test_stage_and_funding_are_as_at_the_end_of_the_period(portfolio):
    """C moves on to implementation in 2024 with a grant decided then: under 2023 it is
    still applying and not funded, under 2024 (it was created in 2023, so not counted) and
    to date it is funded. The numbers of 2023 do not change with what happened later."""
    before = rows_of(flow(data_for("year=2023")))
    c = IdeaFactory._meta.model.objects.get(title="C")
    FundingApplicationFactory(idea=c, approved=True, decided_on=date(2024, 3, 1))
    idea_move(idea=c, to_stage="implementation", by=c.owner, at=at(2024, 3, 2, 10))

    assert rows_of(flow(data_for("year=2023"))) == before
    assert ("02", "application", 1, 0) in before
    # Q1/2024 ends after the move and the decision, but C was created in 2023.
    assert flow(data_for("year=2024&quarter=1")).funded == 0
    # From 2023 to today C is in implementation and funded.
    to_date = rows_of(flow(data_for("start=2023-01-01")))
    assert ("02", "implementation", 1, 1) in to_date
