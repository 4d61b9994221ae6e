"""The quarterly report's workbook (dashboards/reports.py): every Summary figure against the
known portfolio of report_data, in both languages; the other sheets; formatting."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from io import BytesIO

import pytest
from django.utils import translation
from django.utils.translation import pgettext

from core.formatting import round_half_up
from dashboards.filters import Period
from dashboards.reports import ReportSpec, write_report
from dashboards.selectors import DashboardData
from dashboards.selectors.balance import balance
from dashboards.selectors.funding import funding
from dashboards.selectors.leverage import leverage
from dashboards.selectors.regions import regions
from funding.models import FundingApplication, FundingInstrument
from portfolio.models import Idea
from portfolio.selectors.drops import DROPPED_NOW
from portfolio.stages import Stage
from tests.dashboards.report_data import (
    BY_INSTRUMENT,
    blocks,
    build_world,
    open_workbook,
    read_summary,
    values,
)
from tests.factories import (
    FundingApplicationFactory,
    IdeaFactory,
    RoadshowEventFactory,
    instrument,
)

pytestmark = pytest.mark.django_db

Q2 = ReportSpec.for_quarter(2023, 2, "en")
OWN = Decimal("260000")
SHEETS = [
    "Summary", "Targets", "Events", "Ideas", "Applications", "Implementations", "Themes × regions",
    "Charts",
]
# The Targets sheet's name as the Finnish catalogue has it.
with translation.override("fi"):
    TARGETS_FI = pgettext("sheet", "Targets")
SHEET_NAMES = {
    "en": SHEETS,
    "fi": [
        "Yhteenveto", TARGETS_FI, "Tilaisuudet", "Ideat", "Hakemukset", "Toteutukset",
        "Teemat × maakunnat", "Kaaviot",
    ],
}

# Counted by hand from the story in report_data: (the quarter, 2023 to date, since 1.1.2022).
EXPECTED = {
    "events": (1, 2, 3),
    "participants_onsite": (30, 40, 40),
    "participants_online": (20, 20, 35),
    "organisations": (2, 3, 4),
    "new_ideas": (2, 3, 4),
    "stage_moves": (4, 6, 7),
    "submitted": (2, 3, 5),
    "requested": (70_000, 170_000, 240_000),
    "approved": (1, 1, 2),
    "rejected": (1, 1, 1),
    "granted": (80_000, 80_000, 120_000),
    "granted_from_events": (80_000, 80_000, 80_000),
}
EXPECTED_BY_INSTRUMENT = {
    "akke": {
        "submitted": (1, 2, 2),
        "requested": (20_000, 120_000, 120_000),
        "approved": (1, 1, 1),
        "rejected": (0, 0, 0),
        "granted": (80_000, 80_000, 80_000),
    },
    "bf-rdi": {
        "submitted": (1, 1, 3),
        "requested": (50_000, 50_000, 120_000),
        "approved": (0, 0, 1),
        "rejected": (1, 1, 1),
        "granted": (0, 0, 40_000),
    },
}
EXPECTED_STAGES = {
    Stage.IDEA: 0,
    Stage.CONSORTIUM: 1,
    Stage.APPLICATION: 1,
    Stage.IMPLEMENTATION: 1,
    Stage.COMPLETED: 0,
    Stage.DROPPED: 1,
}


def generate(spec: ReportSpec = Q2) -> bytes:
    buffer = BytesIO()
    write_report(spec, buffer)
    return buffer.getvalue()


@pytest.fixture
def world(settings):
    settings.NETWORK_OWN_FUNDING = OWN
    settings.NETWORK_START_DATE = date(2022, 1, 1)
    return build_world()


def test_the_leverage_is_held_rounded_half_up_and_shown_as_times(world, settings):
    # 80 000 / 320 000 = 0.25: half-up gives 0.3 (Python's round() would give 0.2).
    settings.NETWORK_OWN_FUNDING = Decimal("320000")
    workbook = open_workbook(generate(ReportSpec.for_quarter(2023, 2, "fi")))
    assert read_summary(workbook).figures["leverage"] == (0.3, 0.3, 0.3)
    sheet = workbook.worksheets[0]
    cell = next(row[1] for row in sheet.iter_rows() if row[1].value == 0.3)
    assert cell.number_format == '0.0" ×"'


@pytest.mark.parametrize("language", ["fi", "en"])
def test_every_summary_figure_matches_the_story(world, language):
    workbook = open_workbook(generate(ReportSpec.for_quarter(2023, 2, language)))
    summary = read_summary(workbook)

    for name, expected in EXPECTED.items():
        assert summary.figures[name] == pytest.approx(expected), name
    # 80 000 / 260 000 = 0.307…, written rounded half-up as the page shows it.
    assert summary.figures["leverage"] == pytest.approx(
        tuple(float(round_half_up(Decimal(v) / OWN)) for v in EXPECTED["granted_from_events"])
    )
    with translation.override(language):
        names = {code: FundingInstrument.objects.get(code=code).name for code in EXPECTED_BY_INSTRUMENT}
        stage_labels = {str(stage.label): count for stage, count in EXPECTED_STAGES.items()}
        # The dropped stage holds the ideas dropped now, and says so.
        stage_labels[str(DROPPED_NOW)] = stage_labels.pop(str(Stage.DROPPED.label))
    for figure in BY_INSTRUMENT:
        read = summary.by_instrument[figure]
        assert set(read) == set(names.values()), figure
        for code, name in names.items():
            assert read[name] == pytest.approx(EXPECTED_BY_INSTRUMENT[code][figure]), (figure, code)
    assert dict(summary.stages) == stage_labels
    assert summary.all_ideas == 4
    assert workbook.properties.language == language
    assert workbook.sheetnames == SHEET_NAMES[language]


def test_in_finnish_the_labels_follow_the_finnish_catalogue(world):
    workbook = open_workbook(generate(ReportSpec.for_quarter(2023, 2, "fi")))
    with translation.override("fi"):
        stage_label = str(Stage.IMPLEMENTATION.label)
        instrument = FundingInstrument.objects.get(code="akke").name
    summary = read_summary(workbook)
    assert stage_label in dict(summary.stages)
    assert instrument in summary.by_instrument["granted"]
    # Days in the Finnish way: 1.4.2023.
    assert "1.4.2023–30.6.2023" in values(workbook.worksheets[0])[1][0]


def test_the_summary_matches_the_dashboard_for_the_same_periods(world):
    """The dashboard's own selectors, asked about each column's period, give the same
    numbers when nothing was changed after the period."""
    summary = read_summary(open_workbook(generate()))
    periods = (
        Period(date(2023, 4, 1), date(2023, 6, 30)),
        Period(date(2023, 1, 1), date(2023, 6, 30)),
        Period(date(2022, 1, 1), date(2023, 6, 30)),
    )
    for index, period in enumerate(periods):
        data = DashboardData(ideas=Idea.objects.all(), period=period)
        money = funding(data)
        assert summary.figures["submitted"][index] == money.total.submitted
        assert summary.figures["requested"][index] == money.total.requested
        assert summary.figures["approved"][index] == money.total.approved
        assert summary.figures["rejected"][index] == money.total.decided - money.total.approved
        assert summary.figures["granted"][index] == money.total.granted
        for row in money.instruments:
            assert summary.by_instrument["requested"][row.label][index] == row.requested
            assert summary.by_instrument["granted"][row.label][index] == row.granted
        lever = leverage(data, window="period")
        assert summary.figures["granted_from_events"][index] == lever.granted
        assert summary.figures["granted_to_dropped"][index] == lever.dropped_granted
        assert summary.figures["leverage"][index] == pytest.approx(
            float(round_half_up(lever.ratio))
        )
        assert summary.figures["leverage_over_budget"][index] == pytest.approx(
            float(round_half_up(lever.ratio_over_budget))
        )
        places = regions(data)
        assert summary.figures["events"][index] == places.events
        assert (
            summary.figures["participants_onsite"][index]
            + summary.figures["participants_online"][index]
            == places.participants
        )
        assert summary.figures["new_ideas"][index] == balance(data).total["ideas"]

    # The Themes × regions sheet is the dashboard's balance for the quarter.
    data = DashboardData(ideas=Idea.objects.all(), period=periods[0])
    expected = balance(data)
    sheet = read_matrices(open_workbook(generate()))
    for metric in ("ideas", "requested", "granted"):
        matrix = sheet[metric]
        for theme in expected.themes:
            for region in expected.regions:
                assert matrix[theme.name][region.name] == expected.value(theme, region, metric)
            assert matrix[theme.name]["Total"] == expected.theme_totals.get(theme.pk, {}).get(metric, 0)
        assert matrix["Total"]["Total"] == expected.total[metric]


def read_matrices(workbook) -> dict[str, dict[str, dict[str, object]]]:
    """The Themes × regions sheet as metric → theme → region → value."""
    result = {}
    # The first block states the rules; the three matrices follow.
    matrices = blocks(workbook["Themes × regions"])[1:]
    for metric, block in zip(("ideas", "requested", "granted"), matrices, strict=True):
        header = block[1]
        result[metric] = {
            row[0]: dict(zip(header[1:], row[1:])) for row in block[2:]
        }
    return result


def test_themes_regions_counts_by_hand(world):
    matrix = read_matrices(open_workbook(generate()))
    t1, t2 = "Theme one", "Theme two"
    # Ideas created in the quarter: I1 (T1, Pirkanmaa) and I4 (T1 T2, Pirkanmaa E-Pohjanmaa).
    assert matrix["ideas"][t1]["Pirkanmaa"] == 2
    assert matrix["ideas"][t2]["South Ostrobothnia"] == 1
    assert matrix["ideas"][t1]["Total"] == 2
    assert matrix["ideas"]["Total"]["Total"] == 2
    # A2 (I2: T2, Central Finland) 50 000 and A4 (I3: T1, Pirkanmaa) 20 000 submitted.
    assert matrix["requested"][t2]["Central Finland"] == 50_000
    assert matrix["requested"][t1]["Pirkanmaa"] == 20_000
    assert matrix["requested"]["Total"]["Total"] == 70_000
    # A1 (I3) granted 80 000.
    assert matrix["granted"][t1]["Pirkanmaa"] == 80_000
    assert matrix["granted"]["Total"]["Total"] == 80_000


def test_list_sheets_hold_the_period_as_it_ended(world):
    workbook = open_workbook(generate())
    events = values(workbook["Events"])
    assert [row[1] for row in events[1:]] == ["E1"]
    assert events[1][0].date() == date(2023, 5, 10)
    assert events[1][6:9] == (30, 20, 2)

    ideas = {row[0]: row for row in values(workbook["Ideas"])[1:]}
    assert set(ideas) == {"I1", "I2", "I3", "I4"}  # I5 came later
    assert ideas["I3"][1] == "Implementation"
    assert ideas["I3"][2].date() == date(2023, 6, 1)
    assert ideas["I3"][6] == "E3 (1.9.2022)"
    assert ideas["I4"][4] == "Theme one, Theme two"
    assert ideas["I4"][5] == "Pirkanmaa, South Ostrobothnia"
    assert ideas["I2"][6] is None
    assert ideas["I1"][3] == "Olli Omistaja"

    applications = values(workbook["Applications"])[1:]
    # Submitted or decided in the quarter: A1 (decided), A2, A3 (decided), A4 (submitted).
    assert sorted(row[6] for row in applications) == [20_000, 30_000, 50_000, 100_000]
    a4 = next(row for row in applications if row[6] == 20_000)
    assert a4[7] == "Submitted"  # its approval came after the quarter
    assert a4[9] is None and a4[10] is None

    implementations = values(workbook["Implementations"])[1:]
    assert [(row[0], row[3].date()) for row in implementations] == [("I3", date(2023, 6, 5))]


@pytest.mark.parametrize(
    ("language", "origin", "period"),
    [
        ("fi", "E3 (1.9.2022)", "1.4.2023–30.6.2023"),
        ("en", "E3 (1.9.2022)", "1.4.2023–30.6.2023"),
    ],
)
def test_dates_written_in_text_are_the_languages_short_dates(world, language, origin, period):
    workbook = open_workbook(generate(ReportSpec.for_quarter(2023, 2, language)))
    ideas = {row[0]: row for row in values(workbook.worksheets[3])[1:]}
    assert ideas["I3"][6] == origin
    assert period in values(workbook.worksheets[0])[1][0]


def test_formatting(world):
    workbook = open_workbook(generate())
    assert workbook.properties.title == "SIXNET quarterly report Q2/2023"
    assert "1.4.2023–30.6.2023" in workbook.properties.subject
    for name in ("Events", "Ideas", "Applications", "Implementations"):
        sheet = workbook[name]
        assert sheet.freeze_panes == "A2", name
        assert sheet.auto_filter.ref == f"A1:{sheet.cell(1, sheet.max_column).column_letter}{sheet.max_row}"
        assert sheet["A1"].font.b, name
        for column in range(1, sheet.max_column + 1):
            letter = sheet.cell(1, column).column_letter
            header = str(sheet.cell(1, column).value)
            # A header wraps onto two lines rather than widen a column of numbers.
            assert sheet.column_dimensions[letter].width >= len(header) / 2, (name, header)
    assert workbook["Summary"].freeze_panes == "B1"
    summary = workbook["Summary"]
    # Whole-euro, signed change and count formats on the figures.
    money = next(row for row in summary.iter_rows(min_row=6) if row[1].value == 70_000)
    assert money[1].number_format == '#,##0 "€"'
    assert money[2].number_format == '#,##0 "€"'  # the previous period
    assert money[3].number_format == '+#,##0 "€";-#,##0 "€";0 "€"'  # its change
    assert workbook["Applications"]["I2"].number_format == "dd.mm.yyyy"
    assert len(workbook["Charts"]._charts) == 2


def chart_cells(sheet, reference: str) -> list:
    """The values of a chart's reference, a range or a union of ranges on ``sheet``."""
    cells = []
    for part in reference.strip("()").split(","):
        area = sheet[part.split("!")[1].replace("$", "")]
        cells += [row[0].value for row in area] if isinstance(area, tuple) else [area.value]
    return cells


