"""The quarterly report for the network's funder: one workbook, every figure as it stood at
the end of the period (``dashboards.selectors.report``), in Finnish or English.

Every sheet is written in openpyxl's write-only mode, the Summary's native charts too, so
the Ideas sheet streams however many ideas there are.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from decimal import Decimal
from itertools import chain, islice
from math import ceil
from operator import attrgetter
from typing import IO, Any

from django.conf import settings
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import override, pgettext
from openpyxl import Workbook
from openpyxl.chart import BarChart, Reference
from openpyxl.chart.data_source import AxDataSource, StrRef
from openpyxl.chart.series import SeriesLabel
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet
from openpyxl.worksheet.pagebreak import Break

from core.formatting import percent_value, round_half_up, whole_text
from core.spreadsheets import (
    DATE_FORMAT,
    DIGIT_PIXELS,
    FONT_NAME,
    HEADER_ALIGNMENT,
    HEADER_FILL,
    HEADER_FONT,
    LINE_POINTS,
    PERCENT_FORMAT,
    RATIO_FORMAT,
    TOP_ALIGNMENT,
    WRAP_ALIGNMENT,
    Column,
    Formatted,
    RowWriter,
    column_pixels,
    header_row,
    narrowed,
    page_pixels,
    page_points,
    print_setup,
    row_cells,
    safe_cell,
    start_sheet,
    text_width,
    wrapped_lines,
)
from dashboards.charts import targets as target_chart
from dashboards.filters import Period
from dashboards.models import NO_NARRATIVE, Narrative
from dashboards.selectors import report as selectors
from dashboards.selectors.funnel import PATH
from dashboards.selectors.targets import TargetRow, target_progress
from funding.selectors import region_share_rule
from portfolio.selectors import drops as drop_words
from portfolio.stages import Stage

COUNT_FORMAT = "#,##0"
# Euro amounts in whole euros, as the pages show them; a cell keeps its cents.
EUROS_FORMAT = '#,##0 "€"'
TITLE_FONT = Font(name=FONT_NAME, bold=True, size=14)
BOLD = Font(name=FONT_NAME, bold=True)
# Widths in characters: a fitted column is never narrower than MIN_WIDTH, nor wider than
# MAX_WIDTH unless it is given a limit of its own.
MIN_WIDTH, MAX_WIDTH = 8, 60
# The limits of the long free-text columns on screen: ideas' and events' titles, and lists
# of themes (their names are long). A sheet wider than a printed page is then narrowed to
# it (``narrowed``), these columns first, and their text wraps. An event covers more themes
# than an idea. Regions' names are short: four of the longest fit.
TITLE_WIDTH, THEMES_WIDTH, EVENT_THEMES_WIDTH, REGIONS_WIDTH = 70, 75, 100, 70
LABEL_ALIGNMENT = Alignment(wrap_text=True)
# The Charts sheet: a chart a printed page, as high as a page's rows (of LINE_POINTS) allow.
CHART_PAGE_ROWS = 34
CHART_HEIGHT = 15  # cm
# How wide a formatted number or date is, for fitting its column.
FORMAT_WIDTHS = {EUROS_FORMAT: 13, DATE_FORMAT: 11, RATIO_FORMAT: 8}
# The ideas whose values the Ideas sheet's column widths fit.
SAMPLE_SIZE = selectors.CHUNK_SIZE


@dataclass(frozen=True)
class ReportSpec:
    """What to report: a period (a calendar quarter when ``quarter`` is given), a language
    and the project manager's narrative. The same spec on the same data gives the same
    figures and words."""

    period: Period
    language: str
    year: int | None = None
    quarter: int | None = None
    narrative: Narrative = NO_NARRATIVE

    @classmethod
    def for_quarter(
        cls, year: int, quarter: int, language: str, narrative: Narrative = NO_NARRATIVE
    ) -> ReportSpec:
        return cls(selectors.quarter_period(year, quarter), language, year, quarter, narrative)

    @property
    def period_label(self) -> str:
        if self.quarter:
            return f"Q{self.quarter}/{self.year}"
        return span(self.period)


def span(period: Period) -> str:
    start = date_format(period.start, "SHORT_DATE_FORMAT")
    return f"{start}–{date_format(period.end, 'SHORT_DATE_FORMAT')}"


def report_title(spec: ReportSpec) -> str:
    """The report's title in the active language."""
    return _("%(network)s quarterly report %(period)s") % {
        "network": settings.NETWORK_NAME,
        "period": spec.period_label,
    }


