"""The quarterly report's print layout (dashboards/reports.py, core/spreadsheets.py): every
sheet prints on A4 landscape at a scale that keeps its text at 9 pt or more, with the
network, the title, the period and "page N / M" on every page; columns fit the page's
width, long text wraps in rows high enough for it, and a table's heading never ends a page."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from io import BytesIO
from itertools import pairwise

import pytest
from django.utils import translation
from django.utils.translation import gettext

from core.spreadsheets import (
    LINE_POINTS,
    PRINT_SCALE,
    column_pixels,
    page_pixels,
    page_points,
    wrapped_lines,
)
from dashboards import reports
from dashboards.models import NO_NARRATIVE, Narrative
from dashboards.reports import ReportSpec, write_report
from funding.models import FundingApplication
from portfolio.models import Region
from portfolio.services import idea_create
from tests.dashboards.report_data import at, build_world, open_workbook, read_summary, values
from tests.factories import (
    FundingApplicationFactory,
    RoadshowEventFactory,
    ThemeFactory,
    UserFactory,
    instrument,
)

pytestmark = pytest.mark.django_db

LONG_TITLE = "Joustava robotiikka piensarjatuotantoon teknologiateollisuuden pk-yrityksissä"
LONG_THEME = "Vastuullisesti uudistuva teollisuus ja hallittu kestävyyssiirtymä"
# Excel's and LibreOffice's default text, 11 pt, printed at the sheets' scale.
BODY_POINTS = 11


def generate(language: str = "fi", narrative: Narrative = NO_NARRATIVE) -> bytes:
    buffer = BytesIO()
    write_report(ReportSpec.for_quarter(2023, 2, language, narrative), buffer)
    return buffer.getvalue()


def widths(sheet) -> dict[str, float]:
    """Each column's width by its header."""
    headers = [sheet.cell(1, column) for column in range(1, sheet.max_column + 1)]
    return {cell.value: sheet.column_dimensions[cell.column_letter].width for cell in headers}


def sheet_pixels(sheet) -> float:
    return sum(
        column_pixels(sheet.column_dimensions[sheet.cell(1, column).column_letter].width)
        for column in range(1, sheet.max_column + 1)
    )


@pytest.fixture
def long_texts():
    """An event and an idea of the quarter with long titles and lists."""
    themes = [
        ThemeFactory(name_fi=f"{LONG_THEME} {n}", name_en=f"{LONG_THEME} {n}") for n in range(4)
    ]
    event = RoadshowEventFactory(
        title="Roadshow Seinäjoki II: elintarviketeollisuuden automaatio", date=date(2023, 4, 27)
    )
    event.themes.set(themes[:1])
    owner = UserFactory(manager=True)
    # The four longest names in both languages.
    regions = Region.objects.filter(code__in=["02", "14", "16", "17"])
    return idea_create(
        title=LONG_TITLE, by=owner, owner=owner, origin_event=event, themes=themes,
        regions=regions, at=at(date(2023, 5, 2)),
    )


def test_every_sheet_prints_a4_landscape_with_header_footer_and_readable_text():
    build_world()
    workbook = open_workbook(generate("en"))
    assert BODY_POINTS * PRINT_SCALE / 100 >= 9
    for sheet in workbook.worksheets:
        setup = sheet.page_setup
        assert (setup.orientation, int(setup.paperSize), setup.scale) == (
            "landscape", int(sheet.PAPERSIZE_A4), PRINT_SCALE
        ), sheet.title
        # A scale is set, not a fit that could shrink the text below it.
        assert not sheet.sheet_properties.pageSetUpPr.fitToPage, sheet.title
        header, footer = sheet.oddHeader, sheet.oddFooter
        assert header.left.text == "SIXNET", sheet.title
        assert header.center.text == "SIXNET quarterly report Q2/2023", sheet.title
        assert header.right.text == "1.4.2023–30.6.2023", sheet.title
        assert footer.center.text == "page &P / &N", sheet.title
        assert header.center.size >= 10 and footer.center.size >= 10
    # A list's header row heads every printed page.
    for name in ("Events", "Ideas", "Applications", "Implementations"):
        assert workbook[name].print_title_rows == "$1:$1", name
    assert workbook["Themes × regions"].print_title_cols == "$A:$A"


