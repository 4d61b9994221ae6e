"""Pipeline funnel: ideas reaching each stage, conversion, and the drop reasons."""

from __future__ import annotations

import pytest
from django.http import QueryDict

from dashboards.charts import funnel as chart
from dashboards.filters import dashboard_filter
from dashboards.selectors import DashboardData
from dashboards.selectors.funnel import PATH, funnel
from portfolio.services import idea_move
from tests.factories import IdeaFactory, instrument

pytestmark = pytest.mark.django_db


def data(query: str = "") -> DashboardData:
    return DashboardData.from_filter(dashboard_filter(QueryDict(query)))


@pytest.fixture
def portfolio():
    IdeaFactory.create_batch(2)  # stay ideas
    IdeaFactory(in_consortium=True)
    IdeaFactory(in_application=True)
    IdeaFactory(in_implementation=True)  # approved application (akke)
    IdeaFactory(dropped=True)  # "No partners found"
    late = IdeaFactory(in_consortium=True)
    idea_move(idea=late, to_stage="dropped", by=late.owner, note="Funding went elsewhere")


def test_reached_conversion_and_reasons(portfolio):
    rows = funnel(data())
    # 7 ideas; consortium: 4 (one of them later dropped); application: 2; implementation: 1.
    assert [rows.reached[stage] for stage in PATH] == [7, 4, 2, 1, 0]
    assert rows.conversion("consortium") == pytest.approx(4 / 7)
    assert rows.conversion("implementation") == pytest.approx(1 / 2)
    assert rows.conversion("idea") is None
    assert rows.dropped == 2
    assert sorted(rows.reasons) == [("Funding went elsewhere", 1), ("No partners found", 1)]


def test_figure_caption_and_table(portfolio):
    rows = funnel(data())
    figure = chart.figure(rows)
    assert list(figure.data[0].x) == [7, 4, 2, 1, 0]
    assert sorted(figure.data[1].x) == [1, 1]
    text = chart.caption(rows)
    assert "Of 7 ideas, 2 reached a funding application and 1 implementation" in text
    assert "2 were dropped" in text
    table = chart.table(rows)
    assert table.rows[1] == ["Consortium forming", 4, pytest.approx(4 / 7)]


def test_an_instrument_filter_keeps_only_ideas_that_applied_to_it(portfolio):
    rows = funnel(data(f"instrument={instrument('akke').pk}"))
    # The application-stage idea has no application yet; the implemented one applied to AKKE.
    assert [rows.reached[stage] for stage in PATH] == [1, 1, 1, 1, 0]


def test_empty_portfolio_gives_an_empty_funnel():
    rows = funnel(data())
    assert all(count == 0 for count in rows.reached.values())
    assert "Of 0 ideas" in chart.caption(rows)
    assert chart.figure(rows).to_json()


def test_queries_do_not_grow_with_ideas(portfolio, django_assert_max_num_queries):
    with django_assert_max_num_queries(1):
        funnel(data())
    IdeaFactory.create_batch(5, in_consortium=True)
    with django_assert_max_num_queries(1):
        funnel(data())


def test_an_idea_dropped_twice_counts_once_under_its_latest_reason():
    idea = IdeaFactory(dropped=True)  # "No partners found"
    idea = idea_move(idea=idea, to_stage="idea", by=idea.owner, note="New partner")
    idea_move(idea=idea, to_stage="dropped", by=idea.owner, note="Partner left <a href='x'>")
    rows = funnel(data())
    assert rows.dropped == 1
    assert rows.reasons == [("Partner left <a href='x'>", 1)]
    # Plotly reads tags in labels: the note is shown as text, not as a link.
    assert list(chart.figure(rows).data[1].y) == ["Partner left &lt;a href='x'&gt;"]
