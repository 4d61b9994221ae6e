"""Network leverage: € granted (approved applications, by decision date) to ideas born at the
network's events ÷ the network's own funding, over a stated window; hand-worked numbers on
the portfolio of tests/outcomes_data.py."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import plotly.graph_objects as go
import pytest
from django.http import QueryDict
from django.utils import timezone, translation

from dashboards.charts import leverage as chart
from dashboards.filters import dashboard_filter
from dashboards.panels import PANELS_BY_KEY, panel_options
from dashboards.selectors import DashboardData
from dashboards.selectors.leverage import leverage, window_keys
from tests import outcomes_data
from tests.factories import IdeaFactory, RoadshowEventFactory, instrument, region

pytestmark = pytest.mark.django_db

OWN = Decimal(260000)
BUDGET = Decimal(325000)


def data_for(query: str = "") -> DashboardData:
    return DashboardData.from_filter(dashboard_filter(QueryDict(query)))


def plain(text: str) -> str:
    return text.replace("\xa0", " ")


@pytest.fixture(autouse=True)
def network(settings):
    settings.NETWORK_OWN_FUNDING = OWN
    settings.NETWORK_BUDGET = BUDGET
    settings.NETWORK_START_DATE = date(2022, 1, 1)
    settings.NETWORK_END_DATE = date(2023, 12, 31)
    settings.NETWORK_FOLLOW_ON_START = None
    settings.NETWORK_FOLLOW_ON_END = None


@pytest.fixture
def portfolio() -> dict:
    return outcomes_data.build()


def test_the_default_window_is_the_funding_period(portfolio):
    rows = leverage(data_for())

    assert (rows.window.key, rows.window.start, rows.window.end) == (
        "funding", date(2022, 1, 1), date(2023, 12, 31),
    )
    # C's 30 000 (1.5.2022), then A's 100 000 and B's 50 000 (1.6.2023).
    assert [(d.day, d.decisions, d.granted, d.cumulative) for d in rows.days] == [
        (date(2022, 5, 1), 1, Decimal(30000), Decimal(30000)),
        (date(2023, 6, 1), 2, Decimal(150000), Decimal(180000)),
    ]
    assert rows.granted == Decimal(180000)
    assert rows.ratio == Decimal(180000) / OWN  # 0.692… → 0,7 ×
    assert rows.ratio_over_budget == Decimal(180000) / BUDGET  # 0.553… → 0,6 ×
    # Counted as won, shown apart: C has been dropped since.
    assert (rows.dropped_granted, rows.dropped_decisions) == (Decimal(30000), 1)
    assert (rows.start, rows.end) == (date(2022, 1, 1), date(2023, 12, 31))


def test_all_to_date_counts_every_decision_until_today(portfolio):
    rows = leverage(data_for(), window="all")

    assert rows.window.start is None and rows.window.end == timezone.localdate()
    # 40 000 + 30 000 + 150 000 + 200 000.
    assert rows.granted == Decimal(420000)
    assert rows.decisions == 5
    assert rows.start == date(2021, 12, 15)  # the line starts at the first decision
    assert rows.end == timezone.localdate()
    text = plain(chart.caption(rows))
    # 420 000 / 260 000 = 1.615…; / 325 000 = 1.292…
    assert "1.6 × the network's own funding of 260,000 €" in text
    assert "1.3 × its total budget of 325,000 €" in text


def test_the_chosen_period_and_the_follow_on_window(portfolio, settings):
    assert "follow_on" not in window_keys()
    rows = leverage(data_for("year=2023"), window="period")
    assert (rows.window.start, rows.window.end) == (date(2023, 1, 1), date(2023, 12, 31))
    assert rows.granted == Decimal(150000)
    assert rows.dropped_granted == 0

    settings.NETWORK_FOLLOW_ON_START = date(2024, 1, 1)
    settings.NETWORK_FOLLOW_ON_END = date(2025, 12, 31)
    assert window_keys() == ["funding", "follow_on", "period", "all"]
    follow_on = leverage(data_for(), window="follow_on")
    assert follow_on.granted == Decimal(200000)
    assert round(follow_on.ratio, 4) == Decimal("0.7692")
    with translation.override("fi"):
        assert "1.1.2024–31.12.2025" in chart.caption(follow_on)


def test_an_unknown_window_is_the_funding_period(portfolio):
    options = panel_options(PANELS_BY_KEY["leverage"], QueryDict("window=nonsense"))
    assert options == {"window": "funding"}
    assert panel_options(PANELS_BY_KEY["leverage"], QueryDict("window=all")) == {"window": "all"}
    # Without a follow-on window configured, asking for it gives the funding period.
    assert leverage(data_for(), window="follow_on").window.key == "funding"


def test_the_largest_grants_and_the_leverage_without_each(portfolio):
    rows = leverage(data_for(), window="all")

    assert [(g.idea, g.granted) for g in rows.top] == [
        ("B", Decimal(200000)),
        ("A", Decimal(100000)),
        ("B", Decimal(50000)),
        ("Other", Decimal(40000)),
        ("C", Decimal(30000)),
    ]
    largest = rows.top[0]
    assert largest.share == Decimal(200000) / Decimal(420000)  # 47,6 %
    assert largest.ratio_without == Decimal(220000) / OWN  # 0,8 ×
    assert [g.dropped for g in rows.top] == [False, False, False, False, True]

    top = chart.top_table(rows)
    assert top.rows[0][3:6] == [Decimal(200000), Decimal("0.476"), Decimal("0.8")]
    assert top.rows[4][-1] == "yes"
    text = plain(chart.caption(rows))
    assert "The largest grant (B, 200,000 €) is 47.6 % of it" in text
    assert "without it the leverage would be 0.8 ×" in text


def test_caption_states_the_definition_window_ratios_and_the_dropped(portfolio):
    text = plain(chart.caption(leverage(data_for())))

    assert text.startswith(
        "Leverage = € granted (approved applications, by decision date) to ideas born at "
        "the network's events ÷ the network's own funding."
    )
    assert "Window: the network's funding period" in text
    assert "180,000 € granted in 3 decisions" in text
    assert "0.7 × the network's own funding of 260,000 €" in text
    assert "0.6 × its total budget of 325,000 €" in text
    # A: 100 000 of 180 000 = 55.6 %; without it 80 000 / 260 000 = 0.3 ×.
    assert "The largest grant (A, 100,000 €) is 55.6 % of it" in text
    assert "0.3 ×" in text
    assert "Of which to ideas since dropped: 30,000 €." in text

    with translation.override("fi"):
        finnish = plain(chart.caption(leverage(data_for())))
    assert "0,7 ×" in finnish and "0,6 ×" in finnish
    assert "180 000 €" in finnish and "55,6 %" in finnish
    assert "1.1.2022–31.12.2023" in finnish


def test_ratio_is_rounded_not_cut(portfolio, settings):
    settings.NETWORK_OWN_FUNDING = Decimal(80000)

    # 420 000 / 80 000 = 5.25: rounded half-up to 5.3, not cut to 5.2.
    assert "5.3 ×" in plain(chart.caption(leverage(data_for(), window="all")))


def test_figure_draws_the_steps_against_own_funding_and_budget(portfolio):
    rows = leverage(data_for())
    figure = chart.figure(rows)

    cumulative, own, budget = figure.data
    assert cumulative.line.shape == "hv"
    assert list(cumulative.x) == [date(2022, 1, 1), date(2022, 5, 1), date(2023, 6, 1),
                                  date(2023, 12, 31)]
    assert list(cumulative.y) == [0, 30000, 180000, 180000]
    assert [list(point) for point in cumulative.customdata] == [
        [0, 0], [1, 30000], [2, 150000], [0, 0],
    ]
    assert list(own.y) == [260000] * 4
    assert list(budget.y) == [325000] * 4
    assert figure.layout.yaxis.title.text == "€ granted, cumulative"


def test_tables_have_the_same_numbers(portfolio):
    rows = leverage(data_for())
    table = chart.table(rows)

    assert table.rows == [
        [date(2022, 5, 1), 1, Decimal(30000), Decimal(30000), OWN, Decimal("0.1"),
         Decimal("0.1")],
        [date(2023, 6, 1), 2, Decimal(150000), Decimal(180000), OWN, Decimal("0.7"),
         Decimal("0.6")],
    ]
    figures = dict(chart.figures_table(rows).rows)
    assert plain(figures["€ granted to ideas born at the network's events"]) == "180,000 €"
    assert plain(figures["of which to ideas since dropped"]) == "30,000 €"
    assert plain(figures["Leverage over the own funding"]) == "0.7 ×"
    assert plain(figures["Leverage over the total budget"]) == "0.6 ×"


def test_instrument_and_region_filters_narrow_the_grants(portfolio):
    akke = leverage(data_for(f"instrument={instrument('akke').pk}"))
    # B's 50 000 is Business Finland's: 100 000 + 30 000.
    assert akke.granted == Decimal(130000)

    oulu = leverage(data_for(f"region={region('17').pk}"))
    assert oulu.granted == Decimal(80000)
    assert oulu.dropped_granted == Decimal(30000)


def test_no_grants_give_an_empty_but_valid_figure(portfolio):
    rows = leverage(data_for("year=2025"), window="period")

    assert rows.days == [] and rows.granted == 0 and rows.top == []
    figure = chart.figure(rows)
    assert isinstance(go.Figure(figure.to_dict()), go.Figure)
    assert list(figure.data[0].y) == [0, 0]
    text = plain(chart.caption(rows))
    assert "No funding was granted" in text and "260,000 €" in text and "325,000 €" in text
    assert chart.table(rows).rows == []


def test_no_own_funding_leaves_the_ratio_out(portfolio, settings):
    settings.NETWORK_OWN_FUNDING = Decimal(0)

    rows = leverage(data_for())

    assert rows.ratio is None
    assert "— the network's own funding" in plain(chart.caption(rows))
    assert chart.table(rows).rows[0][5] is None


def test_query_count_does_not_grow_with_the_grants(portfolio, django_assert_num_queries):
    data = data_for(f"instrument={instrument('akke').pk}")
    with django_assert_num_queries(1):
        leverage(data)

    event = RoadshowEventFactory()
    for day in range(1, 8):
        outcomes_data.grant(IdeaFactory(origin_event=event), "1000", date(2023, 5, day))
    data = data_for(f"instrument={instrument('akke').pk}")
    with django_assert_num_queries(1):
        rows = leverage(data)
    assert len(rows.days) == 2 + 7