@pytest.mark.parametrize("language", ["fi", "en"])
def test_the_summary_fits_the_page_width_and_its_long_labels_wrap(language):
    build_world()
    sheet = open_workbook(generate(language)).worksheets[0]
    assert sheet_pixels(sheet) <= page_pixels()
    with translation.override(language):
        label = gettext(
            "Leverage over the total budget: € granted to ideas from the events ÷ total budget"
        )
    row = next(row for row in sheet.iter_rows() if row[0].value == label)
    width = sheet.column_dimensions["A"].width
    assert row[0].alignment.wrap_text
    lines = wrapped_lines(label, width)
    assert sheet.row_dimensions[row[0].row].height == lines * LINE_POINTS


def test_summary_pages_break_before_a_heading_rather_than_after_it():
    build_world()
    sheet = open_workbook(generate("en")).worksheets[0]
    breaks = [brk.id for brk in sheet.row_breaks.brk]
    assert breaks, "the Summary runs over more than one page"
    for row in breaks:
        # The last row of a page is never a table's heading, nor the blank row before one.
        last = sheet.cell(row, 1)
        assert not (last.fill and last.fill.fgColor.rgb == "001F4E79"), row
    # Every page holds what the page's height does.
    heights = {
        index: sheet.row_dimensions[index].height or LINE_POINTS
        for index in range(1, sheet.max_row + 1)
    }
    edges = [0, *breaks, sheet.max_row]
    for first, last in pairwise(edges):
        assert sum(heights[index] for index in range(first + 1, last + 1)) <= page_points()


@pytest.mark.parametrize("language", ["fi", "en"])
def test_list_columns_fit_the_page_and_long_text_wraps_in_a_high_enough_row(
    long_texts, language
):
    workbook = open_workbook(generate(language))
    with translation.override(language):
        title, themes = gettext("Title"), gettext("Themes")
    for sheet in workbook.worksheets[1:6]:  # Targets, Events, Ideas, Applications, ...
        assert sheet_pixels(sheet) <= page_pixels(), sheet.title
    ideas = workbook.worksheets[3]
    header = [cell.value for cell in ideas[1]]
    row = ideas[2]
    cells = dict(zip(header, row))
    width = widths(ideas)
    assert cells[title].value == LONG_TITLE  # whole, not cut
    assert cells[title].alignment.wrap_text and cells[themes].alignment.wrap_text
    needed = max(wrapped_lines(cells[name].value, width[name]) for name in (title, themes))
    assert needed > 1
    assert ideas.row_dimensions[2].height == needed * LINE_POINTS
    # Numbers and dates sit level with the first line of the wrapped text beside them.
    assert cells[gettext("Created") if language == "en" else "Luotu"].alignment.vertical == "top"


def test_the_ideas_sheet_fits_its_first_ideas_and_writes_every_one(monkeypatch):
    owner = UserFactory(manager=True)
    for title in ("Short", LONG_TITLE):
        idea_create(title=title, by=owner, owner=owner, at=at(date(2023, 4, 2)))
    monkeypatch.setattr(reports, "SAMPLE_SIZE", 1)
    sheet = open_workbook(generate("en")).worksheets[3]
    assert [row[0] for row in values(sheet)[1:]] == ["Short", LONG_TITLE]
    # Only the first idea was measured.
    assert widths(sheet)["Title"] == max(reports.MIN_WIDTH, len("Title") + 2)