@dataclass(frozen=True)
class ReportData:
    """The figures the workbook and the PDF share, read once: the Summary, the plan's
    targets, and the applications submitted or decided in the period as they stood at its
    end, which other sheets read too (the Summary's other columns read every application,
    streamed)."""

    applications: list[selectors.ApplicationAsOf]
    summary: selectors.Summary
    targets: list[TargetRow]


def report_data(spec: ReportSpec) -> ReportData:
    # In the report's language: some rows carry their labels as text (the targets').
    period = spec.period
    # Only the period's applications are kept: the others are counted as they stream by.
    in_period: list[selectors.ApplicationAsOf] = []

    def applications() -> Iterator[selectors.ApplicationAsOf]:
        for application in selectors.iter_applications_as_of(period.end):
            if application.submitted_in(period) or application.decided_in(period):
                in_period.append(application)
            yield application

    with override(spec.language):
        summary = selectors.summary(period, applications())
        in_period.sort(key=selectors.submission_order)
        return ReportData(in_period, summary, target_progress(period.end))


def write_report(spec: ReportSpec, out: IO[bytes], data: ReportData | None = None) -> None:
    """Write the report as an .xlsx workbook to ``out``, in the spec's language."""
    data = data or report_data(spec)
    with override(spec.language):
        workbook = Workbook(write_only=True)
        title = report_title(spec)
        properties = workbook.properties
        properties.title = title
        properties.subject = _("Period %(period)s") % {"period": span(spec.period)}
        properties.description = _(
            "Every figure as it stood at the end of the period %(period)s."
        ) % {"period": span(spec.period)}
        properties.creator = "Salkku"
        properties.language = spec.language

        period, applications = spec.period, data.applications
        names = selectors.Names()
        charts_sheet = _summary_sheet(workbook, title, spec, data.summary)
        _targets_sheet(workbook, data.targets)
        _events_sheet(workbook, selectors.event_rows(period, names))
        write_ideas_sheet(workbook, selectors.idea_rows(period.end, names))
        _applications_sheet(workbook, selectors.application_rows(period, applications, names))
        _implementations_sheet(workbook, selectors.implementation_rows(period.end))
        _themes_regions_sheet(workbook, selectors.themes_regions(period, applications))
        charts_sheet(workbook)
        header = (settings.NETWORK_NAME, title, span(period))
        for sheet in workbook.worksheets:
            print_setup(sheet, header=header, page_word=_("page"))
        workbook.save(out)


# --- sheet helpers ----------------------------------------------------------------------


def _text_width(value: Any, number_format: str | None) -> int:
    if isinstance(value, Formatted):
        value, number_format = value.value, value.number_format
    if value is None:
        return 0
    if number_format in FORMAT_WIDTHS:
        return FORMAT_WIDTHS[number_format]
    if isinstance(value, str):
        return ceil(text_width(value))
    return len(str(value))


def fitted(columns: Sequence[Column], rows: Sequence[Any]) -> list[Column]:
    """``columns`` with widths that fit their header and their longest value, no narrower
    than MIN_WIDTH and no wider than the column's own width, or MAX_WIDTH when that is 0;
    then narrowed to a printed page's width (``narrowed``). A header wraps onto two lines
    or more rather than widen a column of numbers, but no word of it is cut."""
    result = []
    for column in columns:
        words = str(column.header).split()
        header = max([len(word) for word in words] + [ceil(text_width(str(column.header)) / 2)])
        longest = header
        for row in rows:
            longest = max(longest, _text_width(column.value(row), column.number_format))
        limit = max(column.width or MAX_WIDTH, header + 2)
        width = min(limit, max(MIN_WIDTH, longest + 2))
        result.append(replace(column, width=width))
    return narrowed(result)


def _list_sheet(
    workbook: Workbook, title: str, columns: Sequence[Column], rows: Iterable[Any]
) -> WriteOnlyWorksheet:
    """A list with a styled, frozen header row repeated on every printed page, and an
    autofilter. A row whose text wraps is given the height of its lines: LibreOffice does
    not grow a row to fit wrapped text, and overlapping lines cannot be read."""
    sheet = start_sheet(workbook, title, columns)
    cells = RowWriter(sheet, columns)
    wrapping = [(column.value, column.width) for column in columns if column.wrap]
    count = 0
    for row in rows:
        count += 1
        lines = max(
            [wrapped_lines(value, width) for value, width in
             ((value(row), width) for value, width in wrapping) if value] + [1]
        )
        if lines > 1:
            sheet.row_dimensions[count + 1].height = lines * LINE_POINTS
        sheet.append(cells(row))
        if lines > 1:
            # The row is written: its height need not stay in memory.
            del sheet.row_dimensions[count + 1]
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{count + 1}"
    return sheet


