"""Spreadsheet building blocks every export shares: openpyxl's write-only mode (memory stays
flat however many rows there are), styled header rows, safe cells and number formats."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from copy import copy
from dataclasses import dataclass
from datetime import date, datetime
from typing import IO, Any

from django.utils import timezone
from django.utils.functional import Promise
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ERROR_CODES, ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet
from openpyxl.worksheet.worksheet import Worksheet

# Rows fetched per query; each chunk also fetches its themes and regions in one query each.
CHUNK_SIZE = 2000
MONEY_FORMAT = '#,##0.00 "€"'
DATE_FORMAT = "dd.mm.yyyy"
# Excel refuses a cell longer than this; a longer text is cut rather than breaking the file.
EXCEL_MAX_TEXT = 32_767


@dataclass(frozen=True)
class Formatted:
    """A value with its own number format, for a table whose rows hold different kinds of
    number (a count in one row, euros in the next) under the same column."""

    value: Any
    number_format: str | None = None


def safe_cell(ws: WriteOnlyWorksheet, value: Any, *, number_format: str | None = None):
    """A cell holding ``value``; text is always stored as text.

    openpyxl would store a string starting with "=" as a formula and "#N/A" as an error;
    a title like ``=HYPERLINK(...)`` must reach the reader as the words it is. Characters
    that XML cannot hold are dropped instead of failing the whole export.
    """
    if isinstance(value, Formatted):
        value, number_format = value.value, value.number_format or number_format
    if isinstance(value, Promise):
        value = str(value)
    if isinstance(value, str):
        value = ILLEGAL_CHARACTERS_RE.sub("", value)[:EXCEL_MAX_TEXT]
    cell = WriteOnlyCell(ws, value=value)
    if isinstance(value, str):
        cell.data_type = "s"
    if number_format and value is not None:
        cell.number_format = number_format
    return cell


def local_date(moment: datetime | None) -> date | None:
    """The day of ``moment`` in the site's time zone: Excel has no time zones."""
    return timezone.localdate(moment) if moment else None


@dataclass(frozen=True)
class Column:
    header: Promise | str
    width: int
    value: Callable[[Any], Any]
    number_format: str | None = None


HEADER_FONT = Font(bold=True, color="FFFFFF")
HEADER_FILL = PatternFill("solid", fgColor="1F4E79")
HEADER_ALIGNMENT = Alignment(vertical="top", wrap_text=True)


def start_sheet(
    workbook: Workbook, title: str, columns: Iterable[Column], *, fit_to_width: bool = False
) -> WriteOnlyWorksheet:
    """A write-only sheet ready for rows: widths, a styled and frozen header row, and a print
    setup that prints readably as is: A4 landscape with the header row and the first column
    repeated on every page (``fit_to_width``: every column on the page's width, as many pages
    down as it takes). Body cells do not wrap: spreadsheet programs do not all grow a
    row to fit wrapped text, and overlapping lines are worse than a cut-off view of a cell."""
    columns = list(columns)
    sheet = workbook.create_sheet(title=title)
    sheet.freeze_panes = "A2"
    sheet.print_title_rows = "1:1"
    sheet.print_title_cols = "A:A"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = Worksheet.PAPERSIZE_A4
    if fit_to_width:
        # Set before the first row: a write-only sheet writes its settings with that row.
        sheet.sheet_properties.pageSetUpPr.fitToPage = True
        sheet.page_setup.fitToWidth = 1
        sheet.page_setup.fitToHeight = 0
    for index, column in enumerate(columns, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = column.width
    header = []
    for column in columns:
        cell = safe_cell(sheet, column.header)
        cell.font = HEADER_FONT
        cell.fill = HEADER_FILL
        cell.alignment = HEADER_ALIGNMENT
        header.append(cell)
    sheet.append(header)
    return sheet


def row_cells(sheet: WriteOnlyWorksheet, columns: Iterable[Column], item: Any) -> list:
    return [
        safe_cell(sheet, column.value(item), number_format=column.number_format)
        for column in columns
    ]


class RowWriter:
    """Rows for a write-only sheet, cell for cell what ``row_cells`` gives, at nearly the
    speed of appending bare values: a value is wrapped in a cell only when it needs one (a
    number format, or text openpyxl would take for a formula or an error), and each
    column's style is made once and copied."""

    def __init__(self, sheet: WriteOnlyWorksheet, columns: Iterable[Column]) -> None:
        self.sheet = sheet
        self.columns = list(columns)
        self.styles = [
            safe_cell(sheet, 0, number_format=column.number_format)._style
            if column.number_format
            else None
            for column in self.columns
        ]

    def __call__(self, item: Any) -> list:
        row = []
        for column, style in zip(self.columns, self.styles):
            value = column.value(item)
            if isinstance(value, Promise):
                value = str(value)
            if isinstance(value, str):
                value = ILLEGAL_CHARACTERS_RE.sub("", value)[:EXCEL_MAX_TEXT]
                if value[:1] == "=" or value in ERROR_CODES:
                    value = safe_cell(self.sheet, value)
            elif style is not None and value is not None:
                cell = WriteOnlyCell(self.sheet, value)
                cell._style = copy(style)
                value = cell
            row.append(value)
        return row


def table_workbook(
    title: str, table: Any, out: IO[bytes], *, more: Iterable[tuple[str, Any]] = ()
) -> None:
    """A dashboard panel's data table (``dashboards.charts.Table``) as an .xlsx workbook;
    ``more`` tables, as (sheet title, table), each on a sheet of its own after it."""
    columns = [
        Column(
            header=column.header,
            # Wide enough for the header, and for a sum in the millions with its € sign.
            width=(
                max(18 if column.number_format == MONEY_FORMAT else 12,
                    min(48, len(str(column.header)) + 4))
                if index
                else 40
            ),
            value=lambda row, index=index: row[index],
            number_format=column.number_format,
        )
        for index, column in enumerate(table.columns)
    ]
    workbook = Workbook(write_only=True)
    workbook.properties.title = title
    workbook.properties.creator = "Salkku"
    sheet = start_sheet(workbook, title[:31], columns)
    for row in table.rows:
        sheet.append(row_cells(sheet, columns, row))
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{len(table.rows) + 1}"
    for more_title, more_table in more:
        more_columns = [
            Column(
                column.header,
                40 if index == 0 else 18,
                lambda row, index=index: row[index],
                column.number_format,
            )
            for index, column in enumerate(more_table.columns)
        ]
        more_sheet = start_sheet(workbook, more_title[:31], more_columns)
        for row in more_table.rows:
            more_sheet.append(row_cells(more_sheet, more_columns, row))
    workbook.save(out)
