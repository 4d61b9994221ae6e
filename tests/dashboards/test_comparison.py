"""Comparison: the change between periods, the caption's sentence and the comparison table,
on the page and in the download, against a small portfolio whose numbers are known."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from io import BytesIO
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from dashboards.comparison import (
    COUNT,
    DOWN,
    MONEY,
    PERCENT,
    RATIO,
    SAME,
    UP,
    Change,
    ComparedFigure,
    Comparison,
    compare,
    rounded,
)
from dashboards.filters import Period
from dashboards.selectors.activity import Activity
from tests.factories import FundingApplicationFactory, IdeaFactory, ThemeFactory, region

HELSINKI = ZoneInfo("Europe/Helsinki")
Q2_2023 = Period(date(2023, 4, 1), date(2023, 6, 30))
DASHBOARD = reverse("dashboard")


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def test_a_rise_a_fall_and_no_change():
    rise = Change(12, 15, COUNT)
    assert (rise.delta, rise.direction, rise.share) == (3, UP, Decimal("0.25"))
    assert rise.text == "▲\xa03" and rise.percent_text == "+25.0\xa0%"
    fall = Change(4, 3, COUNT)
    assert (fall.direction, fall.text, fall.percent_text) == (DOWN, "▼\xa01", "−25.0\xa0%")
    same = Change(3, 3, COUNT)
    assert (same.direction, same.text, same.percent_text) == (SAME, "=\xa00", "0.0\xa0%")
    assert same.summary() == "=\xa0unchanged"


def test_percent_change_is_rounded_half_up():
    # 2 → 3 is +50 %; 3 → 2 is −33,33… %; 6 → 10 is +66,66… % → 66,7.
    assert Change(3, 2, COUNT).percent_text == "−33.3\xa0%"
    assert Change(6, 10, COUNT).percent_text == "+66.7\xa0%"


def test_from_zero_there_is_no_percentage():
    change = Change(0, 3, COUNT)
    assert change.text == "▲\xa03"
    assert change.share is None and change.percent_text == "—"
    # The caption then gives the change alone.
    assert change.summary() == "▲\xa03"


def test_a_missing_value_has_no_change():
    change = Change(None, rounded(Decimal("0.5"), PERCENT), PERCENT)
    assert change.direction is None and change.text == "—" and change.percent_text == "—"


def test_money_changes_in_euros():
    change = Change(Decimal(1000), Decimal("1500.00"), MONEY)
    assert change.text == "▲\xa0500\xa0€" and change.percent_text == "+50.0\xa0%"


def test_a_percentage_changes_in_points_of_the_shown_figures():
    # 1/3 shows as 33,3 % and 2/3 as 66,7 %: by hand, 33,4 points up, +100,3 %.
    change = Change(rounded(Decimal(1) / 3, PERCENT), rounded(Decimal(2) / 3, PERCENT), PERCENT)
    assert change.text == "▲\xa033.4 pp"
    assert change.percent_text == "+100.3\xa0%"


def test_a_ratio_changes_in_multiples():
    # 15,06… × shows as 15,1 ×; 16,29… × as 16,3 ×.
    change = Change(rounded(Decimal("16.295"), RATIO), rounded(Decimal("15.069"), RATIO), RATIO)
    assert change.text == "▼\xa01.2\xa0×" and change.percent_text == "−7.4\xa0%"


def test_screen_readers_hear_words_not_arrows():
    html = Change(12, 15, COUNT).html
    assert '<span aria-hidden="true">▲</span>' in html
    assert '<span class="visually-hidden">up</span>' in html
    assert '<span class="visually-hidden">down</span>' in Change(15, 12, COUNT).html


def activity(created: int) -> Activity:
    from dashboards.selectors.activity import Quarter

    return Activity(period=Q2_2023, quarters=[Quarter(2023, 2, created=created)])


def test_the_caption_sentence_compares_the_main_figure():
    comparison = compare("activity", Q2_2023, activity(15), activity(12), activity(9))
    assert comparison.main.label == "Ideas created"
    assert comparison.sentence() == (
        "Ideas created in the previous quarter, Q1/2023: 12 (▲\xa03, +25.0\xa0%); "
        "a year earlier, Q2/2022: 9 (▲\xa06, +66.7\xa0%)."
    )
    html = comparison.sentence(html=True)
    assert "Q1/2023: 12 (" in html and '<span class="visually-hidden">up</span>' in html


def test_the_sentence_names_a_year_and_a_from_to_period_for_what_they_are():
    figures = [ComparedFigure("Events hosted", COUNT, 2, 2, 2)]
    year = Comparison(
        Period(date(2023, 1, 1), date(2023, 12, 31)),
        Period(date(2022, 1, 1), date(2022, 12, 31)),
        Period(date(2022, 1, 1), date(2022, 12, 31)),
        figures,
    )
    # The year before is both the previous period and a year earlier: said once.
    assert year.sentence() == "Events hosted in the previous year, 2022: 2 (=\xa0unchanged)."
    days = Period(date(2023, 3, 10), date(2023, 3, 20))
    ranged = Comparison(days, days.previous(), days.year_earlier(), figures)
    assert ranged.sentence().startswith(
        "Events hosted in the as long period just before, 27.2.–9.3.2023: 2"
    )


def test_every_panel_has_headline_figures():
    from dashboards.comparison import HEADLINES
    from dashboards.panels import PANELS

    assert {panel.key for panel in PANELS} <= set(HEADLINES)


@pytest.fixture
def manager(manager):
    manager.cookies["django_language"] = "en"
    return manager


@pytest.fixture
def portfolio(db):
    """Ideas created: 3 in Q2/2023, 2 in Q1/2023, none in Q2/2022. Granted: 40 000 € in
    Q2/2023, 20 000 € in Q1/2023."""
    robots = ThemeFactory(name_en="Robotics")
    at = lambda *day: datetime(*day, 12, tzinfo=HELSINKI)
    q2 = [IdeaFactory(themes=[robots], regions=[region("06")], at=at(2023, 5, d)) for d in (2, 3, 4)]
    q1 = [IdeaFactory(themes=[robots], regions=[region("06")], at=at(2023, 2, d)) for d in (2, 3)]
    IdeaFactory(themes=[robots], regions=[region("06")], at=at(2021, 5, 2))  # a year before that
    FundingApplicationFactory(
        idea=q2[0], approved=True, requested=Decimal(50000), granted=Decimal(40000),
        submitted_on=date(2023, 5, 10), decided_on=date(2023, 6, 10),
    )
    FundingApplicationFactory(
        idea=q1[0], approved=True, requested=Decimal(30000), granted=Decimal(20000),
        submitted_on=date(2023, 2, 10), decided_on=date(2023, 3, 10),
    )
    return robots


def panels(client, query: dict) -> dict:
    return {panel.key: panel for panel in client.get(DASHBOARD, query).context["panels"]}


def test_without_a_period_nothing_is_compared(manager, portfolio):
    shown = panels(manager, {})
    assert all(panel.comparison is None for panel in shown.values())
    body = manager.get(DASHBOARD).content.decode()
    assert "in the previous quarter" not in body and "Change %" not in body


def test_each_panel_compares_under_a_quarter(manager, portfolio):
    shown = panels(manager, {"year": "2023", "quarter": "2"})
    activity = shown["activity"].comparison
    assert activity.sentence() == (
        "Ideas created in the previous quarter, Q1/2023: 2 (▲\xa01, +50.0\xa0%); "
        "a year earlier, Q2/2022: 0 (▲\xa03)."
    )
    funding = {figure.label: figure for figure in shown["funding"].comparison.figures}
    granted = funding["€ granted"]
    assert (granted.current, granted.previous, granted.year_earlier) == (
        Decimal("40000.00"), Decimal("20000.00"), Decimal(0),
    )
    assert granted.from_previous.text == "▲\xa020,000\xa0€"
    assert granted.from_previous.percent_text == "+100.0\xa0%"
    # 40 000 ÷ 50 000 against 20 000 ÷ 30 000: 80,0 % against 66,7 %, 13,3 points up.
    rate = funding["Success rate by €"]
    assert (rate.current, rate.previous) == (Decimal("0.8"), Decimal("0.667"))
    assert rate.from_previous.text == "▲\xa013.3 pp"
    assert rate.year_earlier is None and rate.from_year_earlier.text == "—"


def test_the_page_shows_the_sentence_and_the_table(manager, portfolio):
    body = manager.get(DASHBOARD, {"year": "2023", "quarter": "2"}).content.decode()
    assert 'class="comparison-sentence"' in body
    assert "Ideas created in the previous quarter, Q1/2023: 2 (" in body
    assert "Previous: Q1/2023" in body and "A year earlier: Q2/2022" in body
    assert '<span class="visually-hidden">up</span>' in body
    assert "+50.0\xa0%" in body


def test_the_download_has_the_comparison_on_its_own_sheet(manager, portfolio):
    response = manager.get(
        reverse("dashboard-download", args=["activity"]), {"year": "2023", "quarter": "2"}
    )
    workbook = load_workbook(BytesIO(b"".join(response.streaming_content)))
    assert workbook.sheetnames[-1] == "Comparison"
    sheet = workbook["Comparison"]
    rows = list(sheet.iter_rows(values_only=True))
    # The sheet is headed like the panel's own: title, period, filters, time made.
    assert rows[0][0] == "Activity per quarter"
    header = next(index for index, row in enumerate(rows) if row[0] == "Figure")
    assert rows[header] == (
        "Figure", "Q2/2023", "Previous: Q1/2023", "Change", "Change %",
        "A year earlier: Q2/2022", "Change", "Change %",
    )
    created = next(row for row in rows if row[0] == "Ideas created")
    assert created[:4] == ("Ideas created", 3, 2, 1)
    assert float(created[4]) == 0.5 and created[5:] == (0, 3, None)
    change = next(sheet.iter_rows(min_row=header + 2, max_row=header + 2))[3]
    assert change.number_format.startswith('"▲ "')


def test_a_download_without_a_period_has_one_sheet(manager, portfolio):
    response = manager.get(reverse("dashboard-download", args=["activity"]))
    assert load_workbook(BytesIO(b"".join(response.streaming_content))).sheetnames == [
        "Activity per quarter"
    ]


def test_the_table_says_how_it_is_read(manager, portfolio):
    body = manager.get(DASHBOARD, {"year": "2023", "quarter": "2"}).content.decode()
    assert "Change: the figure of Q2/2023 less the earlier period&#x27;s" in body
    response = manager.get(
        reverse("dashboard-download", args=["funding"]), {"year": "2023", "quarter": "2"}
    )
    sheet = load_workbook(BytesIO(b"".join(response.streaming_content)))["Comparison"]
    assert list(sheet.iter_rows(values_only=True))[-1][0].startswith(
        "Change: the figure of Q2/2023"
    )
