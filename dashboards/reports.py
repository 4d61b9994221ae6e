"""The quarterly report for the network's funder: one workbook, every figure as it stood at
the end of the period (``dashboards.selectors.report``), in Finnish or English.

Every sheet is written in openpyxl's write-only mode, the Summary's native charts too, so
the Ideas sheet streams however many ideas there are.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from itertools import chain, islice
from math import ceil
from operator import attrgetter
from typing import IO, Any

from django.conf import settings
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _
from django.utils.translation import override, pgettext
from openpyxl import Workbook
from openpyxl.chart import BarChart, Reference
from openpyxl.chart.data_source import AxDataSource, StrRef
from openpyxl.chart.series import SeriesLabel
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet
from openpyxl.worksheet.worksheet import Worksheet

from core.formatting import percent_value
from core.spreadsheets import (
    DATE_FORMAT,
    HEADER_ALIGNMENT,
    HEADER_FILL,
    HEADER_FONT,
    MONEY_FORMAT,
    PERCENT_FORMAT,
    RATIO_FORMAT,
    Column,
    Formatted,
    RowWriter,
    row_cells,
    safe_cell,
    start_sheet,
)
from dashboards.charts import targets as target_chart
from dashboards.filters import Period
from dashboards.models import Narrative
from dashboards.selectors import report as selectors
from dashboards.selectors.funnel import PATH
from dashboards.selectors.targets import TargetRow, target_progress
from portfolio.selectors import drops as drop_words
from funding.selectors import region_share_rule
from portfolio.stages import Stage

COUNT_FORMAT = "#,##0"
# The matrix of themes × regions shows whole euros, as the dashboard does, to stay narrow.
EUROS_FORMAT = '#,##0 "€"'
TITLE_FONT = Font(bold=True, size=14)
BOLD = Font(bold=True)
# Widths in characters: a fitted column is never narrower than MIN_WIDTH, nor wider than
# MAX_WIDTH unless it is given a limit of its own.
MIN_WIDTH, MAX_WIDTH = 8, 60
# A column's width counts the digit "0" of the default font; a small letter or a space is
# narrower on average, about this much. Headers, in bold, are counted letter for letter.
LETTER_WIDTH = 0.85
# The limits of the long free-text columns: ideas' and events' titles, and lists of themes
# (their names are long). Wide enough for most, narrow enough that a sheet printed
# landscape and fit to the page's width stays legible. An event covers more themes than an
# idea, and the Events sheet has no other list to make room for. Regions' names are short:
# four of the longest fit.
TITLE_WIDTH, THEMES_WIDTH, EVENT_THEMES_WIDTH, REGIONS_WIDTH = 70, 75, 100, 70
# The limit of the Summary's label column.
LABEL_WIDTH = 90
# How wide a formatted number or date is, for fitting its column.
FORMAT_WIDTHS = {MONEY_FORMAT: 16, EUROS_FORMAT: 13, DATE_FORMAT: 11}
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
    narrative: Narrative = Narrative()

    @classmethod
    def for_quarter(
        cls, year: int, quarter: int, language: str, narrative: Narrative = Narrative()
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
    """The figures the workbook and the PDF share, read once: the Summary, and the
    applications as they stood at the period's end, which other sheets read too."""

    applications: list[selectors.ApplicationAsOf]
    summary: selectors.Summary


def report_data(spec: ReportSpec) -> ReportData:
    applications = selectors.applications_as_of(spec.period.end)
    return ReportData(applications, selectors.summary(spec.period, applications))


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
        _summary_sheet(workbook, title, data.summary)
        _targets_sheet(workbook, target_progress(period.end))
        _events_sheet(workbook, selectors.event_rows(period, names))
        write_ideas_sheet(workbook, selectors.idea_rows(period.end, names))
        _applications_sheet(workbook, selectors.application_rows(period, applications, names))
        _implementations_sheet(workbook, selectors.implementation_rows(period.end))
        _themes_regions_sheet(workbook, selectors.themes_regions(period, applications))
        workbook.save(out)


# --- sheet helpers ----------------------------------------------------------------------


def _fit_to_width(sheet: WriteOnlyWorksheet) -> None:
    """Print every column on the page width, as many pages down as it takes."""
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0