def _styled(sheet: WriteOnlyWorksheet, value: Any, *, number_format: str | None = None,
            font: Font | None = None, header: bool = False):
    cell = safe_cell(sheet, value, number_format=number_format)
    if header:
        cell.font, cell.fill, cell.alignment = HEADER_FONT, HEADER_FILL, HEADER_ALIGNMENT
    elif font is not None:
        cell.font = font
    return cell


# --- Summary ----------------------------------------------------------------------------

# A change beside a figure, signed: "+3", "-12 000 €", "+0.4 ×".
COUNT_CHANGE_FORMAT = "+#,##0;-#,##0;0"
EUROS_CHANGE_FORMAT = '+#,##0 "€";-#,##0 "€";0 "€"'
RATIO_CHANGE_FORMAT = '+0.0" ×";-0.0" ×";0.0" ×"'
CHANGE_FORMATS = {
    COUNT_FORMAT: COUNT_CHANGE_FORMAT,
    EUROS_FORMAT: EUROS_CHANGE_FORMAT,
    RATIO_FORMAT: RATIO_CHANGE_FORMAT,
}
# The Summary's value columns, in characters: the widest is a change in euros in the
# millions, "+12 345 678 €".
VALUE_WIDTH = 14


def summary_lines() -> list[tuple[str, str, str]]:
    """The Summary's key figures: (label, ``Figures`` field, number format), in the active
    language. The PDF's first page shows the same lines."""
    return [
        (_("Roadshow events held"), "events", COUNT_FORMAT),
        (_("Participants on site"), "participants_onsite", COUNT_FORMAT),
        (_("Participants online"), "participants_online", COUNT_FORMAT),
        (_("Distinct organisations reached at the events"), "organisations", COUNT_FORMAT),
        (_("New ideas"), "new_ideas", COUNT_FORMAT),
        (_("Stage moves"), "stage_moves", COUNT_FORMAT),
        (_("Applications submitted"), "submitted", COUNT_FORMAT),
        (_("€ requested in the submitted applications"), "requested", EUROS_FORMAT),
        (_("Decisions: approved"), "approved", COUNT_FORMAT),
        (_("Decisions: rejected"), "rejected", COUNT_FORMAT),
        (_("€ granted in the approvals"), "granted", EUROS_FORMAT),
        (_("€ granted to ideas born at the network's events"), "granted_from_events",
         EUROS_FORMAT),
        (_("of which to ideas dropped by the end of the period"), "granted_to_dropped",
         EUROS_FORMAT),
        (_("Leverage: € granted to ideas from the events ÷ own funding"), "leverage",
         RATIO_FORMAT),
        (_("Leverage over the total budget: € granted to ideas from the events ÷ total budget"),
         "leverage_over_budget", RATIO_FORMAT),
    ]


def instrument_tables() -> list[tuple[str, str, str]]:
    """The Summary's tables by instrument: (title, ``InstrumentFigures`` field, format)."""
    return [
        (_("Applications submitted by instrument"), "submitted", COUNT_FORMAT),
        (_("€ requested by instrument"), "requested", EUROS_FORMAT),
        (_("Approved decisions by instrument"), "approved", COUNT_FORMAT),
        (_("Rejected decisions by instrument"), "rejected", COUNT_FORMAT),
        (_("€ granted by instrument"), "granted", EUROS_FORMAT),
    ]


def column_names() -> list[str]:
    """The Summary's value columns: the period, each comparison with its change, the year
    to date and the time since the network started."""
    return [
        _("Period"),
        _("Previous period"),
        _("Change"),
        _("Same period a year earlier"),
        _("Change"),
        _("Year to date"),
        _("Since the network started"),
    ]


def change(now: Any, before: Any, number_format: str) -> Any:
    """``now`` − ``before`` as the cells show them (a ratio is rounded first), or None when
    either is unknown."""
    if now is None or before is None:
        return None
    if number_format == RATIO_FORMAT:
        return round_half_up(now) - round_half_up(before)
    return now - before


def compared(values: Sequence[Any], number_format: str) -> list[Formatted]:
    """One row's cells under ``column_names``, from its values per ``Columns.all``."""
    period, previous, year_earlier, year_to_date, since_start = values
    change_format = CHANGE_FORMATS[number_format]
    return [
        Formatted(period, number_format),
        Formatted(previous, number_format),
        Formatted(change(period, previous, number_format), change_format),
        Formatted(year_earlier, number_format),
        Formatted(change(period, year_earlier, number_format), change_format),
        Formatted(year_to_date, number_format),
        Formatted(since_start, number_format),
    ]


