"""Time in stage: the days ideas stay in each open stage, from the stage history, and the
stalled ideas at the end of the period."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import plotly.graph_objects as go
import pytest
from django.http import QueryDict
from django.utils import timezone, translation

from dashboards.charts import time_in_stage as chart
from dashboards.filters import dashboard_filter
from dashboards.selectors import DashboardData
from dashboards.selectors.time_in_stage import STALLED_LIST_LIMIT, time_in_stage
from portfolio.models import ConsortiumMember
from portfolio.services import idea_move
from portfolio.stages import Stage
from tests.factories import ConsortiumMemberFactory, IdeaFactory, region

pytestmark = pytest.mark.django_db

HELSINKI = ZoneInfo("Europe/Helsinki")


def helsinki(*args: int) -> datetime:
    return datetime(*args, tzinfo=HELSINKI)


def data_for(query: str = "") -> DashboardData:
    return DashboardData.from_filter(dashboard_filter(QueryDict(query)))


def move(idea, to_stage: str, at: datetime, note: str = ""):
    if to_stage == Stage.APPLICATION:
        ConsortiumMemberFactory(
            idea=idea,
            role=ConsortiumMember.Role.LEAD,
            status=ConsortiumMember.Status.COMMITTED,
        )
    return idea_move(idea=idea, to_stage=to_stage, by=idea.owner, at=at, note=note)


@pytest.fixture(autouse=True)
def stale_limit(settings):
    settings.STALE_AFTER_DAYS = 60


@pytest.fixture
def portfolio() -> dict:
    """Histories around 2024. Moves in are at 10:00 and moves out at 14:00, so every stay
    is whole days plus a few hours whichever side of a daylight-saving change it is on;
    the period 2024 ends at midnight, so a stay still open then is (31 Dec - day in) days.

    In 2024:  idea: P 71, Q 30, R 30 (still there), U 20
              consortium: P 40, U 71 (still there, stale)
              application: P 315 (still there, stale)
    """
    p = IdeaFactory(title="P", at=helsinki(2023, 11, 1, 10), regions=[region("06")])
    p = move(p, Stage.CONSORTIUM, helsinki(2024, 1, 11, 14))  # 71 days as an idea
    p = move(p, Stage.APPLICATION, helsinki(2024, 2, 20, 18))  # 40 days forming
    q = IdeaFactory(title="Q", at=helsinki(2024, 5, 2, 10), regions=[region("06")])
    move(q, Stage.DROPPED, helsinki(2024, 6, 1, 14), note="No partners")  # 30 days
    r = IdeaFactory(title="R", at=helsinki(2024, 12, 1, 10), regions=[region("17")])
    # Nothing in 2024: an idea for 61 days in 2022, then forming until January 2023.
    s = IdeaFactory(title="S", at=helsinki(2022, 3, 1, 10), regions=[region("06")])
    s = move(s, Stage.CONSORTIUM, helsinki(2022, 5, 1, 14))
    move(s, Stage.DROPPED, helsinki(2023, 1, 10, 14), note="Lead left")  # 254 days forming
    u = IdeaFactory(title="U", at=helsinki(2024, 10, 1, 10), regions=[region("06")])
    u = move(u, Stage.CONSORTIUM, helsinki(2024, 10, 21, 14))  # 20 days as an idea
    # In 2025 U moves on: at the end of 2024 it had waited 71 days in forming.
    u = move(u, Stage.APPLICATION, helsinki(2025, 2, 1, 14))
    return {"p": p, "q": q, "r": r, "s": s, "u": u}


def spreads(rows) -> dict:
    return {spread.stage: spread for spread in rows.stages}


def test_stays_per_stage_from_the_history(portfolio):
    rows = time_in_stage(data_for("year=2024"))

    assert (rows.start, rows.end) == (date(2024, 1, 1), date(2024, 12, 31))
    by_stage = spreads(rows)
    assert [spread.stage for spread in rows.stages] == [
        Stage.IDEA, Stage.CONSORTIUM, Stage.APPLICATION, Stage.IMPLEMENTATION,
    ]
    idea = by_stage[Stage.IDEA]
    # 20, 30, 30, 71 days; quartiles interpolated between neighbouring stays.
    assert (idea.stays, idea.ongoing, idea.stalled) == (4, 1, 0)
    assert (idea.shortest, idea.q1, idea.median, idea.q3, idea.longest) == (
        20, 27.5, 30, 40.25, 71,
    )
    assert idea.mean == 37.75
    forming = by_stage[Stage.CONSORTIUM]
    assert (forming.stays, forming.ongoing, forming.stalled) == (2, 1, 1)
    assert (forming.shortest, forming.q1, forming.median, forming.q3, forming.longest) == (
        40, 47.75, 55.5, 63.25, 71,
    )
    applying = by_stage[Stage.APPLICATION]
    assert (applying.stays, applying.median, applying.stalled) == (1, 315, 1)
    assert by_stage[Stage.IMPLEMENTATION].stays == 0

    # At the end of 2024 P had waited longest (since February), then U (since October).
    assert [(idea.title, idea.stage, idea.days) for idea in rows.stalled] == [
        ("P", Stage.APPLICATION, 315),
        ("U", Stage.CONSORTIUM, 71),
    ]
    assert rows.stalled_count == 2


def test_figure_draws_a_box_per_stage_in_stage_order(portfolio):
    figure = chart.figure(time_in_stage(data_for("year=2024")))

    boxes = [trace for trace in figure.data if isinstance(trace, go.Box)]
    assert [box.name for box in boxes] == ["Idea", "Consortium forming", "Funding application"]
    assert [
        (box.lowerfence[0], box.q1[0], box.median[0], box.q3[0], box.upperfence[0])
        for box in boxes
    ] == [(20, 27.5, 30, 40.25, 71), (40, 47.75, 55.5, 63.25, 71), (315, 315, 315, 315, 315)]
    assert [box.marker.color for box in boxes] == ["#7aa6d6", "#3f7fbf", "#1f5f99"]
    assert list(figure.layout.xaxis.categoryarray) == [
        "Idea", "Consortium forming", "Funding application", "Implementation",
    ]
    # The hover label of each box, with its numbers, comes from the bar laid over it.
    (hover,) = [trace for trace in figure.data if isinstance(trace, go.Bar)]
    assert list(hover.base) == [20, 40, 315]
    assert [list(row[:2]) for row in hover.customdata] == [[4, 30], [2, 55.5], [1, 315]]
    assert "Median" in hover.hovertemplate

    (stale,) = [trace for trace in figure.data if trace.name == "Stalled ideas"]
    assert list(stale.x) == ["Funding application", "Consortium forming"]
    assert list(stale.y) == [315, 71]
    assert [row[0] for row in stale.customdata] == ["P", "U"]
    assert "%{customdata[0]}" in stale.hovertemplate
    # The limit spans the idea, consortium and application columns only, and is named in
    # the legend above the plot: no label is written where a box can be.
    (limit,) = figure.layout.shapes
    assert (limit.x0, limit.x1, limit.y0, limit.y1) == (-0.5, 2.5, 60, 60)
    assert not figure.layout.annotations
    assert figure.layout.legend.y > 1
    legend = [trace.name for trace in figure.data if trace.showlegend is not False]
    assert legend == [
        "Stalled ideas",
        "Idea, Consortium forming, Funding application: stalled: no move or edit for 60 days",
        "Implementation: implementation past its planned end",
    ]


def test_caption_table_and_stale_list(portfolio):
    rows = time_in_stage(data_for("year=2024"))

    text = chart.caption(rows)
    assert "Idea 30, Consortium forming 56, Funding application 315" in text
    assert "2 ideas were stalled on 31.12.2024" in text
    assert "no move or edit for 60 days" in text and "past its planned end" in text
    with translation.override("fi"):
        assert "31.12.2024" in chart.caption(rows)

    table = chart.table(rows)
    # Statistics to one decimal, halves rounded up: 40.25 → 40.3, 37.75 → 37.8.
    assert table.rows[0] == [
        "Idea", 4, 1, 20, Decimal("27.5"), Decimal("30.0"), Decimal("40.3"), 71,
        Decimal("37.8"), 0, "stalled: no move or edit for 60 days",
    ]
    assert table.rows[1][:3] == ["Consortium forming", 2, 1]
    assert table.rows[3] == [
        "Implementation", 0, 0, None, None, None, None, None, None, 0,
        "implementation past its planned end",
    ]
    assert chart.stalled_table(rows).rows == [
        ["P", "Funding application", 315, "stalled: no move or edit for 60 days"],
        ["U", "Consortium forming", 71, "stalled: no move or edit for 60 days"],
    ]


def test_an_idea_just_past_the_limit_is_stalled_like_on_the_board(portfolio):
    """At the end of 2023 P had been an idea for 60 days and 14 hours: longer than 60 days,
    as the board counts, though 60 in whole days."""
    rows = time_in_stage(data_for("year=2023"))

    by_stage = spreads(rows)
    assert (by_stage[Stage.IDEA].stays, by_stage[Stage.IDEA].median) == (1, 60)
    # S left forming on 10 January 2023 after 254 days; the stay overlaps 2023.
    assert (by_stage[Stage.CONSORTIUM].stays, by_stage[Stage.CONSORTIUM].median) == (1, 254)
    assert rows.stalled_count == 1
    assert [(idea.title, idea.days) for idea in rows.stalled] == [("P", 60)]


def test_region_filter_keeps_only_its_ideas(portfolio):
    rows = time_in_stage(data_for(f"year=2024&region={region('17').pk}"))

    by_stage = spreads(rows)
    assert (by_stage[Stage.IDEA].stays, by_stage[Stage.IDEA].median) == (1, 30)
    assert sum(spread.stays for spread in rows.stages) == 1
    assert rows.stalled == [] and rows.stalled_count == 0


def test_a_quarter_counts_the_stays_overlapping_it(portfolio):
    rows = time_in_stage(data_for("year=2024&quarter=1"))

    by_stage = spreads(rows)
    # Until 31 March: P 71 days as an idea, 40 forming, and applying since 20 February.
    assert by_stage[Stage.IDEA].stays == 1
    assert by_stage[Stage.CONSORTIUM].stays == 1
    applying = by_stage[Stage.APPLICATION]
    # 20 February 18:00 to 1 April 00:00 (daylight saving from 31 March): 40 days.
    assert (applying.stays, applying.ongoing, applying.median) == (1, 1, 40)
    assert rows.stalled_count == 0


def test_today_the_stalled_ideas_are_those_without_a_move_or_edit(portfolio):
    """P and U got their lead organisation today (the clock's now): an edit, so they are
    not stalled however long they have been applying. R has had nothing since December
    2024."""
    rows = time_in_stage(data_for())

    now = timezone.now()
    assert [(idea.title, idea.stage, idea.rule) for idea in rows.stalled] == [
        ("R", Stage.IDEA, "idle"),
    ]
    assert abs(rows.stalled[0].days - (now - helsinki(2024, 12, 1, 10)).days) <= 1
    assert rows.stalled_count == 1
    assert rows.end == timezone.localdate()


def test_stalled_list_is_cut_but_the_count_is_not(portfolio, settings):
    for n in range(STALLED_LIST_LIMIT):
        IdeaFactory(title=f"Old {n:02}", at=helsinki(2024, 3, 1, 10))

    rows = time_in_stage(data_for("year=2024"))

    assert rows.stalled_count == 2 + STALLED_LIST_LIMIT
    assert len(rows.stalled) == STALLED_LIST_LIMIT
    assert rows.stalled[0].title == "P"
    assert f"{2 + STALLED_LIST_LIMIT} ideas were stalled" in chart.caption(rows)


@pytest.mark.parametrize("query", ["year=2024", ""])
def test_stalled_list_is_the_longest_waiting_across_stages(portfolio, query):
    """The list takes the longest in their stage whatever the stage, ties by title; each
    stage counts all its stalled ideas, listed or not. Today (no period) U and P have an
    edit and are not stalled; R and the old ideas are."""
    for n in reversed(range(STALLED_LIST_LIMIT)):
        IdeaFactory(title=f"Old {n:02}", at=helsinki(2024, 3, 1, 10))
    late = IdeaFactory(title="Late", at=helsinki(2024, 3, 2, 10))

    rows = time_in_stage(data_for(query))

    old = [f"Old {n:02}" for n in range(STALLED_LIST_LIMIT)]
    by_stage = spreads(rows)
    if query:
        assert [idea.title for idea in rows.stalled] == ["P", *old[:-1]]
        assert rows.stalled[0].stage == Stage.APPLICATION
        assert (by_stage[Stage.IDEA].stalled, by_stage[Stage.CONSORTIUM].stalled) == (
            STALLED_LIST_LIMIT + 1, 1,
        )
        assert by_stage[Stage.APPLICATION].stalled == 1
    else:
        assert [idea.title for idea in rows.stalled] == old
        # R and Late are stalled too, past the list.
        assert by_stage[Stage.IDEA].stalled == STALLED_LIST_LIMIT + 2
        assert late.pk not in {idea.idea_id for idea in rows.stalled}
    assert rows.stalled_count == sum(spread.stalled for spread in rows.stages)


def test_no_stays_give_an_empty_but_valid_figure(portfolio):
    rows = time_in_stage(data_for("start=2021-01-01&end=2021-12-31"))

    assert rows.stays == 0 and rows.stalled == []
    figure = chart.figure(rows)
    assert isinstance(go.Figure(figure.to_dict()), go.Figure)
    assert not [trace for trace in figure.data if isinstance(trace, go.Box)]
    assert "no idea was in an open stage" in chart.caption(rows)
    assert [row[1] for row in chart.table(rows).rows] == [0, 0, 0, 0]
    assert chart.stalled_table(rows).rows == []


def test_an_invalid_filter_gives_no_stays(portfolio):
    data = data_for("stage=nonsense")

    rows = time_in_stage(data)

    assert rows.stays == 0 and rows.stalled == []
    # Only the legend's entries naming the rules.
    assert not [trace for trace in chart.figure(rows).data if trace.x != (None,)]


def test_a_period_that_has_not_started_reads_nothing(portfolio, django_assert_num_queries):
    start = timezone.localdate() + timedelta(days=10)
    data = data_for(f"start={start}&end={start + timedelta(days=30)}")

    with django_assert_num_queries(0):
        rows = time_in_stage(data)
    assert rows.stays == 0
    assert "no idea was in an open stage" in chart.caption(rows)


@pytest.mark.parametrize("query", ["year=2024", ""])
def test_query_count_does_not_grow_with_the_ideas(portfolio, django_assert_num_queries, query):
    # The stays; the longest-stalled ideas (a top-N sort), each row carrying the number
    # stalled per stage.
    data = data_for(query)
    with django_assert_num_queries(2):
        time_in_stage(data)

    for n in range(10):
        idea = IdeaFactory(title=f"More {n}", at=helsinki(2024, 4, 1 + n, 10))
        move(idea, Stage.CONSORTIUM, helsinki(2024, 5, 1 + n, 14))
    data = data_for(query)
    with django_assert_num_queries(2):
        rows = time_in_stage(data)
    assert spreads(rows)[Stage.CONSORTIUM].stays >= 12


def test_a_stage_filter_counts_and_lists_only_its_ideas(portfolio):
    """The filter keeps the ideas in the stage now; at the end of 2024 U was still forming
    its consortium. R is the only idea now, and stalled today."""
    rows = time_in_stage(data_for("year=2024&stage=application"))

    assert [(idea.title, idea.stage) for idea in rows.stalled] == [
        ("P", Stage.APPLICATION), ("U", Stage.CONSORTIUM),
    ]
    by_stage = spreads(rows)
    assert (by_stage[Stage.APPLICATION].stalled, by_stage[Stage.CONSORTIUM].stalled) == (1, 1)
    assert rows.stalled_count == 2

    rows = time_in_stage(data_for("stage=idea"))

    assert [(idea.title, idea.stage) for idea in rows.stalled] == [("R", Stage.IDEA)]
    assert rows.stalled_count == spreads(rows)[Stage.IDEA].stalled == 1