def _text_width(value: Any, number_format: str | None) -> int:
    if value is None:
        return 0
    if number_format in FORMAT_WIDTHS:
        return FORMAT_WIDTHS[number_format]
    if isinstance(value, str):
        return text_width(value)
    return len(str(value))


def text_width(text: str) -> int:
    """About how many digits wide ``text`` is: its small letters and spaces are narrower."""
    narrow = sum(1 for letter in text if letter.islower() or letter == " ")
    return ceil(len(text) - narrow * (1 - LETTER_WIDTH))


def fitted(columns: Sequence[Column], rows: Sequence[Any]) -> list[Column]:
    """``columns`` with widths that fit their header and their longest value, no narrower
    than MIN_WIDTH and no wider than the column's own width, or MAX_WIDTH when that is 0.
    A header is never cut."""
    result = []
    for column in columns:
        header = len(str(column.header))
        longest = header
        for row in rows:
            longest = max(longest, _text_width(column.value(row), column.number_format))
        limit = max(column.width or MAX_WIDTH, header + 2)
        width = min(limit, max(MIN_WIDTH, longest + 2))
        result.append(Column(column.header, width, column.value, column.number_format))
    return result


def _list_sheet(
    workbook: Workbook, title: str, columns: Sequence[Column], rows: Iterable[Any]
) -> WriteOnlyWorksheet:
    """A list with a styled, frozen header row, an autofilter and the print setup."""
    sheet = start_sheet(workbook, title, columns, fit_to_width=True)
    cells = RowWriter(sheet, columns)
    count = 0
    for row in rows:
        sheet.append(cells(row))
        count += 1
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


class _Rows:
    """Appends rows to a write-only sheet and remembers the number of the last one, which
    the charts' references need."""

    def __init__(self, sheet: WriteOnlyWorksheet) -> None:
        self.sheet = sheet
        self.count = 0

    def add(self, *cells: Any) -> int:
        self.sheet.append(list(cells))
        self.count += 1
        return self.count