class _Rows:
    """Appends rows to a write-only sheet, keeps the number of the last one (the charts'
    references need it), and breaks the page before a section that would otherwise start
    at the foot of one page and go on at the top of the next."""

    def __init__(self, sheet: WriteOnlyWorksheet) -> None:
        self.sheet = sheet
        self.count = 0
        self.used = 0.0  # points of the current page filled

    def add(self, *cells: Any, lines: int = 1) -> int:
        """Append a row ``lines`` lines high. Every row's height is set, so that a wrapped
        or merged cell shows whole and the pages break where ``section`` expects them to
        in any program."""
        self.count += 1
        height = LINE_POINTS * lines
        self.sheet.row_dimensions[self.count].height = height
        if self.used and self.used + height > page_points():
            # Every page break is set here, a little early rather than late: a program that
            # fits more on a page than expected then breaks where ``section`` counted on.
            self.sheet.row_breaks.append(Break(id=self.count - 1))
            self.used = 0.0
        self.used += height
        self.sheet.append(list(cells))
        return self.count

    def section(self, lines: int) -> None:
        """The next ``lines`` lines belong together: start them on a new page unless they
        fit on this one. A section longer than a page starts on a new one too."""
        if self.used and self.used + LINE_POINTS * lines > page_points():
            self.sheet.row_breaks.append(Break(id=self.count))
            self.used = 0.0

    @staticmethod
    def lines(text: str, width: float, *, bold: bool = False) -> int:
        return wrapped_lines(text, width, bold=bold)


def _summary_sheet(
    workbook: Workbook, title: str, spec: ReportSpec, summary: selectors.Summary
) -> Callable[[Workbook], None]:
    """The Summary sheet; returns what writes the Charts sheet, drawn from its cells."""
    sheet = workbook.create_sheet(pgettext("sheet", "Summary"))
    columns = summary.columns
    figures = summary.figures
    lines = summary_lines()
    names = column_names()
    # Every value column as wide as its widest value; the label column takes the rest of
    # the page's width, and a longer label wraps.
    rest = page_pixels() - len(names) * column_pixels(VALUE_WIDTH)
    label_width = (rest - 5) // DIGIT_PIXELS
    sheet.column_dimensions["A"].width = label_width
    for index in range(len(names)):
        sheet.column_dimensions[get_column_letter(index + 2)].width = VALUE_WIDTH
    last_letter = get_column_letter(len(names) + 1)
    sheet.freeze_panes = "B1"
    wide = label_width + len(names) * VALUE_WIDTH  # a merged row's width

    rows = _Rows(sheet)

    def label_cell(text: str, font: Font | None = None):
        cell = _styled(sheet, text, font=font)
        # A label of two lines has its figures beside its last.
        cell.alignment = LABEL_ALIGNMENT
        return cell

    def text_row(text: str, font: Font | None = None) -> None:
        """A paragraph across the whole width."""
        cell = _styled(sheet, text, font=font)
        cell.alignment = WRAP_ALIGNMENT
        row = rows.add(cell, lines=rows.lines(text, wide, bold=font is not None))
        sheet.merged_cells.add(f"A{row}:{last_letter}{row}")

    def header_lines(first: str, others: Sequence[str]) -> int:
        return max(
            [rows.lines(first, label_width, bold=True)]
            + [rows.lines(text, VALUE_WIDTH, bold=True) for text in others]
        )

    def header(first: str, others: Sequence[str]) -> int:
        return rows.add(*[_styled(sheet, text, header=True) for text in (first, *others)],
                        lines=header_lines(first, others))

    def label_lines(labels: Iterable[str]) -> int:
        return sum(rows.lines(label, label_width) for label in labels)

    def figure_row(label: str, values: Sequence[Any], number_format: str,
                   font: Font | None = None) -> int:
        cells = [
            _styled(sheet, cell.value, number_format=cell.number_format, font=font)
            for cell in compared(values, number_format)
        ]
        return rows.add(label_cell(label, font), *cells, lines=rows.lines(label, label_width))

    rows.add(_styled(sheet, title, font=TITLE_FONT))
    text_row(
        _("Period %(period)s. Every figure is as it stood at the end of the period; the "
          "network's own funding is %(own)s €.")
        % {"period": span(columns.period), "own": whole_text(summary.own_funding)}
    )
    text_row(leverage_definition())
    text_row(
        _("Compared with the previous period (%(previous)s) and the same period a year earlier "
          "(%(earlier)s), counted from what was known at the end of this period.")
        % {"previous": span(columns.previous), "earlier": span(columns.year_earlier)}
    )

    narrative = spec.narrative.parts()
    if narrative:
        rows.add()
        rows.section(2 + sum(rows.lines(text, wide) + 1 for _h, text in narrative))
        text_row(_("The project manager's narrative"), font=BOLD)
        for heading, text in narrative:
            text_row(heading, font=BOLD)
            text_row(text)

    rows.add()
    spans = [span(column) for column in columns.all]
    span_row = [spans[0], spans[1], "", spans[2], "", spans[3], spans[4]]
    rows.section(
        header_lines(_("Figure"), names) + header_lines("", span_row)
        + label_lines(label for label, _name, _format in lines)
    )
    header(_("Figure"), names)
    header("", span_row)
    for label, name, cell_format in lines:
        figure_row(label, [getattr(numbers, name) for numbers in figures], cell_format)

    first_rows: dict[str, int] = {}  # each instrument table's first instrument
    for table_title, name, cell_format in instrument_tables():
        rows.add()
        rows.section(
            header_lines(table_title, names)
            + max(1, label_lines(instrument.name for instrument, _f in summary.instruments))
        )
        header(table_title, names)
        if not summary.instruments:
            rows.add(_styled(sheet, _("No applications were submitted or decided.")))
            continue
        first = rows.count + 1
        for instrument, per_column in summary.instruments:
            figure_row(
                instrument.name, [getattr(numbers, name) for numbers in per_column],
                cell_format,
            )
        first_rows[name] = first

    rows.add()
    rows.section(2 + len(Stage))
    header(_("Stage at the end of the period"), [_("Ideas")])
    first_stage = rows.count + 1
    for stage in Stage:
        # The dropped stage holds the ideas dropped now, and is named so.
        label = drop_words.DROPPED_NOW if stage == Stage.DROPPED else stage.label
        rows.add(
            _styled(sheet, label),
            _styled(sheet, summary.stages[stage], number_format=COUNT_FORMAT),
        )
    last_stage = rows.count
    rows.add(
        _styled(sheet, _("All ideas at the end of the period"), font=BOLD),
        _styled(sheet, summary.ideas_at_end, number_format=COUNT_FORMAT, font=BOLD),
    )
    _drops_rows(sheet, rows, summary)
    return functools.partial(
        _charts_sheet, summary_sheet=sheet, summary=summary, first_rows=first_rows,
        stage_rows=(first_stage, last_stage),
    )