def test_the_funding_chart_shows_only_instruments_with_money_in_the_period(world):
    for code, requested, submitted in (("eakr", 7_000, date(2022, 3, 1)),
                                       ("jtf", 5_000, date(2023, 4, 10))):
        FundingApplicationFactory(
            idea=world.ideas["I2"], instrument=instrument(code), total_budget=requested * 2,
            requested=requested, submitted_on=submitted,
            status=FundingApplication.Status.SUBMITTED,
        )
    workbook = open_workbook(generate())
    sheet = workbook["Summary"]  # the charts' data; the charts are on a sheet of their own
    summary = read_summary(workbook)
    names = {code: FundingInstrument.objects.get(code=code).name for code in
             ("akke", "bf-rdi", "eakr", "jtf")}
    # The tables keep every instrument with an application in any column.
    assert set(summary.by_instrument["requested"]) == set(names.values())
    chart = next(chart for chart in workbook["Charts"]._charts if len(chart.series) == 2)
    requested, granted = chart.series
    shown = chart_cells(sheet, requested.cat.strRef.f)
    # EAKR's only application was in 2022: no € in the quarter, no bar.
    assert sorted(shown) == sorted([names["akke"], names["bf-rdi"], names["jtf"]])
    assert chart_cells(sheet, granted.cat.strRef.f) == shown
    by_name = dict(zip(shown, zip(chart_cells(sheet, requested.val.numRef.f),
                                  chart_cells(sheet, granted.val.numRef.f))))
    assert by_name == {
        names["akke"]: (20_000, 80_000), names["bf-rdi"]: (50_000, 0), names["jtf"]: (5_000, 0)
    }


