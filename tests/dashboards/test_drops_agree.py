"""Drops, counted once: the dashboard's funnel and the quarterly report give the same
dropped now, ever dropped and reasons for the same period, worked out by hand."""

from __future__ import annotations

from datetime import date
from io import BytesIO

import pytest
from django.http import QueryDict

from dashboards.filters import dashboard_filter
from dashboards.reports import ReportSpec, write_report
from dashboards.selectors import DashboardData
from dashboards.selectors.funnel import funnel
from portfolio.services import idea_move
from tests.dashboards.report_data import at, open_workbook, values
from tests.factories import IdeaFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def portfolio():
    """Created in Q2/2023: A, B, C, D. Created in Q1/2023: E.

    A dropped in May ("No partners"), still dropped.
    B dropped in May ("Budget"), revived in June.
    C dropped in May ("No partners"), revived in July: dropped at the end of June.
    D stays an idea.
    E (created in Q1) dropped in April ("Budget"), still dropped.

    As at 30.6.2023, ideas created in Q2: dropped now A, C (2); ever dropped A, B, C (3);
    reasons No partners 2, Budget 1. Every idea: dropped now A, C, E (3); ever dropped 4;
    reasons No partners 2, Budget 2.
    """

    def made(title, created, drops=()):
        idea = IdeaFactory(title=title, at=at(created, 9))
        for day, to_stage, note in drops:
            idea = idea_move(idea=idea, to_stage=to_stage, by=idea.owner, note=note, at=at(day))
        return idea

    made("A", date(2023, 4, 10), [(date(2023, 5, 2), "dropped", "No partners")])
    made("B", date(2023, 4, 11), [(date(2023, 5, 3), "dropped", "Budget"),
                                  (date(2023, 6, 1), "idea", "New partner")])
    made("C", date(2023, 4, 12), [(date(2023, 5, 4), "dropped", "No partners"),
                                  (date(2023, 7, 1), "idea", "Back")])
    made("D", date(2023, 4, 13))
    made("E", date(2023, 2, 1), [(date(2023, 4, 20), "dropped", "Budget")])


def report_rows() -> dict[str, list]:
    buffer = BytesIO()
    write_report(ReportSpec.for_quarter(2023, 2, "en"), buffer)
    summary = open_workbook(buffer.getvalue()).worksheets[0]
    found: dict[str, list] = {}
    for row in values(summary):
        if row and isinstance(row[0], str):
            found.setdefault(row[0], []).append(row[1])
    return found


def test_funnel_of_the_quarter(portfolio):
    rows = funnel(DashboardData.from_filter(dashboard_filter(QueryDict("year=2023&quarter=2"))))
    assert (rows.drops.now, rows.drops.ever, rows.drops.revived) == (2, 3, 1)
    assert rows.drops.reason_rows() == [("No partners", 2), ("Budget", 1)]


def test_report_says_the_same_as_the_dashboard(portfolio):
    found = report_rows()
    # Every idea at the end of the quarter: the stage table and the drops below it.
    assert found["Dropped now"][0] == 3
    assert found["No partners"] == [2] and found["Budget"] == [2]
    assert found["Ever dropped (some revived)"][0] == 4
    assert found["Revived after a drop"][0] == 1
    # The quarter's new ideas, as the funnel counts them.
    assert found["Dropped now"][-1] == 2
    assert found["Ever dropped (some revived)"][-1] == 3
    assert found["Revived after a drop"][-1] == 1
    assert found["Reached: Idea"] == [4]