def _charts_sheet(
    workbook: Workbook,
    *,
    summary_sheet: WriteOnlyWorksheet,
    summary: selectors.Summary,
    first_rows: dict[str, int],
    stage_rows: tuple[int, int],
) -> None:
    """The Summary's two charts on a sheet of their own, the last, one a printed page."""
    sheet = workbook.create_sheet(_("Charts"))
    first_stage, last_stage = stage_rows
    stage_chart = BarChart()
    stage_chart.title = _("Ideas by stage at the end of the period")
    stage_chart.legend = None
    stage_chart.y_axis.title = _("Ideas")
    stage_chart.y_axis.numFmt = COUNT_FORMAT
    stage_chart.add_data(
        Reference(summary_sheet, min_col=2, min_row=first_stage, max_row=last_stage)
    )
    stage_chart.set_categories(
        Reference(summary_sheet, min_col=1, min_row=first_stage, max_row=last_stage)
    )
    _chart_layout(stage_chart, height=CHART_HEIGHT)
    sheet.add_chart(stage_chart, "A1")

    # The chart leaves out the instruments with no € requested or granted in the period;
    # the tables keep every one.
    charted = [
        index
        for index, (_instrument, per_column) in enumerate(summary.instruments)
        if per_column[0].requested or per_column[0].granted
    ]
    if charted:
        funding_chart = BarChart()
        funding_chart.type = "bar"
        funding_chart.title = _("Funding by instrument in the period")
        funding_chart.x_axis.scaling.orientation = "maxMin"  # the tables' order, top down
        funding_chart.y_axis.numFmt = EUROS_FORMAT
        funding_chart.y_axis.title = "€"
        for series_title, name in ((_("€ requested"), "requested"), (_("€ granted"), "granted")):
            amounts = [first_rows[name] + index for index in charted]
            funding_chart.add_data(Reference(summary_sheet, min_col=2, min_row=amounts[0]))
            funding_chart.series[-1].val.numRef.f = _cells(summary_sheet, 2, amounts)
            funding_chart.series[-1].tx = SeriesLabel(v=series_title)
        names = _cells(summary_sheet, 1, [first_rows["requested"] + index for index in charted])
        for series in funding_chart.series:
            series.cat = AxDataSource(strRef=StrRef(f=names))
        funding_chart.legend.position = "b"
        _chart_layout(funding_chart, height=CHART_HEIGHT)
        # One chart a printed page: the second starts where the first page ends.
        sheet.add_chart(funding_chart, f"A{CHART_PAGE_ROWS + 1}")
        sheet.row_breaks.append(Break(id=CHART_PAGE_ROWS))