def _summary_sheet(workbook: Workbook, title: str, summary: selectors.Summary) -> None:
    sheet = workbook.create_sheet(pgettext("sheet", "Summary"))
    columns = summary.columns
    figures = summary.figures
    lines: list[tuple[str, str, str | None]] = [
        (_("Roadshow events held"), "events", COUNT_FORMAT),
        (_("Participants on site"), "participants_onsite", COUNT_FORMAT),
        (_("Participants online"), "participants_online", COUNT_FORMAT),
        (_("Distinct organisations reached at the events"), "organisations", COUNT_FORMAT),
        (_("New ideas"), "new_ideas", COUNT_FORMAT),
        (_("Stage moves"), "stage_moves", COUNT_FORMAT),
        (_("Applications submitted"), "submitted", COUNT_FORMAT),
        (_("€ requested in the submitted applications"), "requested", MONEY_FORMAT),
        (_("Decisions: approved"), "approved", COUNT_FORMAT),
        (_("Decisions: rejected"), "rejected", COUNT_FORMAT),
        (_("€ granted in the approvals"), "granted", MONEY_FORMAT),
        (_("€ granted to ideas born at the network's events"), "granted_from_events",
         MONEY_FORMAT),
        (_("of which to ideas dropped by the end of the period"), "granted_to_dropped",
         MONEY_FORMAT),
        (_("Leverage: € granted to ideas from the events ÷ own funding"), "leverage",
         RATIO_FORMAT),
        (_("Leverage over the total budget: € granted to ideas from the events ÷ total budget"),
         "leverage_over_budget", RATIO_FORMAT),
    ]
    instrument_tables = [
        (_("Applications submitted by instrument"), "submitted", COUNT_FORMAT),
        (_("€ requested by instrument"), "requested", MONEY_FORMAT),
        (_("Approved decisions by instrument"), "approved", COUNT_FORMAT),
        (_("Rejected decisions by instrument"), "rejected", COUNT_FORMAT),
        (_("€ granted by instrument"), "granted", MONEY_FORMAT),
    ]
    column_names = [_("Period"), _("Year to date"), _("Since the network started")]
    labels = [label for label, _name, _format in lines + instrument_tables]
    labels += [i.name for i, _numbers in summary.instruments]
    labels += [
        *_drops_labels(),
        *(str(label) for label in (drop_words.EVER_DROPPED, drop_words.DROPPED_NOW,
                                   drop_words.REVIVED)),
        *(reason for reason, _count in summary.drops.reason_rows()),
        *(_("Reached: %(stage)s") % {"stage": stage.label} for stage in PATH),
    ]
    # Every label whole (the longest, the leverage's, is near 80 letters in Finnish); an
    # instrument's name, which is data, is cut beyond LABEL_WIDTH.
    sheet.column_dimensions["A"].width = min(
        LABEL_WIDTH, max(text_width(label) for label in labels) + 2
    )
    value_width = max([len(name) for name in column_names] + [22]) + 2
    for letter in "BCD":
        sheet.column_dimensions[letter].width = value_width
    sheet.freeze_panes = "B6"
    # The figures' two header rows head every printed page. The charts start a row below
    # them: LibreOffice prints a chart over those rows, or only touching them, on every page.
    sheet.print_title_rows = "4:5"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = Worksheet.PAPERSIZE_A4
    _fit_to_width(sheet)

    rows = _Rows(sheet)
    rows.add(_styled(sheet, title, font=TITLE_FONT))
    rows.add(
        _styled(
            sheet,
            _("Period %(period)s. Every figure is as it stood at the end of the period; the "
              "network's own funding is %(own)s €.")
            % {"period": span(columns.period), "own": _money_text(summary.own_funding)},
        )
    )
    rows.add(_styled(sheet, leverage_definition()))
    rows.add()

    def header(first: str, others: Sequence[str]) -> int:
        return rows.add(*[_styled(sheet, text, header=True) for text in (first, *others)])

    header(_("Figure"), column_names)
    header("", [span(column) for column in columns.all])
    for label, name, number_format in lines:
        rows.add(
            _styled(sheet, label),
            *[_styled(sheet, getattr(numbers, name),
                      number_format=number_format)
              for numbers in figures],
        )

    first_rows: dict[str, int] = {}  # each instrument table's first instrument
    for table_title, name, number_format in instrument_tables:
        rows.add()
        header(table_title, column_names)
        if not summary.instruments:
            rows.add(_styled(sheet, _("No applications were submitted or decided.")))
            continue
        first = rows.count + 1
        for instrument, per_column in summary.instruments:
            rows.add(
                _styled(sheet, instrument.name),
                *[_styled(sheet, getattr(numbers, name), number_format=number_format)
                  for numbers in per_column],
            )
        first_rows[name] = first

    rows.add()
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

    stage_chart = BarChart()
    stage_chart.title = _("Ideas by stage at the end of the period")
    stage_chart.legend = None
    stage_chart.y_axis.title = _("Ideas")
    stage_chart.y_axis.numFmt = COUNT_FORMAT
    stage_chart.add_data(
        Reference(sheet, min_col=2, min_row=first_stage, max_row=last_stage)
    )
    stage_chart.set_categories(
        Reference(sheet, min_col=1, min_row=first_stage, max_row=last_stage)
    )
    _chart_layout(stage_chart)
    sheet.add_chart(stage_chart, "F7")

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
            funding_chart.add_data(Reference(sheet, min_col=2, min_row=amounts[0]))
            funding_chart.series[-1].val.numRef.f = _cells(sheet, 2, amounts)
            funding_chart.series[-1].tx = SeriesLabel(v=series_title)
        names = _cells(sheet, 1, [first_rows["requested"] + index for index in charted])
        for series in funding_chart.series:
            series.cat = AxDataSource(strRef=StrRef(f=names))
        funding_chart.legend.position = "b"
        _chart_layout(funding_chart, height=max(8, 1.2 * len(charted) + 3))
        sheet.add_chart(funding_chart, "F24")


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
    rows.add()
    rows.add(_styled(sheet, reasons_heading, header=True), _styled(sheet, _("Ideas"), header=True))
    for reason, count in summary.drops.reason_rows():
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
        "own": _money_text(Decimal(settings.NETWORK_OWN_FUNDING)),
        "budget": _money_text(Decimal(settings.NETWORK_BUDGET)),
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