def test_text_that_looks_like_a_formula_stays_text():
    event = RoadshowEventFactory(title="=HYPERLINK(\"http://evil.example\")", date=date(2023, 5, 2))
    for index, title in enumerate(["=1+1", "+cmd|' /C calc'!A0", "-2+3", "@SUM(A1:A2)"]):
        IdeaFactory(title=title, origin_event=event)
    buffer = BytesIO()
    today = date.today()
    write_report(ReportSpec(Period(date(2023, 1, 1), today), "en"), buffer)
    workbook = open_workbook(buffer.getvalue())
    titles = {row[0] for row in values(workbook["Ideas"])[1:]}
    assert titles == {"=1+1", "+cmd|' /C calc'!A0", "-2+3", "@SUM(A1:A2)"}
    for row in workbook["Ideas"].iter_rows(min_row=2):
        assert row[0].data_type == "s"
        assert row[6].value == f"{event.title} (2.5.2023)" and row[6].data_type == "s"
    assert values(workbook["Events"])[1][1] == event.title
    assert workbook["Events"]["B2"].data_type == "s"


def test_an_empty_portfolio_gives_a_whole_workbook():
    workbook = open_workbook(generate())
    summary = read_summary_empty(workbook)
    assert summary == 0
    assert workbook.sheetnames == SHEETS


