"""Portfolio balance: the heatmap's numbers against a portfolio whose numbers are known."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.http import QueryDict

from dashboards.charts import balance as chart
from dashboards.filters import dashboard_filter
from dashboards.selectors import DashboardData
from dashboards.selectors.balance import balance
from tests.factories import (
    ConsortiumMemberFactory,
    FundingApplicationFactory,
    IdeaFactory,
    OrganisationFactory,
    ThemeFactory,
    instrument,
    region,
)

pytestmark = pytest.mark.django_db

HELSINKI = ZoneInfo("Europe/Helsinki")


def data(query: str = "") -> DashboardData:
    return DashboardData.from_filter(dashboard_filter(QueryDict(query)))


@pytest.fixture
def portfolio():
    robots, energy = ThemeFactory(name_fi="Robotiikka"), ThemeFactory(name_fi="Energia")
    pirkanmaa, uusimaa = region("06"), region("01")
    # Two ideas in 2023, one of them in two regions; one idea in 2024.
    a = IdeaFactory(themes=[robots], regions=[pirkanmaa, uusimaa], at=datetime(2023, 3, 1, tzinfo=HELSINKI))
    b = IdeaFactory(themes=[robots], regions=[pirkanmaa], at=datetime(2023, 5, 1, tzinfo=HELSINKI))
    c = IdeaFactory(themes=[energy], regions=[uusimaa], at=datetime(2024, 2, 1, tzinfo=HELSINKI))
    FundingApplicationFactory(idea=a, requested=Decimal("100000"), submitted_on=date(2023, 4, 1))
    FundingApplicationFactory(
        idea=b, approved=True, requested=Decimal("50000"), granted=Decimal("40000"),
        submitted_on=date(2023, 6, 1), decided_on=date(2023, 8, 1),
        instrument=instrument("bf-rdi"),
    )
    FundingApplicationFactory(idea=c, requested=Decimal("70000"), submitted_on=date(2024, 3, 1))
    return {"robots": robots, "energy": energy, "pirkanmaa": pirkanmaa, "uusimaa": uusimaa}


def test_cells_totals_and_gaps(portfolio):
    rows = balance(data())
    robots, energy = portfolio["robots"], portfolio["energy"]
    pirkanmaa, uusimaa = portfolio["pirkanmaa"], portfolio["uusimaa"]

    assert rows.value(robots, pirkanmaa, "ideas") == 2
    assert rows.value(robots, uusimaa, "ideas") == 1
    assert rows.value(energy, uusimaa, "ideas") == 1
    assert rows.value(energy, pirkanmaa, "ideas") == 0
    # The € are shared out: a's 100 000 € half to each of its two regions (no consortium
    # shares recorded), b's 50 000 € to its one region.
    assert rows.value(robots, pirkanmaa, "requested") == Decimal("100000")
    assert rows.value(robots, uusimaa, "requested") == Decimal("50000")
    assert rows.value(robots, pirkanmaa, "granted") == Decimal("40000")
    assert rows.region_totals[pirkanmaa.pk]["requested"] == Decimal("100000")
    assert rows.region_totals[uusimaa.pk]["requested"] == Decimal("120000")  # 50 000 + c's 70 000
    # So the regions add up to the total; the ideas involving them do not (a counts twice).
    assert sum(t["requested"] for t in rows.region_totals.values()) == rows.total["requested"]
    # Totals count an idea once even when it is in two regions.
    assert rows.theme_totals[robots.pk] == {
        "ideas": 2, "requested": Decimal("150000"), "granted": Decimal("40000")
    }
    assert rows.region_totals[uusimaa.pk]["ideas"] == 2
    assert rows.total == {"ideas": 3, "requested": Decimal("220000"), "granted": Decimal("40000")}
    cells = len(rows.themes) * len(rows.regions)
    assert chart.gaps(rows) == cells - 3


def test_the_figure_shows_the_metric_and_leaves_gaps_empty(portfolio):
    rows = balance(data())
    figure = chart.figure(rows, metric="requested")
    heatmap = figure.data[0]
    # Labels carry the totals: each idea and application counted once.
    y = list(heatmap.y).index(f"{portfolio['robots'].name} (150,000 €)")
    x = list(heatmap.x).index(f"{portfolio['pirkanmaa'].name} (100,000 €)")
    assert heatmap.z[y][x] == 100000.0
    x_empty = list(heatmap.x).index(f"{region('19').name} (0 €)")
    assert heatmap.z[y][x_empty] is None


def test_a_period_and_an_instrument_change_the_numbers(portfolio):
    in_2023 = balance(data("year=2023"))
    assert in_2023.total == {"ideas": 2, "requested": Decimal("150000"), "granted": Decimal("40000")}
    q2 = balance(data("year=2023&quarter=2"))
    # Created in Q2: b. Submitted in Q2: a (1.4.) and b (1.6.). Decided in Q2: nothing.
    assert q2.total == {"ideas": 1, "requested": Decimal("150000"), "granted": Decimal("0")}
    bf = balance(data(f"instrument={instrument('bf-rdi').pk}"))
    # Only the idea that applied to the instrument, and only that instrument's money.
    assert bf.total == {"ideas": 1, "requested": Decimal("50000"), "granted": Decimal("40000")}


def test_caption_and_table(portfolio, settings):
    rows = balance(data())
    text = chart.caption(rows)
    assert "3 ideas" in text and "220,000 € requested" in text and "40,000 € granted" in text
    table = chart.table(rows, metric="ideas")
    assert table.rows[-1][0] == "Total" and table.rows[-1][-1] == 3


def test_a_stage_filter_counts_the_ideas_in_those_stages(portfolio):
    # The stage filter makes the ideas' query DISTINCT; the grouped query must still run.
    everything = balance(data())
    in_idea_stage = balance(data("stage=idea&stage=dropped"))
    assert in_idea_stage.total["ideas"] == everything.total["ideas"] == 3
    assert balance(data("stage=completed")).total["ideas"] == 0


def test_caption_rounds_euros_half_up_as_every_figure_does(portfolio):
    idea = IdeaFactory(themes=[portfolio["energy"]], regions=[portfolio["uusimaa"]])
    FundingApplicationFactory(
        idea=idea, approved=True, requested=Decimal("1000.50"), granted=Decimal("999.50"),
        submitted_on=date(2024, 4, 1), decided_on=date(2024, 5, 1),
    )
    rows = balance(data())
    assert rows.total["requested"] == Decimal("221000.50")
    text = chart.caption(rows)
    assert "221,001 € requested" in text and "41,000 € granted" in text


def test_queries_do_not_grow_with_ideas(portfolio, django_assert_max_num_queries):
    few = data()
    few.themes, few.regions  # the shared reference lists are fetched once per page
    # The ideas per cell in one query; the money per idea with its themes in one; how each
    # idea shares its € among regions in one.
    with django_assert_max_num_queries(3):
        balance(few)
    for _ in range(10):
        idea = IdeaFactory(themes=[portfolio["energy"]], regions=[portfolio["pirkanmaa"]])
        FundingApplicationFactory(idea=idea, requested=Decimal("1000"), submitted_on=date(2023, 4, 1))
    many = data()
    many.themes, many.regions
    with django_assert_max_num_queries(3):
        balance(many)


def test_an_idea_without_a_region_counts_in_its_theme_total_but_in_no_cell(portfolio):
    IdeaFactory(themes=[portfolio["robots"]], regions=[])
    rows = balance(data())
    assert rows.theme_totals[portfolio["robots"].pk]["ideas"] == 3
    assert rows.value(portfolio["robots"], portfolio["pirkanmaa"], "ideas") == 2
    assert rows.total["ideas"] == 4
    assert rows.region_totals[portfolio["pirkanmaa"].pk]["ideas"] == 2


def test_a_region_filter_draws_only_the_chosen_regions_and_counts_gaps_among_them(portfolio):
    pirkanmaa, uusimaa = portfolio["pirkanmaa"], portfolio["uusimaa"]
    rows = balance(data(f"region={uusimaa.pk}&region={pirkanmaa.pk}"))

    assert rows.regions == [uusimaa, pirkanmaa]  # in code order
    themes = len(rows.themes)
    # Filled: robots × Pirkanmaa, robots × Uusimaa, energy × Uusimaa.
    assert chart.gaps(rows) == 2 * themes - 3
    assert f"{2 * themes - 3} of {2 * themes} theme–region pairs" in chart.caption(rows)
    assert len(chart.figure(rows).data[0].x) == 2
    assert [column.header for column in chart.table(rows).columns][1:3] == [
        uusimaa.name, pirkanmaa.name,
    ]


def test_consortium_budget_shares_decide_the_regions_money(portfolio):
    robots, pirkanmaa, uusimaa = portfolio["robots"], portfolio["pirkanmaa"], portfolio["uusimaa"]
    a = robots.ideas.get(regions=uusimaa, created_at__month=3)
    # 75 000 € planned in Uusimaa and 25 000 € in Pirkanmaa: a's 100 000 € requested go 3:1.
    for code, share in (("01", "75000"), ("06", "25000")):
        ConsortiumMemberFactory(
            idea=a, organisation=OrganisationFactory(region=region(code)),
            budget_share=Decimal(share),
        )
    rows = balance(data())
    assert rows.value(robots, uusimaa, "requested") == Decimal("75000")
    assert rows.value(robots, pirkanmaa, "requested") == Decimal("75000")  # 25 000 + b's 50 000