def _drops_labels() -> tuple[str, str]:
    return (
        _("Why dropped (each idea's latest reason)"),
        _("New ideas of the period as at its end"),
    )


def _drops_rows(sheet: WriteOnlyWorksheet, rows: _Rows, summary: selectors.Summary) -> None:
    """Every idea's drops at the end of the period, the reasons adding up to the ever
    dropped; then the ideas created in the period as the dashboard's funnel counts them, so
    the two agree."""
    reasons_heading, funnel_heading = _drops_labels()
    reason_rows = summary.drops.reason_rows()
    rows.add()
    rows.section(1 + len(reason_rows) + 3)
    rows.add(_styled(sheet, reasons_heading, header=True), _styled(sheet, _("Ideas"), header=True))
    for reason, count in reason_rows:
        rows.add(_styled(sheet, reason), _styled(sheet, count, number_format=COUNT_FORMAT))
    for label, count in (
        (drop_words.EVER_DROPPED, summary.drops.ever),
        (drop_words.DROPPED_NOW, summary.drops.now),
        (drop_words.REVIVED, summary.drops.revived),
    ):
        rows.add(
            _styled(sheet, label, font=BOLD),
            _styled(sheet, count, number_format=COUNT_FORMAT, font=BOLD),
        )
    funnel = summary.funnel
    if funnel is None:
        return
    rows.add()
    rows.section(1 + len(PATH) + 3)
    rows.add(_styled(sheet, funnel_heading, header=True), _styled(sheet, _("Ideas"), header=True))
    for stage in PATH:
        rows.add(
            _styled(sheet, _("Reached: %(stage)s") % {"stage": stage.label}),
            _styled(sheet, funnel.reached[stage], number_format=COUNT_FORMAT),
        )
    for label, count in (
        (drop_words.DROPPED_NOW, funnel.drops.now),
        (drop_words.EVER_DROPPED, funnel.drops.ever),
        (drop_words.REVIVED, funnel.drops.revived),
    ):
        rows.add(_styled(sheet, label), _styled(sheet, count, number_format=COUNT_FORMAT))


def leverage_definition() -> str:
    """How the leverage rows are counted, written under the Summary's title."""
    return _(
        "Leverage = € granted (approved applications, by decision date) to ideas born at the "
        "network's events ÷ the network's own funding (%(own)s €); also shown over its total "
        "budget (%(budget)s €). Each column counts the decisions made in its dates; grants to "
        "ideas dropped since are counted and shown apart."
    ) % {
        "own": whole_text(Decimal(settings.NETWORK_OWN_FUNDING)),
        "budget": whole_text(Decimal(settings.NETWORK_BUDGET)),
    }


def _cells(sheet: WriteOnlyWorksheet, column: int, rows: Sequence[int]) -> str:
    """A chart's reference to the cells of ``column`` in ``rows`` (ascending), which need
    not be next to each other: each run of rows is a range, and the ranges a union."""
    runs: list[list[int]] = []
    for row in rows:
        if runs and row == runs[-1][1] + 1:
            runs[-1][1] = row
        else:
            runs.append([row, row])
    ranges = [
        str(Reference(sheet, min_col=column, min_row=low, max_row=high)) for low, high in runs
    ]
    return ranges[0] if len(ranges) == 1 else f"({','.join(ranges)})"


def _chart_layout(chart: BarChart, height: float) -> None:
    chart.width, chart.height = 25, height
    # LibreOffice and recent Excel hide an axis that says nothing about being shown.
    chart.x_axis.delete = False
    chart.y_axis.delete = False



# --- list sheets ------------------------------------------------------------------------


def _events_sheet(workbook: Workbook, events: list[selectors.EventRow]) -> None:
    columns = [
        Column(_("Date"), 0, attrgetter("date"), DATE_FORMAT),
        Column(_("Title"), TITLE_WIDTH, attrgetter("title"), wrap=True),
        Column(_("Host region"), 0, attrgetter("host_region"), wrap=True),
        Column(_("City"), 0, attrgetter("city"), wrap=True),
        Column(_("Venue"), 0, attrgetter("venue"), wrap=True),
        Column(_("Format"), 0, attrgetter("format"), wrap=True),
        Column(_("On-site participants"), 0, attrgetter("onsite"), COUNT_FORMAT),
        Column(_("Online participants"), 0, attrgetter("online"), COUNT_FORMAT),
        Column(_("Attending organisations"), 0, attrgetter("organisations"), COUNT_FORMAT),
        Column(_("Themes"), EVENT_THEMES_WIDTH, attrgetter("themes"), wrap=True),
        Column(_("Ideas born at the event"), 0, attrgetter("ideas"), COUNT_FORMAT),
    ]
    _list_sheet(workbook, _("Events"), fitted(columns, events), events)


