"""Network leverage: € granted to ideas born at the network's events, cumulative by
decision day, against the network's own funding."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import plotly.graph_objects as go
import pytest
from django.http import QueryDict
from django.utils import timezone, translation

from dashboards.charts import leverage as chart
from dashboards.filters import dashboard_filter
from dashboards.selectors import DashboardData
from dashboards.selectors.leverage import leverage
from funding.models import FundingApplication
from tests.factories import (
    FundingApplicationFactory,
    IdeaFactory,
    RoadshowEventFactory,
    instrument,
    region,
)

pytestmark = pytest.mark.django_db

Status = FundingApplication.Status


def data_for(query: str = "") -> DashboardData:
    return DashboardData.from_filter(dashboard_filter(QueryDict(query)))


def grant(idea, amount: str, decided: date, code: str = "akke"):
    amount = Decimal(amount)
    return FundingApplicationFactory(
        idea=idea,
        instrument=instrument(code),
        status=Status.APPROVED,
        total_budget=amount * 2,
        requested=amount,
        granted=amount,
        submitted_on=date(decided.year - 1, 12, 1),
        decided_on=decided,
    )


@pytest.fixture(autouse=True)
def own_funding(settings):
    settings.NETWORK_OWN_FUNDING = Decimal("260000")


@pytest.fixture
def portfolio() -> dict:
    """Grants to ideas from two roadshow events, in 2023 and 2024, plus what must not count:
    an idea from no event, a rejection, a pending application and a grant before the
    network started."""
    tampere = RoadshowEventFactory(host_region=region("06"))
    oulu = RoadshowEventFactory(host_region=region("17"))
    ideas = {
        "a": IdeaFactory(title="A", origin_event=tampere, regions=[region("06")]),
        "b": IdeaFactory(title="B", origin_event=oulu, regions=[region("17")]),
        "outside": IdeaFactory(title="Outside", regions=[region("06")]),
        "other": IdeaFactory(title="Other", origin_event=tampere, regions=[region("06")]),
    }
    grant(ideas["a"], "100000", date(2023, 6, 1))
    grant(ideas["b"], "50000", date(2023, 6, 1), code="bf-rdi")
    grant(ideas["b"], "200000", date(2024, 2, 10))
    # Not born at an event: a grant, but no leverage of the network's.
    grant(ideas["outside"], "300000", date(2023, 9, 1))
    FundingApplicationFactory(
        idea=ideas["other"], status=Status.REJECTED, decided_on=date(2023, 7, 1)
    )
    FundingApplicationFactory(idea=ideas["other"], submitted_on=date(2024, 3, 1))
    # Decided before the network's start, the first day of the default period.
    grant(ideas["other"], "40000", date(2021, 12, 15))
    return ideas


def test_grants_add_up_by_decision_day_against_the_own_funding(portfolio):
    rows = leverage(data_for())

    today = timezone.localdate()
    assert (rows.start, rows.end) == (date(2022, 1, 1), today)
    assert [(d.day, d.decisions, d.granted, d.cumulative) for d in rows.days] == [
        (date(2023, 6, 1), 2, Decimal("150000"), Decimal("150000")),
        (date(2024, 2, 10), 1, Decimal("200000"), Decimal("350000")),
    ]
    assert rows.granted == Decimal("350000")
    assert rows.own_funding == Decimal("260000")
    assert rows.ratio == Decimal("350000") / Decimal("260000")

    figure = chart.figure(rows)
    cumulative, own = figure.data
    assert cumulative.line.shape == "hv"
    assert list(cumulative.x) == [date(2022, 1, 1), date(2023, 6, 1), date(2024, 2, 10), today]
    assert list(cumulative.y) == [0, 150000, 350000, 350000]
    # Each point's hover shows that day's grants and decisions.
    assert [list(point) for point in cumulative.customdata] == [
        [0, 0],
        [2, 150000],
        [1, 200000],
        [0, 0],
    ]
    assert list(own.x) == list(cumulative.x)
    assert list(own.y) == [260000] * 4
    assert "%{y" in cumulative.hovertemplate and "%{y" in own.hovertemplate
    assert figure.layout.yaxis.title.text == "€ granted, cumulative"


def test_caption_states_the_total_and_the_ratio(portfolio):
    rows = leverage(data_for())

    text = chart.caption(rows)

    # 350 000 / 260 000 = 1.346…
    assert "350,000 €" in text
    assert "260,000 €" in text
    assert "1.3\xa0×" in text
    assert "3 decisions" in text
    with translation.override("fi"):
        finnish = chart.caption(rows).replace("\xa0", " ")
    assert "1,3 ×" in finnish
    assert "350 000 €" in finnish


def test_ratio_is_rounded_not_cut(portfolio, settings):
    settings.NETWORK_OWN_FUNDING = Decimal("80000")

    # 350 000 / 80 000 = 4.375: rounded to 4.4, not cut to 4.3.
    assert "4.4\xa0×" in chart.caption(leverage(data_for()))


def test_table_has_the_same_numbers(portfolio):
    table = chart.table(leverage(data_for()))

    assert [column.header for column in table.columns][:4] == [
        "Decision date",
        "Approved decisions",
        "€ granted",
        "€ granted, cumulative",
    ]
    assert table.rows == [
        [date(2023, 6, 1), 2, Decimal("150000"), Decimal("150000"), Decimal("260000"),
         Decimal("0.6")],
        [date(2024, 2, 10), 1, Decimal("200000"), Decimal("350000"), Decimal("260000"),
         Decimal("1.3")],
    ]


def test_instrument_filter_counts_only_its_grants(portfolio):
    rows = leverage(data_for(f"instrument={instrument('akke').pk}"))

    assert [(d.day, d.granted, d.cumulative) for d in rows.days] == [
        (date(2023, 6, 1), Decimal("100000"), Decimal("100000")),
        (date(2024, 2, 10), Decimal("200000"), Decimal("300000")),
    ]
    assert list(chart.figure(rows).data[0].y) == [0, 100000, 300000, 300000]


def test_region_filter_counts_only_its_ideas(portfolio):
    rows = leverage(data_for(f"region={region('17').pk}"))

    assert [(d.day, d.granted, d.cumulative) for d in rows.days] == [
        (date(2023, 6, 1), Decimal("50000"), Decimal("50000")),
        (date(2024, 2, 10), Decimal("200000"), Decimal("250000")),
    ]


def test_period_limits_the_decisions_and_the_line(portfolio):
    rows = leverage(data_for("year=2023"))

    assert [(d.day, d.cumulative) for d in rows.days] == [(date(2023, 6, 1), Decimal("150000"))]
    figure = chart.figure(rows)
    assert list(figure.data[0].x) == [date(2023, 1, 1), date(2023, 6, 1), date(2023, 12, 31)]
    assert list(figure.data[0].y) == [0, 150000, 150000]
    assert list(figure.data[1].y) == [260000] * 3

    first_quarter = leverage(data_for("year=2024&quarter=1"))
    assert [(d.day, d.granted) for d in first_quarter.days] == [
        (date(2024, 2, 10), Decimal("200000"))
    ]
    assert "200,000 €" in chart.caption(first_quarter)


def test_a_period_not_yet_ended_draws_the_line_to_today(portfolio):
    today = timezone.localdate()

    rows = leverage(data_for(f"start=2024-01-01&end={date(today.year + 1, 12, 31)}"))

    assert rows.end == today
    assert chart.figure(rows).data[0].x[-1] == today


def test_no_grants_give_an_empty_but_valid_figure(portfolio):
    rows = leverage(data_for("year=2022"))

    assert rows.days == [] and rows.granted == 0
    figure = chart.figure(rows)
    assert isinstance(go.Figure(figure.to_dict()), go.Figure)
    assert list(figure.data[0].y) == [0, 0]
    assert list(figure.data[1].y) == [260000, 260000]
    text = chart.caption(rows)
    assert "no funding was granted" in text and "260,000 €" in text
    assert chart.table(rows).rows == []


def test_no_own_funding_leaves_the_ratio_out(portfolio, settings):
    settings.NETWORK_OWN_FUNDING = Decimal("0")

    rows = leverage(data_for())

    assert rows.ratio is None
    assert "×" not in chart.caption(rows)
    assert chart.table(rows).rows[0][-1] is None


def test_query_count_does_not_grow_with_the_ideas(portfolio, django_assert_num_queries):
    data = data_for(f"instrument={instrument('akke').pk}")
    with django_assert_num_queries(1):
        leverage(data)

    event = RoadshowEventFactory()
    for day in range(1, 8):
        grant(IdeaFactory(origin_event=event), "1000", date(2024, 5, day))
    data = data_for(f"instrument={instrument('akke').pk}")
    with django_assert_num_queries(1):
        rows = leverage(data)
    assert len(rows.days) == 2 + 7
