"""The quarterly report's leverage rows on the portfolio of tests/outcomes_data.py: the
definition under the title, the ratio over the own funding and over the total budget, and
the grants to ideas dropped by the period's end shown apart."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from io import BytesIO

import pytest

from dashboards.reports import ReportSpec, write_report
from tests import outcomes_data
from tests.dashboards.report_data import open_workbook, read_summary, values

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def network(settings):
    settings.NETWORK_OWN_FUNDING = Decimal(260000)
    settings.NETWORK_BUDGET = Decimal(325000)
    settings.NETWORK_START_DATE = date(2022, 1, 1)


def report(year: int, quarter: int, language: str = "en"):
    buffer = BytesIO()
    write_report(ReportSpec.for_quarter(year, quarter, language), buffer)
    return open_workbook(buffer.getvalue())


def test_leverage_rows_over_own_funding_and_budget():
    outcomes_data.build()
    # Q2/2023: A's 100 000 and B's 50 000. Year to date the same; since the network
    # started C's 30 000 (1.5.2022) too.
    summary = read_summary(report(2023, 2))

    assert summary.figures["granted_from_events"] == (150000, 150000, 180000)
    # 150 000 / 260 000 = 0.58 → 0.6; 180 000 / 260 000 = 0.69 → 0.7.
    assert summary.figures["leverage"] == (0.6, 0.6, 0.7)
    # 150 000 / 325 000 = 0.46 → 0.5; 180 000 / 325 000 = 0.55 → 0.6.
    assert summary.figures["leverage_over_budget"] == (0.5, 0.5, 0.6)
    # C was dropped after 30.6.2023 (today, in the tests): not yet dropped then.
    assert summary.figures["granted_to_dropped"] == (0, 0, 0)


def test_grants_to_ideas_dropped_by_the_end_of_the_period_are_shown_apart():
    outcomes_data.build()
    # Q2/2026 ends after C was dropped. Since the network started: 100 000 + 50 000 +
    # 200 000 + C's 30 000 (Other's 40 000 was decided before the network started).
    summary = read_summary(report(2026, 2))

    assert summary.figures["granted_from_events"][2] == 380000
    assert summary.figures["granted_to_dropped"] == (0, 0, 30000)


def test_the_definition_is_written_in_both_languages():
    fi = [row[0] for row in values(report(2023, 2, "fi").worksheets[0])[:3]]
    # The Finnish text comes from the catalogue (fi-leverage.po until it is merged).
    assert fi[2].startswith(("Vipuvaikutus = ", "Leverage = "))
    en = [row[0] for row in values(report(2023, 2, "en").worksheets[0])[:3]]
    assert en[2].startswith("Leverage = € granted (approved applications, by decision date)")
    assert "(325,000 €)" in en[2]
