"""Activity per quarter: ideas created, applications submitted, decisions made."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import plotly.graph_objects as go
import pytest
from django.http import QueryDict
from django.utils import translation

from dashboards.charts import activity as chart
from dashboards.filters import Period, dashboard_filter
from dashboards.selectors import DashboardData
from dashboards.selectors.activity import Activity, Quarter, activity
from funding.models import FundingApplication
from tests.factories import FundingApplicationFactory, IdeaFactory, instrument

pytestmark = pytest.mark.django_db

HELSINKI = ZoneInfo("Europe/Helsinki")
Status = FundingApplication.Status


def helsinki(*args: int) -> datetime:
    return datetime(*args, tzinfo=HELSINKI)


def data_for(query: str = "") -> DashboardData:
    return DashboardData.from_filter(dashboard_filter(QueryDict(query)))


def rows_for(query: str = ""):
    return activity(data_for(query))


def application(idea, *, submitted: date, status: str = Status.SUBMITTED, decided=None,
                code: str = "akke", granted=None):
    return FundingApplicationFactory(
        idea=idea,
        instrument=instrument(code),
        status=status,
        submitted_on=submitted,
        decided_on=decided,
        granted=granted,
    )


@pytest.fixture
def portfolio() -> dict:
    """Ideas and applications around 2023, with dates on both sides of quarter and year
    boundaries in Helsinki time (where UTC falls on the other side)."""
    ideas = {
        "a": IdeaFactory(title="A", at=helsinki(2023, 1, 15, 12)),
        # 00:30 in Helsinki on 1 April is still 31 March in UTC: a second-quarter idea.
        "b": IdeaFactory(title="B", at=helsinki(2023, 4, 1, 0, 30)),
        "c": IdeaFactory(title="C", at=helsinki(2023, 5, 10, 9)),
        "d": IdeaFactory(title="D", at=helsinki(2022, 12, 31, 23, 30)),
        "e": IdeaFactory(title="E", at=helsinki(2023, 11, 20, 9)),
        # 2023 in UTC, 2024 in Helsinki: outside the year 2023.
        "f": IdeaFactory(title="F", at=helsinki(2024, 1, 1, 0, 30)),
    }
    approved, rejected = Status.APPROVED, Status.REJECTED
    application(ideas["a"], submitted=date(2023, 2, 10), status=approved,
                decided=date(2023, 5, 5), granted=Decimal("100000"))
    application(ideas["c"], submitted=date(2023, 6, 30), status=rejected,
                decided=date(2023, 7, 1))
    application(ideas["d"], submitted=date(2022, 12, 1), status=approved,
                decided=date(2023, 1, 10), granted=Decimal("50000"))
    application(ideas["e"], submitted=date(2023, 12, 1))
    application(ideas["a"], submitted=date(2023, 8, 15), status=approved,
                decided=date(2024, 2, 1), granted=Decimal("20000"), code="eakr")
    # A withdrawal is not a funding decision, whatever date it carries.
    application(ideas["c"], submitted=date(2023, 3, 1), status=Status.WITHDRAWN,
                decided=date(2023, 3, 20))
    return ideas


def counts(rows) -> dict[str, list[int]]:
    return {
        name: [getattr(quarter, name) for quarter in rows.quarters]
        for name in ("created", "submitted", "approved", "rejected")
    }


def test_a_year_has_four_quarters_counted_in_helsinki_time(portfolio):
    rows = rows_for("year=2023")

    assert [(q.year, q.quarter) for q in rows.quarters] == [
        (2023, 1), (2023, 2), (2023, 3), (2023, 4)
    ]
    assert counts(rows) == {
        "created": [1, 2, 0, 1],  # A; B and C; none; E
        "submitted": [2, 1, 1, 1],  # A's and the withdrawn one; C's; A's second; E's
        "approved": [1, 1, 0, 0],  # D's (submitted in 2022); A's
        "rejected": [0, 0, 1, 0],
    }
    assert (rows.created, rows.submitted, rows.decided) == (4, 5, 3)


def test_figure_has_a_bar_series_per_count_with_quarter_labels(portfolio):
    figure = chart.figure(rows_for("year=2023"))

    labels = ["2023 Q1", "2023 Q2", "2023 Q3", "2023 Q4"]
    assert [trace.type for trace in figure.data] == ["bar"] * 4
    assert [trace.name for trace in figure.data] == [
        "Ideas created",
        "Applications submitted",
        "Applications approved",
        "Applications rejected",
    ]
    assert all(list(trace.x) == labels for trace in figure.data)
    assert [list(trace.y) for trace in figure.data] == [
        [1, 2, 0, 1],
        [2, 1, 1, 1],
        [1, 1, 0, 0],
        [0, 0, 1, 0],
    ]
    assert figure.layout.barmode == "group"
    assert figure.layout.xaxis.title.text == "Quarter"
    assert all("%{y}" in trace.hovertemplate for trace in figure.data)
    # The same stage colours as the other charts: approved leads to implementation.
    assert figure.data[2].marker.color == "#2e8b57"


def test_caption_and_table_state_the_same_numbers(portfolio):
    rows = rows_for("year=2023")

    assert chart.caption(rows) == (
        "2023 Q1–2023 Q4: ideas created 4, applications submitted 5, decisions made 3 "
        "(approved 2, rejected 1); most ideas in 2023 Q2 (2)."
    )
    table = chart.table(rows)
    assert [column.header for column in table.columns] == [
        "Quarter",
        "Ideas created",
        "Applications submitted",
        "Applications approved",
        "Applications rejected",
        "Decisions made",
    ]
    assert table.rows == [
        ["2023 Q1", 1, 2, 1, 0, 1],
        ["2023 Q2", 2, 1, 1, 0, 1],
        ["2023 Q3", 0, 1, 0, 1, 1],
        ["2023 Q4", 1, 1, 0, 0, 0],
    ]


def test_caption_in_finnish_groups_thousands():
    rows = Activity(
        period=Period(date(2024, 1, 1), date(2024, 3, 31)),
        quarters=[Quarter(2024, 1, created=1234, submitted=12, approved=3, rejected=2)],
    )
    with translation.override("fi"):
        text = chart.caption(rows)
    assert "1\xa0234" in text or "1 234" in text


def test_a_quarter_of_the_year(portfolio):
    rows = rows_for("year=2023&quarter=2")

    assert [(q.year, q.quarter) for q in rows.quarters] == [(2023, 2)]
    assert counts(rows) == {"created": [2], "submitted": [1], "approved": [1], "rejected": [0]}


def test_a_from_to_period_counts_only_its_days_in_the_quarters_it_touches(portfolio):
    rows = rows_for("start=2023-02-15&end=2023-04-15")

    assert [chart.quarter_label(q) for q in rows.quarters] == ["2023 Q1", "2023 Q2"]
    # A (15 Jan) and C (10 May) are outside; the approval of A's application (5 May) too.
    assert counts(rows) == {
        "created": [0, 1],
        "submitted": [1, 0],
        "approved": [0, 0],
        "rejected": [0, 0],
    }


def test_an_instrument_keeps_its_ideas_and_its_applications(portfolio):
    akke = instrument("akke")

    rows = rows_for(f"year=2023&instrument={akke.pk}")

    # B has no application; A's ERDF application is not AKKE's.
    assert counts(rows) == {
        "created": [1, 1, 0, 1],
        "submitted": [2, 1, 0, 1],
        "approved": [1, 1, 0, 0],
        "rejected": [0, 0, 1, 0],
    }
    eakr = instrument("eakr")
    rows = rows_for(f"year=2023&instrument={eakr.pk}")
    assert counts(rows) == {
        "created": [1, 0, 0, 0],
        "submitted": [0, 0, 1, 0],
        "approved": [0, 0, 0, 0],
        "rejected": [0, 0, 0, 0],
    }


def test_a_stage_filter_keeps_only_ideas_in_that_stage(portfolio):
    rows = rows_for("year=2023&stage=consortium")

    assert counts(rows) == {
        "created": [0, 0, 0, 0],
        "submitted": [0, 0, 0, 0],
        "approved": [0, 0, 0, 0],
        "rejected": [0, 0, 0, 0],
    }


def test_without_data_the_figure_is_empty_but_valid():
    rows = rows_for("year=2023")

    assert rows.is_empty
    assert len(rows.quarters) == 4
    figure = chart.figure(rows)
    assert [list(trace.y) for trace in figure.data] == [[0, 0, 0, 0]] * 4
    go.Figure(figure.to_dict())  # plotly validates every property again
    assert figure.to_json()
    assert chart.caption(rows) == (
        "2023 Q1–2023 Q4: no ideas created, no applications submitted, no decisions made."
    )
    assert chart.table(rows).rows[0] == ["2023 Q1", 0, 0, 0, 0, 0]


def test_default_period_runs_from_the_network_start_to_today(settings):
    settings.NETWORK_START_DATE = date(2022, 1, 1)

    rows = rows_for()

    assert (rows.quarters[0].year, rows.quarters[0].quarter) == (2022, 1)
    assert len(rows.quarters) >= 12


def test_query_count_does_not_grow_with_the_ideas(portfolio, django_assert_num_queries):
    data = data_for("year=2023")
    with django_assert_num_queries(1):
        activity(data)

    for day in range(1, 29):
        idea = IdeaFactory(at=helsinki(2023, 2, day, 10))
        application(idea, submitted=date(2023, 3, day), status=Status.APPROVED,
                    decided=date(2023, 9, day), granted=Decimal("1000"))
    data = data_for("year=2023")
    with django_assert_num_queries(1):
        rows = activity(data)
    assert counts(rows)["created"] == [29, 2, 0, 1]
    assert counts(rows)["approved"] == [1, 1, 28, 0]
