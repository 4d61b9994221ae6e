"""The report's Themes × regions sheet shares the € among regions by the same rule as the
dashboard and the theme pages, with the consortium as it stood at the period's end."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.http import QueryDict

from dashboards.filters import dashboard_filter
from dashboards.selectors import DashboardData
from dashboards.selectors.balance import balance
from dashboards.selectors.regions import regions
from dashboards.selectors.report import applications_as_of, quarter_period, themes_regions
from funding.selectors import NO_REGION
from portfolio.services import consortium_member_save
from tests.factories import (
    ConsortiumMemberFactory,
    FundingApplicationFactory,
    IdeaFactory,
    OrganisationFactory,
    ThemeFactory,
    region,
)

pytestmark = pytest.mark.django_db

HELSINKI = ZoneInfo("Europe/Helsinki")
D = Decimal
Q2 = quarter_period(2023, 2)


def at(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 10, tzinfo=HELSINKI)


@pytest.fixture
def world():
    robots, energy = ThemeFactory(name_en="Robots"), ThemeFactory(name_en="Energy")
    pirkanmaa, uusimaa, lappi = region("06"), region("01"), region("19")
    # Created in Q2, two themes, two regions, no shares: 90 000 € granted, half to each.
    a = IdeaFactory(themes=[robots, energy], regions=[pirkanmaa, uusimaa], at=at(date(2023, 4, 2)))
    FundingApplicationFactory(idea=a, approved=True, requested=D("100000"), granted=D("90000"),
                              submitted_on=date(2023, 4, 5), decided_on=date(2023, 6, 1))
    # Shares: Lapland 1, Pirkanmaa 3 → 10 000 € and 30 000 € of 40 000 € requested.
    b = IdeaFactory(themes=[robots], regions=[pirkanmaa], at=at(date(2023, 1, 2)))
    for where, share in ((lappi, "25000"), (pirkanmaa, "75000")):
        member = ConsortiumMemberFactory(idea=b, budget_share=D(share),
                                         organisation=OrganisationFactory(region=where))
        member.history.update(history_date=at(date(2023, 3, 1)))
    FundingApplicationFactory(idea=b, requested=D("40000"), submitted_on=date(2023, 5, 5))
    # No region: 7 000 € requested.
    c = IdeaFactory(themes=[energy], regions=[], at=at(date(2023, 5, 2)))
    FundingApplicationFactory(idea=c, requested=D("7000"), submitted_on=date(2023, 6, 5))
    for idea in (a, b, c):
        idea.history.update(history_date=idea.created_at)
    return {"robots": robots, "energy": energy, "pirkanmaa": pirkanmaa, "uusimaa": uusimaa,
            "lappi": lappi, "b": b}


def report_sheet():
    return themes_regions(Q2, applications_as_of(Q2.end))


def test_the_sheet_shares_by_hand(world):
    sheet = report_sheet()
    robots, energy = world["robots"], world["energy"]
    pirkanmaa, uusimaa, lappi = world["pirkanmaa"], world["uusimaa"], world["lappi"]
    assert sheet.value(robots, pirkanmaa, "granted") == D("45000")
    assert sheet.value(energy, uusimaa, "granted") == D("45000")
    assert sheet.value(robots, pirkanmaa, "requested") == D("80000")  # 50 000 + 30 000
    assert sheet.value(robots, lappi, "requested") == D("10000")
    assert sheet.value(energy, None, "requested") == D("7000")  # the "no region" column
    # Every row and the region totals add up to the totals.
    for theme in (robots, energy):
        for metric in ("requested", "granted"):
            row = [sheet.value(theme, r, metric) for r in [*sheet.regions, None]]
            assert sum(row) == sheet.theme_totals[theme.pk][metric]
    assert sum(t["requested"] for t in sheet.region_totals.values()) == sheet.total["requested"]
    assert sheet.total == {"ideas": 2, "requested": D("147000"), "granted": D("90000")}
    assert sheet.region_totals[NO_REGION]["ideas"] == 1  # c, created in the quarter


def test_the_sheet_is_the_dashboards_balance_and_regions_for_the_quarter(world):
    sheet = report_sheet()
    data = DashboardData.from_filter(dashboard_filter(QueryDict("year=2023&quarter=2")))
    dashboard = balance(data)
    for metric in ("ideas", "requested", "granted"):
        for theme in dashboard.themes:
            for r in dashboard.regions:
                assert sheet.value(theme, r, metric) == dashboard.value(theme, r, metric)
        for r in dashboard.regions:
            assert sheet.region_total(r, metric) == dashboard.region_totals.get(r.pk, {}).get(
                metric, 0
            )
    panel = {row.code: row.granted for row in regions(data).rows}
    for r in dashboard.regions:
        assert panel[r.code] == sheet.region_total(r, "granted")


def test_the_consortium_as_it_stood_at_the_quarters_end(world):
    # After the quarter the Lapland member leaves: the dashboard (as now) gives Pirkanmaa all
    # of b's 40 000 €; the report keeps the plan as it stood on 30.6.2023.
    member = world["b"].consortium_members.get(organisation__region=world["lappi"])
    member.status = member.Status.WITHDRAWN
    consortium_member_save(member=member, by=None)
    sheet = report_sheet()
    assert sheet.value(world["robots"], world["lappi"], "requested") == D("10000")
    data = DashboardData.from_filter(dashboard_filter(QueryDict("year=2023&quarter=2")))
    assert balance(data).value(world["robots"], world["lappi"], "requested") == 0


def test_the_sheet_states_the_rule_and_has_a_no_region_column(world):
    from io import BytesIO

    from openpyxl import load_workbook

    from dashboards.reports import ReportSpec, write_report
    from funding.selectors import region_share_rule

    buffer = BytesIO()
    write_report(ReportSpec.for_quarter(2023, 2, "en"), buffer)
    sheet = load_workbook(BytesIO(buffer.getvalue()))["Themes × regions"]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == region_share_rule()
    headers = next(row for row in rows if row[0] == "Theme")
    assert headers[-2:] == ("No region", "Total")
    titles = [row[0] for row in rows if row[0] and "shared out among regions" in str(row[0])]
    assert len(titles) == 3  # the rule, € requested and € granted