def idea_columns() -> list[Column]:
    """The Ideas sheet's columns, each with the limit of its width (0: MAX_WIDTH)."""
    return [
        Column(_("Title"), TITLE_WIDTH, attrgetter("title"), wrap=True),
        Column(_("Stage at the end of the period"), 0, attrgetter("stage"), wrap=True),
        Column(_("In the stage since"), 0, attrgetter("stage_since"), DATE_FORMAT),
        Column(_("Owner"), 0, attrgetter("owner"), wrap=True),
        Column(_("Themes"), THEMES_WIDTH, attrgetter("themes"), wrap=True),
        Column(_("Regions"), REGIONS_WIDTH, attrgetter("regions"), wrap=True),
        Column(_("Origin event"), TITLE_WIDTH, attrgetter("origin_event"), wrap=True),
        Column(_("Estimated budget"), 0, attrgetter("estimated_budget"), EUROS_FORMAT),
        Column(_("Created"), 0, attrgetter("created"), DATE_FORMAT),
    ]


def write_ideas_sheet(workbook: Workbook, ideas: Iterable[selectors.IdeaRow]) -> None:
    """The Ideas sheet: one row per idea that existed at the end of the period. The sheet
    streams its rows, and a column's width is written before its first row: the widths
    fit the first SAMPLE_SIZE ideas, held in memory as the selector's first chunk is."""
    ideas = iter(ideas)
    sample = list(islice(ideas, SAMPLE_SIZE))
    _list_sheet(workbook, _("Ideas"), fitted(idea_columns(), sample), chain(sample, ideas))


def _applications_sheet(workbook: Workbook, rows: list[selectors.ApplicationRow]) -> None:
    columns = [
        Column(_("Idea"), TITLE_WIDTH, attrgetter("idea"), wrap=True),
        Column(_("Instrument"), 0, attrgetter("instrument"), wrap=True),
        Column(_("Call"), 0, attrgetter("call"), wrap=True),
        Column(_("Applicant"), 0, attrgetter("applicant"), wrap=True),
        Column(_("Funder's reference"), 0, attrgetter("reference"), wrap=True),
        Column(_("Total budget"), 0, attrgetter("total_budget"), EUROS_FORMAT),
        Column(_("Requested"), 0, attrgetter("requested"), EUROS_FORMAT),
        Column(_("Status at the end of the period"), 0, attrgetter("status"), wrap=True),
        Column(_("Submitted on"), 0, attrgetter("submitted_on"), DATE_FORMAT),
        Column(_("Decided on"), 0, attrgetter("decided_on"), DATE_FORMAT),
        Column(_("Granted"), 0, attrgetter("granted"), EUROS_FORMAT),
    ]
    _list_sheet(workbook, _("Applications"), fitted(columns, rows), rows)


def _implementations_sheet(
    workbook: Workbook, rows: list[selectors.ImplementationRow]
) -> None:
    columns = [
        Column(_("Idea"), TITLE_WIDTH, attrgetter("idea"), wrap=True),
        Column(_("Stage at the end of the period"), 0, attrgetter("stage"), wrap=True),
        Column(_("Lead organisation"), 0, attrgetter("lead_organisation"), wrap=True),
        Column(_("Start"), 0, attrgetter("start"), DATE_FORMAT),
        Column(_("End"), 0, attrgetter("end"), DATE_FORMAT),
        Column(_("Total budget"), 0, attrgetter("total_budget"), EUROS_FORMAT),
        Column(_("Health"), 0, attrgetter("health"), wrap=True),
        Column(_("Final report"), 0, attrgetter("final_report_date"), DATE_FORMAT),
    ]
    _list_sheet(workbook, _("Implementations"), fitted(columns, rows), rows)


