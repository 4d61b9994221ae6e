"""Funding by instrument: € requested vs € granted and the success rates, per instrument and
per level, against numbers worked out by hand from a known set of applications."""

from __future__ import annotations

import json
from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.http import QueryDict
from django.utils import translation

from dashboards.charts import MONEY, PERCENT
from dashboards.charts import funding as chart
from dashboards.charts.colors import GRANTED_COLOR, REQUESTED_COLOR, instrument_color
from dashboards.filters import dashboard_filter
from dashboards.selectors import DashboardData
from dashboards.selectors.funding import Funding, funding
from funding.models import FundingApplication
from tests.factories import FundingApplicationFactory, IdeaFactory, instrument, region

pytestmark = pytest.mark.django_db

HELSINKI = ZoneInfo("Europe/Helsinki")
APPROVED = FundingApplication.Status.APPROVED
REJECTED = FundingApplication.Status.REJECTED
SUBMITTED = FundingApplication.Status.SUBMITTED


def data_for(query: str = "") -> DashboardData:
    return DashboardData.from_filter(dashboard_filter(QueryDict(query)))


def application(idea, code, requested, submitted_on, status=SUBMITTED, decided_on=None,
                granted=None):
    return FundingApplicationFactory(
        idea=idea,
        instrument=instrument(code),
        total_budget=Decimal("200000"),
        requested=Decimal(requested),
        submitted_on=submitted_on,
        status=status,
        decided_on=decided_on,
        granted=Decimal(granted) if granted else None,
    )


def numbers(row) -> tuple:
    return (
        row.submitted, row.requested, row.decided, row.approved, row.decided_requested,
        row.granted,
    )


@pytest.fixture
def portfolio():
    created = datetime(2022, 1, 10, 12, tzinfo=HELSINKI)
    x = IdeaFactory(title="X", at=created, regions=[region("06")])
    y = IdeaFactory(title="Y", at=created, regions=[region("02")])
    z = IdeaFactory(title="Z", at=created, regions=[region("06")])
    # AKKE: two submitted in 2023 (one approved, one rejected), one submitted in 2022 and
    # approved in 2023, and a draft that counts nowhere.
    application(x, "akke", "100000", date(2023, 2, 1), APPROVED, date(2023, 5, 1), "80000")
    application(x, "akke", "50000", date(2023, 3, 1), REJECTED, date(2023, 6, 1))
    application(y, "akke", "40000", date(2022, 11, 1), APPROVED, date(2023, 1, 15), "30000")
    FundingApplicationFactory(idea=y, instrument=instrument("akke"), status="draft",
                              submitted_on=None)
    # Business Finland R&D: submitted in 2023, one still pending, one decided in 2024.
    application(y, "bf-rdi", "150000", date(2023, 4, 1))
    application(y, "bf-rdi", "60000", date(2023, 9, 1), APPROVED, date(2024, 2, 1), "60000")
    # Co-Innovation: all in 2022, so not in a 2023 chart at all.
    application(z, "bf-co-innovation", "70000", date(2022, 5, 1), APPROVED, date(2022, 10, 1),
                "70000")
    # Horizon Europe: submitted in 2023 and approved on its last day.
    application(z, "horizon-europe-cl4", "180000", date(2023, 10, 1), APPROVED,
                date(2023, 12, 31), "90000")


def test_rows_per_instrument_and_level(portfolio):
    result = funding(data_for("year=2023"))

    # data.instruments order: by level (regional, national, EU), then code.
    assert [row.label for row in result.instruments] == [
        instrument("akke").name, instrument("bf-rdi").name, instrument("horizon-europe-cl4").name
    ]
    d = Decimal
    horizon = (1, d("180000"), 1, 1, d("180000"), d("90000"))
    bf_rdi = (2, d("210000"), 0, 0, d("0"), d("0"))
    akke = (2, d("150000"), 3, 2, d("190000"), d("110000"))
    assert [numbers(row) for row in result.instruments] == [akke, bf_rdi, horizon]
    assert [(row.level, numbers(row)) for row in result.levels] == [
        ("regional", akke), ("national", bf_rdi), ("eu", horizon)
    ]
    assert numbers(result.total) == (5, d("540000"), 4, 3, d("370000"), d("200000"))

    akke_row = result.instruments[0]
    assert akke_row.rate_by_count == Decimal(2) / 3
    assert akke_row.rate_by_money == Decimal("110000") / Decimal("190000")
    assert result.instruments[1].rate_by_count is None
    assert result.instruments[1].rate_by_money is None
    assert result.total.rate_by_count == Decimal("0.75")


def test_figure_numbers(portfolio):
    result = funding(data_for("year=2023"))
    figure = chart.figure(result)
    requested, granted, by_count, by_money = figure.data

    categories = [
        instrument("akke").name,
        instrument("bf-rdi").name,
        instrument("horizon-europe-cl4").name,
        "All regional instruments",
        "All national instruments",
        "All EU instruments",
    ]
    for trace in figure.data:
        assert list(trace.y) == categories
    assert list(requested.x) == [150000, 210000, 180000, 150000, 210000, 180000]
    assert list(granted.x) == [110000, 0, 90000, 110000, 0, 90000]
    assert list(by_count.x) == pytest.approx([2 / 3, None, 1.0, 2 / 3, None, 1.0])
    assert list(by_money.x) == pytest.approx([11 / 19, None, 0.5, 11 / 19, None, 0.5])
    assert list(by_count.customdata[0]) == [2, 3]  # approved, decided of AKKE

    assert requested.marker.color == REQUESTED_COLOR
    assert granted.marker.color == GRANTED_COLOR
    assert requested.hovertemplate.startswith("%{y}<br>€ requested: %{x:,.0f} €")
    assert "%{customdata[0]} approved of %{customdata[1]} decisions" in by_count.hovertemplate
    # Each instrument's tick carries the colour it has in every chart.
    ticks = list(figure.layout.yaxis.ticktext)
    position = [i.code for i in data_for().instruments].index("akke")
    assert instrument_color(position) in ticks[0]
    assert figure.layout.xaxis.title.text == "Euros"
    json.loads(figure.to_json())