def _chart_layout(chart: BarChart, height: float = 8) -> None:
    chart.width, chart.height = 18, height
    # LibreOffice and recent Excel hide an axis that says nothing about being shown.
    chart.x_axis.delete = False
    chart.y_axis.delete = False


def _money_text(amount: Decimal) -> str:
    return number_format(amount, 0, force_grouping=True)


# --- list sheets ------------------------------------------------------------------------


def _events_sheet(workbook: Workbook, events: list[selectors.EventRow]) -> None:
    columns = [
        Column(_("Date"), 0, attrgetter("date"), DATE_FORMAT),
        Column(_("Title"), TITLE_WIDTH, attrgetter("title")),
        Column(_("Host region"), 0, attrgetter("host_region")),
        Column(_("City"), 0, attrgetter("city")),
        Column(_("Venue"), 0, attrgetter("venue")),
        Column(_("Format"), 0, attrgetter("format")),
        Column(_("On-site participants"), 0, attrgetter("onsite"), COUNT_FORMAT),
        Column(_("Online participants"), 0, attrgetter("online"), COUNT_FORMAT),
        Column(_("Attending organisations"), 0, attrgetter("organisations"), COUNT_FORMAT),
        Column(_("Themes"), EVENT_THEMES_WIDTH, attrgetter("themes")),
        Column(_("Ideas born at the event"), 0, attrgetter("ideas"), COUNT_FORMAT),
    ]
    _list_sheet(workbook, _("Events"), fitted(columns, events), events)


def idea_columns() -> list[Column]:
    """The Ideas sheet's columns, each with the limit of its width (0: MAX_WIDTH)."""
    return [
        Column(_("Title"), TITLE_WIDTH, attrgetter("title")),
        Column(_("Stage at the end of the period"), 0, attrgetter("stage")),
        Column(_("In the stage since"), 0, attrgetter("stage_since"), DATE_FORMAT),
        Column(_("Owner"), 0, attrgetter("owner")),
        Column(_("Themes"), THEMES_WIDTH, attrgetter("themes")),
        Column(_("Regions"), REGIONS_WIDTH, attrgetter("regions")),
        Column(_("Origin event"), TITLE_WIDTH, attrgetter("origin_event")),
        Column(_("Estimated budget"), 0, attrgetter("estimated_budget"), MONEY_FORMAT),
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
        Column(_("Idea"), TITLE_WIDTH, attrgetter("idea")),
        Column(_("Instrument"), 0, attrgetter("instrument")),
        Column(_("Call"), 0, attrgetter("call")),
        Column(_("Applicant"), 0, attrgetter("applicant")),
        Column(_("Funder's reference"), 0, attrgetter("reference")),
        Column(_("Total budget"), 0, attrgetter("total_budget"), MONEY_FORMAT),
        Column(_("Requested"), 0, attrgetter("requested"), MONEY_FORMAT),
        Column(_("Status at the end of the period"), 0, attrgetter("status")),
        Column(_("Submitted on"), 0, attrgetter("submitted_on"), DATE_FORMAT),
        Column(_("Decided on"), 0, attrgetter("decided_on"), DATE_FORMAT),
        Column(_("Granted"), 0, attrgetter("granted"), MONEY_FORMAT),
    ]
    _list_sheet(workbook, _("Applications"), fitted(columns, rows), rows)


def _implementations_sheet(
    workbook: Workbook, rows: list[selectors.ImplementationRow]
) -> None:
    columns = [
        Column(_("Idea"), TITLE_WIDTH, attrgetter("idea")),
        Column(_("Stage at the end of the period"), 0, attrgetter("stage")),
        Column(_("Lead organisation"), 0, attrgetter("lead_organisation")),
        Column(_("Start"), 0, attrgetter("start"), DATE_FORMAT),
        Column(_("End"), 0, attrgetter("end"), DATE_FORMAT),
        Column(_("Total budget"), 0, attrgetter("total_budget"), MONEY_FORMAT),
        Column(_("Health"), 0, attrgetter("health")),
        Column(_("Final report"), 0, attrgetter("final_report_date"), DATE_FORMAT),
    ]
    _list_sheet(workbook, _("Implementations"), fitted(columns, rows), rows)