def _themes_regions_sheet(workbook: Workbook, balance: selectors.ThemesRegions) -> None:
    """Three matrices, themes down and regions across (with a “no region” column): ideas
    created in the period, counted in each region they involve; € requested and € granted
    in it, shared out among the regions so that each row adds up to its total."""
    sheet = workbook.create_sheet(_("Themes × regions"))
    longest = max([text_width(t.name) for t in balance.themes] + [len(_("Total")), 20])
    widths = [min(MAX_WIDTH, longest + 2)]
    regions: list = [*balance.regions, None]  # None: the ideas with no region
    names = [region.name if region else _("No region") for region in regions]
    headers = [*names, _("Total")]
    widths += [max(13, len(header) + 2) for header in headers]
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "B1"
    # Where there are more regions than a page's width holds, the matrices go on over
    # more pages to the right, the themes repeated on each.
    sheet.print_title_cols = "A:A"
    on_first_page = 0
    while (on_first_page < len(widths)
           and sum(map(column_pixels, widths[: on_first_page + 1])) <= page_pixels()):
        on_first_page += 1
    note_width = sum(widths[:on_first_page])
    rows = _Rows(sheet)
    for note in (
        region_share_rule(),
        _("Ideas count in each region they involve, so the regions do not add up to the "
          "total; a theme's total counts each of its ideas in full, so the themes do not add "
          "up either."),
    ):
        cell = _styled(sheet, note)
        cell.alignment = WRAP_ALIGNMENT
        row = rows.add(cell, lines=rows.lines(note, note_width))
        sheet.merged_cells.add(f"A{row}:{get_column_letter(max(1, on_first_page))}{row}")
    blocks = (
        (_("Ideas created in the period, involving the region"), "ideas", COUNT_FORMAT),
        (_("€ requested in applications submitted in the period, shared out among regions"),
         "requested", EUROS_FORMAT),
        (_("€ granted in approvals decided in the period, shared out among regions"),
         "granted", EUROS_FORMAT),
    )
    for title, metric, cell_format in blocks:
        rows.add()
        rows.section(3 + len(balance.themes))
        rows.add(_styled(sheet, title, font=BOLD))
        rows.add(
            _styled(sheet, _("Theme"), header=True),
            *[_styled(sheet, name, header=True) for name in names],
            _styled(sheet, _("Total"), header=True),
        )
        for theme in balance.themes:
            rows.add(
                _styled(sheet, theme.name),
                *[
                    _styled(sheet, balance.value(theme, region, metric),
                            number_format=cell_format)
                    for region in regions
                ],
                _styled(sheet, balance.theme_totals.get(theme.pk, {}).get(metric, 0),
                        number_format=cell_format),
            )
        rows.add(
            _styled(sheet, _("Total"), font=BOLD),
            *[
                _styled(sheet, balance.region_total(region, metric),
                        number_format=cell_format, font=BOLD)
                for region in regions
            ],
            _styled(sheet, balance.total[metric], number_format=cell_format, font=BOLD),
        )


# --- targets against the plan -----------------------------------------------------------


def _targets_sheet(workbook: Workbook, rows: list[TargetRow]) -> None:
    """The plan's targets as at the period's end: actual, target, % reached, where a
    straight line from the start date to the target date stands, and on track or behind.
    Each row's figures are in its indicator's unit (a count, euros or a multiple)."""
    as_at = rows[0].as_at if rows else None
    heading = [_("Targets against the plan")]
    if as_at is not None:
        heading.append(target_chart.definition(as_at))
    else:
        heading.append(_("No targets have been recorded for the plan."))

    def figure(name: str) -> Any:
        return lambda row: Formatted(
            target_chart.cell_value(getattr(row, name), row.unit),
            target_chart.number_format_of(row.unit, getattr(row, name)),
        )

    headers = target_chart.headers()
    columns = [
        Column(headers[0], TITLE_WIDTH, attrgetter("label"), wrap=True),
        Column(headers[1], 0, attrgetter("start_date"), DATE_FORMAT),
        Column(headers[2], 0, attrgetter("target_date"), DATE_FORMAT),
        Column(headers[3], 0, figure("target_value")),
        Column(headers[4], 0, figure("actual")),
        Column(headers[5], 0, lambda row: percent_value(row.reached), PERCENT_FORMAT),
        Column(headers[6], 0, figure("expected")),
        Column(headers[7], 0, target_chart.track_text, wrap=True),
    ]
    columns = fitted(columns, rows)
    sheet = start_sheet(workbook, pgettext("sheet", "Targets"), columns, heading=heading)
    first = header_row(heading)
    for index, row in enumerate(rows, start=first + 1):
        cells = row_cells(sheet, columns, row)
        lines = 1
        for column, cell in zip(columns, cells):
            if column.wrap:
                cell.alignment = WRAP_ALIGNMENT
                lines = max(lines, wrapped_lines(cell.value or "", column.width))
            else:
                cell.alignment = TOP_ALIGNMENT
        sheet.row_dimensions[index].height = lines * LINE_POINTS
        sheet.append(cells)