def test_caption_states_the_key_numbers(portfolio):
    result = funding(data_for("year=2023"))
    assert chart.caption(result) == (
        "In the period 5 applications requested 540,000 € and 200,000 € was granted; "
        "3 of 4 decisions were approvals (success rate 75.0\xa0% by count, 54.1\xa0% by €)."
    )
    with translation.override("fi"):
        assert "540\xa0000 €" in chart.caption(result)


def test_table_has_instruments_levels_and_total(portfolio):
    table = chart.table(funding(data_for("year=2023")))
    formats = [column.number_format for column in table.columns]
    assert formats == [None, None, None, MONEY, None, None, MONEY, MONEY, PERCENT, PERCENT]
    assert [row[0] for row in table.rows] == [
        instrument("akke").name,
        instrument("bf-rdi").name,
        instrument("horizon-europe-cl4").name,
        "All regional instruments",
        "All national instruments",
        "All EU instruments",
        "All instruments",
    ]
    # Shares unrounded: the page and the xlsx round them as they show them.
    assert table.rows[0][1:-2] == [
        "Regional", 2, Decimal("150000"), 3, 2, Decimal("190000"), Decimal("110000"),
    ]
    assert [float(share) for share in table.rows[0][-2:]] == pytest.approx([2 / 3, 11 / 19])
    assert table.rows[1][-2:] == [None, None]
    assert table.rows[-1][1:-2] == [
        "", 5, Decimal("540000"), 4, 3, Decimal("370000"), Decimal("200000"),
    ]
    assert [float(share) for share in table.rows[-1][-2:]] == pytest.approx([0.75, 20 / 37])


def test_instrument_filter(portfolio):
    result = funding(data_for(f"year=2023&instrument={instrument('akke').pk}"))
    assert [row.label for row in result.instruments] == [instrument("akke").name]
    assert numbers(result.total) == (
        2, Decimal("150000"), 3, 2, Decimal("190000"), Decimal("110000")
    )
    assert [row.level for row in result.levels] == ["regional"]
    figure = chart.figure(result)
    assert list(figure.data[0].x) == [150000, 150000]
    assert list(figure.data[1].x) == [110000, 110000]


def test_region_filter_counts_applications_of_ideas_involving_the_region(portfolio):
    result = funding(data_for(f"year=2023&region={region('06').pk}"))
    # X (AKKE approved and rejected) and Z (Horizon); Y's applications drop out.
    assert [numbers(row) for row in result.instruments] == [
        (2, Decimal("150000"), 2, 1, Decimal("150000"), Decimal("80000")),
        (1, Decimal("180000"), 1, 1, Decimal("180000"), Decimal("90000")),
    ]


def test_period_decides_what_counts_as_requested_and_as_decided(portfolio):
    q1 = funding(data_for("year=2023&quarter=1"))
    # Submitted in Q1: the two AKKE applications of X; decided in Q1: only Y's of 2022.
    assert [row.label for row in q1.instruments] == [instrument("akke").name]
    assert numbers(q1.total) == (2, Decimal("150000"), 1, 1, Decimal("40000"), Decimal("30000"))

    y2024 = funding(data_for("year=2024"))
    assert [row.label for row in y2024.instruments] == [instrument("bf-rdi").name]
    assert numbers(y2024.total) == (0, Decimal("0"), 1, 1, Decimal("60000"), Decimal("60000"))

    y2022 = funding(data_for("start=2022-01-01&end=2022-12-31"))
    assert [row.label for row in y2022.instruments] == [
        instrument("akke").name, instrument("bf-co-innovation").name
    ]


def test_empty_period_gives_an_empty_valid_figure(portfolio):
    result = funding(data_for("year=2025"))
    assert result == Funding()
    figure = chart.figure(result)
    json.loads(figure.to_json())
    assert all(len(trace.x or ()) == 0 for trace in figure.data)
    assert chart.caption(result) == (
        "No funding applications were submitted or decided in the period."
    )
    assert chart.table(result).rows == []


def test_one_query_whatever_the_number_of_applications(portfolio, django_assert_max_num_queries):
    data = data_for("year=2023")
    data.instruments  # the page's shared reference list, fetched once for every chart
    with django_assert_max_num_queries(1):
        small = funding(data)
    idea = IdeaFactory()
    for n, code in enumerate(["akke", "eakr", "jtf", "bf-veturi", "life"] * 3):
        application(idea, code, "1000", date(2023, 1 + n % 12, 1))
    data = data_for("year=2023")
    data.instruments
    with django_assert_max_num_queries(1):
        large = funding(data)
    assert large.total.submitted == small.total.submitted + 15
    assert len(large.instruments) == 7