def _themes_regions_sheet(workbook: Workbook, balance: selectors.ThemesRegions) -> None:
    """Three matrices, themes down and regions across (with a “no region” column): ideas
    created in the period, counted in each region they involve; € requested and € granted
    in it, shared out among the regions so that each row adds up to its total."""
    sheet = workbook.create_sheet(_("Themes × regions"))
    longest = max([len(t.name) for t in balance.themes] + [len(_("Total")), 20])
    sheet.column_dimensions["A"].width = min(MAX_WIDTH, longest + 2)
    regions: list = [*balance.regions, None]  # None: the ideas with no region
    names = [region.name if region else _("No region") for region in regions]
    headers = [*names, _("Total")]
    for index, header in enumerate(headers, start=2):
        sheet.column_dimensions[get_column_letter(index)].width = max(13, len(header) + 2)
    sheet.freeze_panes = "B1"
    sheet.print_title_cols = "A:A"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = Worksheet.PAPERSIZE_A4
    _fit_to_width(sheet)
    sheet.append([_styled(sheet, region_share_rule())])
    sheet.append([_styled(sheet, _(
        "Ideas count in each region they involve, so the regions do not add up to the total; "
        "a theme's total counts each of its ideas in full, so the themes do not add up either."
    ))])
    blocks = (
        (_("Ideas created in the period, involving the region"), "ideas", COUNT_FORMAT),
        (_("€ requested in applications submitted in the period, shared out among regions"),
         "requested", EUROS_FORMAT),
        (_("€ granted in approvals decided in the period, shared out among regions"),
         "granted", EUROS_FORMAT),
    )
    for title, metric, number_format in blocks:
        sheet.append([])
        sheet.append([_styled(sheet, title, font=BOLD)])
        sheet.append(
            [_styled(sheet, _("Theme"), header=True)]
            + [_styled(sheet, name, header=True) for name in names]
            + [_styled(sheet, _("Total"), header=True)]
        )
        for theme in balance.themes:
            sheet.append(
                [_styled(sheet, theme.name)]
                + [
                    _styled(sheet, balance.value(theme, region, metric),
                            number_format=number_format)
                    for region in regions
                ]
                + [_styled(sheet, balance.theme_totals.get(theme.pk, {}).get(metric, 0),
                           number_format=number_format)]
            )
        sheet.append(
            [_styled(sheet, _("Total"), font=BOLD)]
            + [
                _styled(sheet, balance.region_total(region, metric),
                        number_format=number_format, font=BOLD)
                for region in regions
            ]
            + [_styled(sheet, balance.total[metric], number_format=number_format, font=BOLD)]
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
            getattr(row, name), target_chart.number_format_of(row.unit, getattr(row, name))
        )

    headers = target_chart.headers()
    columns = [
        Column(headers[0], 0, attrgetter("label")),
        Column(headers[1], 0, attrgetter("start_date"), DATE_FORMAT),
        Column(headers[2], 0, attrgetter("target_date"), DATE_FORMAT),
        Column(headers[3], 0, figure("target_value")),
        Column(headers[4], 0, figure("actual")),
        Column(headers[5], 0, lambda row: percent_value(row.reached), PERCENT_FORMAT),
        Column(headers[6], 0, figure("expected")),
        Column(headers[7], 0, target_chart.track_text),
    ]
    sized = [
        Column(c.header, c.width, c.value, c.number_format)
        for c in fitted(
            [Column(c.header, c.width, _plain(c.value), c.number_format) for c in columns], rows
        )
    ]
    sheet = start_sheet(
        workbook,
        pgettext("sheet", "Targets"),
        [Column(s.header, s.width, c.value, c.number_format) for s, c in zip(sized, columns)],
        fit_to_width=True,
        heading=heading,
    )
    for row in rows:
        sheet.append(row_cells(sheet, columns, row))


def _plain(value: Any) -> Any:
    """A column's value with its own number format taken off, for measuring its width."""

    def read(row: Any) -> Any:
        found = value(row)
        return found.value if isinstance(found, Formatted) else found

    return read