def read_summary_empty(workbook) -> int:
    parts = blocks(workbook["Summary"])
    # With no applications each instrument table says so in one row.
    assert all(len(part) == 2 for part in parts[2:7])
    return sum(row[1] for row in parts[7][1:-1])


def test_the_leverage_is_defined_and_shown_over_the_budget(world, settings):
    settings.NETWORK_BUDGET = Decimal("325000")
    workbook = open_workbook(generate(ReportSpec.for_quarter(2023, 2, "en")))
    sheet = workbook.worksheets[0]
    title_block = [row[0] for row in values(sheet)[:3]]
    assert title_block[2].startswith(
        "Leverage = € granted (approved applications, by decision date) to ideas born at "
        "the network's events ÷ the network's own funding (260,000 €)"
    )
    assert "total budget (325,000 €)" in title_block[2]
    summary = read_summary(workbook)
    # 80 000 / 325 000 = 0.246… → 0.2.
    assert summary.figures["leverage_over_budget"] == (0.2, 0.2, 0.2)
    assert summary.figures["granted_to_dropped"] == (0, 0, 0)


def test_a_swedish_report_is_swedish_to_its_targets(world):
    from openpyxl import load_workbook

    from dashboards.models import Indicator, Target

    Target.objects.create(indicator=Indicator.NEW_IDEAS, target_value=10,
                          start_date=date(2022, 1, 1), target_date=date(2023, 12, 31))
    book = load_workbook(BytesIO(generate(ReportSpec.for_quarter(2023, 2, "sv"))))
    assert book.sheetnames[:2] == ["Sammanfattning", "Mål"]
    labels = [row[0] for row in book["Mål"].iter_rows(values_only=True) if row and row[0]]
    assert "Nya idéer" in labels and "Uusia ideoita" not in labels