def test_number_formats_keep_cells_numbers():
    build_world()
    workbook = open_workbook(generate("en"))
    summary = workbook.worksheets[0]
    rows = {row[0].value: row for row in summary.iter_rows() if row[0].value}
    granted = rows["€ granted in the approvals"]
    assert isinstance(granted[1].value, int | float)
    assert granted[1].number_format == '#,##0 "€"'
    leverage = rows["Leverage: € granted to ideas from the events ÷ own funding"]
    assert leverage[1].number_format == '0.0" ×"'
    assert leverage[2].number_format == '0.0" ×"'
    assert leverage[3].number_format == '+0.0" ×";-0.0" ×";0.0" ×"'
    events = rows["Roadshow events held"]
    assert events[1].number_format == "#,##0"
    assert events[3].number_format == "+#,##0;-#,##0;0"
    ideas = workbook["Ideas"]
    budget = next(cell for cell in ideas[1] if cell.value == "Estimated budget").column
    assert ideas.cell(2, budget).number_format == '#,##0 "€"'


def test_the_comparison_columns_hold_the_previous_and_the_year_earlier_periods():
    build_world()
    summary = read_summary(open_workbook(generate("en")))
    q2 = read_summary(open_workbook(generate("en")))
    for name in ("events", "new_ideas", "submitted", "requested", "granted"):
        period, year_to_date, _since = summary.figures[name]
        previous, change, year_earlier, change_from_year_earlier = summary.compared[name]
        # Q1 and Q2 make up the year to date.
        assert previous == year_to_date - period, name
        assert change == period - previous, name
        assert change_from_year_earlier == period - year_earlier, name
    assert q2 == summary  # the same data gives the same figures


def test_the_same_period_a_year_earlier_is_that_periods_own_figures():
    build_world()
    this_year = read_summary(open_workbook(generate("en")))
    buffer = BytesIO()
    write_report(ReportSpec.for_quarter(2022, 2, "en"), buffer)
    last_year = read_summary(open_workbook(buffer.getvalue()))
    for name in ("events", "participants_onsite", "new_ideas", "submitted", "requested"):
        assert this_year.compared[name][2] == last_year.figures[name][0], name


def test_the_narrative_is_on_the_summary_in_the_reports_words():
    build_world()
    narrative = Narrative(
        highlights="Kolme uutta konsortiota.\nAKKE-haku avautui.", risks="", plans="Syksyn kiertue."
    )
    sheet = open_workbook(generate("fi", narrative)).worksheets[0]
    texts = [row[0] for row in values(sheet) if row[0]]
    with translation.override("fi"):
        highlights, plans = gettext("Highlights"), gettext("Plans for the next quarter")
    assert highlights in texts and plans in texts
    assert gettext("Risks") not in texts  # left empty, left out
    assert "Kolme uutta konsortiota.\nAKKE-haku avautui." in texts
    row = next(row for row in sheet.iter_rows() if row[0].value == "Syksyn kiertue.")
    # Across the whole width, wrapped.
    assert any(str(rng).startswith(f"A{row[0].row}:") for rng in sheet.merged_cells.ranges)
    # The figures are those of a report without a narrative.
    assert read_summary(open_workbook(generate("fi"))) == read_summary(
        open_workbook(generate("fi", narrative))
    )


def test_an_amount_with_cents_keeps_them_in_the_cell():
    world = build_world()
    FundingApplicationFactory(
        idea=world.ideas["I2"], instrument=instrument("jtf"), total_budget=Decimal(25001),
        requested=Decimal("12500.50"), submitted_on=date(2023, 4, 10),
        status=FundingApplication.Status.SUBMITTED,
    )
    sheet = open_workbook(generate("en"))["Applications"]
    header = [cell.value for cell in sheet[1]]
    column = header.index("Requested") + 1
    cell = next(row[column - 1] for row in sheet.iter_rows(min_row=2)
                if row[column - 1].value == 12500.5)
    # Shown in whole euros, held to the cent.
    assert cell.number_format == '#,##0 "€"'
