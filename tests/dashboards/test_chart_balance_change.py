"""The balance heatmap's change metric: ideas created against the previous period, per theme
and region, on a small portfolio whose numbers are known."""

from __future__ import annotations

import json
from datetime import datetime
from io import BytesIO
from zoneinfo import ZoneInfo

import pytest
from django.http import QueryDict
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from dashboards.charts import balance as chart
from dashboards.filters import dashboard_filter
from dashboards.panels import PANELS_BY_KEY, render_panel
from dashboards.selectors import DashboardData
from tests.factories import IdeaFactory, ThemeFactory, region

pytestmark = pytest.mark.django_db

HELSINKI = ZoneInfo("Europe/Helsinki")


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def portfolio():
    """Robotics × Pirkanmaa: 3 ideas in Q2/2023, 1 in Q1/2023 (+2). Energy × Uusimaa: none in
    Q2/2023, 1 in Q1/2023 (−1). In all: 3 against 2 (+1)."""
    robots, energy = ThemeFactory(name_en="Robotics"), ThemeFactory(name_en="Energy")
    pirkanmaa, uusimaa = region("06"), region("01")
    for day in (datetime(2023, 4, 5), datetime(2023, 5, 5), datetime(2023, 6, 5), datetime(2023, 2, 5)):
        IdeaFactory(themes=[robots], regions=[pirkanmaa], at=day.replace(tzinfo=HELSINKI))
    IdeaFactory(themes=[energy], regions=[uusimaa], at=datetime(2023, 3, 5, tzinfo=HELSINKI))
    return robots, energy, pirkanmaa, uusimaa


def rendered(query: str):
    data = DashboardData.from_filter(dashboard_filter(QueryDict(query)))
    return render_panel(PANELS_BY_KEY["balance"], data, QueryDict(query))


def test_change_per_theme_and_region(portfolio):
    _robots, _energy, pirkanmaa, uusimaa = portfolio
    panel = rendered("year=2023&quarter=2&metric=change")
    assert panel.options == {"metric": "change"}
    table = panel.table
    assert [column.header for column in table.columns][-1] == "Total"
    rows = {row[0]: row for row in table.rows}
    pirkanmaa_at = 1 + next(i for i, c in enumerate(table.columns[1:]) if c.header == pirkanmaa.name)
    uusimaa_at = 1 + next(i for i, c in enumerate(table.columns[1:]) if c.header == uusimaa.name)
    assert rows["Robotics"][pirkanmaa_at] == 2 and rows["Robotics"][-1] == 2
    assert rows["Energy"][uusimaa_at] == -1 and rows["Energy"][-1] == -1
    assert rows["Total"][pirkanmaa_at] == 2 and rows["Total"][uusimaa_at] == -1
    assert rows["Total"][-1] == 1
    assert panel.caption.endswith(
        "Ideas created against the previous period Q1/2023: +1 (3 against 2); "
        "more in 1 theme–region pairs, fewer in 1. Figures as at 30.6.2023."
    )


def test_change_heatmap_is_centred_on_no_change(portfolio):
    panel = rendered("year=2023&quarter=2&metric=change")
    trace = json.loads(panel.figure_json)["data"][0]
    assert trace["zmid"] == 0
    assert "Robotics (+2)" in trace["y"] and "Energy (−1)" in trace["y"]
    # Pairs with no ideas in either period stay gaps.
    flat = [value for line in trace["z"] for value in line]
    assert sorted(v for v in flat if v is not None) == [-1.0, 2.0]


def test_without_a_period_the_change_explains_itself(portfolio):
    panel = rendered("metric=change")
    assert "choose a year, a quarter or a from–to period" in panel.caption
    assert panel.table.rows == []
    assert panel.comparison is None


def test_the_change_table_on_the_page_shows_signs(portfolio):
    from dashboards.panels import table_text

    panel = rendered("year=2023&quarter=2&metric=change")
    cells = {row[0]: row for row in table_text(panel.table)}
    assert "+2" in cells["Robotics"] and "−1" in cells["Energy"]
    assert chart.METRIC_LABELS["change"]() == "Change in ideas"


def test_the_change_downloads_with_the_comparison(portfolio, manager):
    manager.cookies["django_language"] = "en"
    response = manager.get(
        reverse("dashboard-download", args=["balance"]),
        {"year": "2023", "quarter": "2", "metric": "change"},
    )
    workbook = load_workbook(BytesIO(b"".join(response.streaming_content)))
    first, comparison = workbook.worksheets
    total = next(row for row in first.iter_rows(values_only=True) if row[0] == "Total")
    assert total[-1] == 1
    ideas = next(row for row in comparison.iter_rows(values_only=True) if row[0] == "Ideas created")
    assert ideas[:4] == ("Ideas created", 3, 2, 1)
