"""Spreadsheet building blocks every export shares: openpyxl's write-only mode (memory stays
flat however many rows there are), styled header rows, safe cells and number formats."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from copy import copy
from dataclasses import dataclass, replace
from datetime import date, datetime
from decimal import Decimal
from math import ceil
from typing import IO, Any

from django.utils import timezone
from django.utils.formats import date_format, time_format
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ERROR_CODES, ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet
from openpyxl.worksheet.page import PageMargins
from openpyxl.worksheet.worksheet import Worksheet

from core.formatting import percent_value, round_half_up

# Rows fetched per query; each chunk also fetches its themes and regions in one query each.
CHUNK_SIZE = 2000
MONEY_FORMAT = '#,##0.00 "€"'
DATE_FORMAT = "dd.mm.yyyy"
# A share (0.667) shown as a percentage, and a multiple (123.9) shown with "×". A cell in
# one of these formats holds its value rounded as the page shows it (core.formatting), so
# the sheet, the page and a sum made in the sheet agree with what the reader sees.
PERCENT_FORMAT = "0.0 %"
RATIO_FORMAT = '0.0" ×"'
# Excel refuses a cell longer than this; a longer text is cut rather than breaking the file.
EXCEL_MAX_TEXT = 32_767


def rounded(value: Any, number_format: str | None) -> Any:
    """``value`` as a cell in ``number_format`` holds it: percentages and ratios rounded
    half-up to the one decimal the format shows; anything else as it is."""
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        return value
    if number_format == PERCENT_FORMAT:
        return percent_value(value)
    if number_format == RATIO_FORMAT:
        return round_half_up(value)
    return value


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
    value = rounded(value, number_format)
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
    # Long text that wraps in its cell when the column is narrowed to fit a printed page.
    wrap: bool = False


# The default font named: a font with no name is set in whatever the reading program
# chooses (a serif, in LibreOffice).
FONT_NAME = "Calibri"
HEADER_FONT = Font(name=FONT_NAME, bold=True, color="FFFFFF")
HEADER_FILL = PatternFill("solid", fgColor="1F4E79")
HEADER_ALIGNMENT = Alignment(vertical="top", wrap_text=True)
WRAP_ALIGNMENT = Alignment(vertical="top", wrap_text=True)
TOP_ALIGNMENT = Alignment(vertical="top")


HEADING_TITLE_FONT = Font(name=FONT_NAME, bold=True, size=13)


def sheet_heading(title: str, *lines: str) -> list[str]:
    """The lines a download starts with: its title, what it covers (``lines``: the period,
    the filters applied, in words), and when it was made, so a sheet read or printed on its
    own still says what its figures are."""
    made = timezone.localtime()
    return [
        str(title),
        *[str(line) for line in lines],
        _("Made %(day)s at %(time)s")
        % {"day": date_format(made, "SHORT_DATE_FORMAT"), "time": time_format(made, "TIME_FORMAT")},
    ]


def header_row(heading: Sequence[str] = ()) -> int:
    """The number of a table's header row under ``heading`` and the blank row after it."""
    return len(heading) + 2 if heading else 1


def set_autofilter(
    sheet: WriteOnlyWorksheet, width: int, rows: int, *, heading: Sequence[str] = ()
) -> None:
    """An autofilter over the table: its header row and the ``rows`` rows under it."""
    first = header_row(heading)
    sheet.auto_filter.ref = f"A{first}:{get_column_letter(width)}{first + rows}"


def start_sheet(
    workbook: Workbook,
    title: str,
    columns: Iterable[Column],
    *,
    heading: Sequence[str] = (),
) -> WriteOnlyWorksheet:
    """A write-only sheet ready for rows: widths, a styled and frozen header row, and a print
    setup that prints readably as is: A4 landscape with the header row and the first column
    repeated on every page (``print_setup`` adds a scale, a header and a footer). A body
    cell wraps only in a column marked ``wrap``, whose rows the writer makes high enough:
    spreadsheet programs do not all grow a row to fit wrapped text.

    ``heading`` (see ``sheet_heading``) comes first, one line a row, the first in bold, then
    a blank row; its text runs over the empty cells beside it and does not widen column A."""
    columns = list(columns)
    sheet = workbook.create_sheet(title=title)
    first = header_row(heading)
    sheet.freeze_panes = f"A{first + 1}"
    sheet.print_title_rows = f"{first}:{first}"
    sheet.print_title_cols = "A:A"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = Worksheet.PAPERSIZE_A4
    for index, column in enumerate(columns, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = column.width
    table_width = sum(column.width for column in columns)
    last = get_column_letter(max(1, len(columns)))
    for index, line in enumerate(heading, start=1):
        cell = safe_cell(sheet, line)
        if index == 1:
            cell.font = HEADING_TITLE_FONT
        elif text_width(str(line)) > table_width:
            # A line wider than the table wraps across it: text running on past the last
            # column would widen the printed page.
            cell.alignment = WRAP_ALIGNMENT
            sheet.merged_cells.add(f"A{index}:{last}{index}")
            sheet.row_dimensions[index].height = LINE_POINTS * wrapped_lines(line, table_width)
        sheet.append([cell])
    if heading:
        sheet.append([])
    # As high as its longest wrapped header: LibreOffice does not grow a row to fit.
    sheet.row_dimensions[first].height = LINE_POINTS * max(
        [wrapped_lines(column.header, column.width, bold=True) for column in columns] + [1]
    )
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
        self.styles = [self._style(column) for column in self.columns]

    def _style(self, column: Column):
        if column.wrap:
            cell = safe_cell(self.sheet, "")
            cell.alignment = WRAP_ALIGNMENT
            return cell._style
        if column.number_format:
            cell = safe_cell(self.sheet, 0, number_format=column.number_format)
            # Level with the first line of a wrapped cell beside it.
            cell.alignment = TOP_ALIGNMENT
            return cell._style
        return None

    def __call__(self, item: Any) -> list:
        row = []
        for column, style in zip(self.columns, self.styles):
            value = column.value(item)
            if isinstance(value, Promise):
                value = str(value)
            if isinstance(value, str):
                value = ILLEGAL_CHARACTERS_RE.sub("", value)[:EXCEL_MAX_TEXT]
                if value[:1] == "=" or value in ERROR_CODES or column.wrap:
                    value = safe_cell(self.sheet, value)
                    if column.wrap:
                        value._style = copy(style)
            elif style is not None and value is not None:
                cell = WriteOnlyCell(self.sheet, rounded(value, column.number_format))
                cell._style = copy(style)
                value = cell
            row.append(value)
        return row


def table_workbook(
    title: str,
    table: Any,
    out: IO[bytes],
    *,
    heading: Sequence[str] = (),
    more: Iterable[tuple[str, Any]] = (),
) -> None:
    """A dashboard panel's data table (``dashboards.charts.Table``) as an .xlsx workbook,
    under ``heading`` (see ``sheet_heading``) when given; ``more`` tables, as (sheet title,
    table), each on a sheet of its own after it, under the same heading."""
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
    sheet = start_sheet(workbook, title[:31], columns, heading=heading)
    for row in table.rows:
        sheet.append(row_cells(sheet, columns, row))
    set_autofilter(sheet, len(columns), len(table.rows), heading=heading)
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
        more_sheet = start_sheet(workbook, more_title[:31], more_columns, heading=heading)
        for row in more_table.rows:
            more_sheet.append(row_cells(more_sheet, more_columns, row))
    workbook.save(out)


# --- printing ---------------------------------------------------------------------------
# A printed sheet is A4 landscape at PRINT_SCALE: the default 11 pt text prints at 9.9 pt,
# above the 9 pt a board paper needs. A sheet wider than the page at that scale is not
# shrunk: its long text columns are narrowed and wrap (``narrowed``), and what still does
# not fit runs onto pages to the right, its first column repeated.
PRINT_SCALE = 90
PRINT_MARGINS = PageMargins(left=0.4, right=0.4, top=0.75, bottom=0.75, header=0.3, footer=0.3)
A4_LANDSCAPE = (11.69, 8.27)  # inches
# A column w characters wide is w * 7 + 5 pixels at 96 per inch (the width of the default
# font's digit), in Excel and in LibreOffice alike.
DIGIT_PIXELS, PIXELS_PER_INCH = 7, 96
# The default row's height, and the height of each line of wrapped text, in points.
LINE_POINTS = 15
# Narrowed no further: a wrapped column this wide still shows a word a line.
MIN_WRAP_WIDTH = 12


# A column's width counts the digit "0" of the default font; a small letter or a space is
# narrower on average, about this much; a bold letter about BOLD_WIDTH times wider.
LETTER_WIDTH, BOLD_WIDTH = 0.85, 1.1


def text_width(text: str) -> float:
    """About how many digits wide ``text`` is: its small letters and spaces are narrower."""
    narrow = sum(map(str.islower, text)) + text.count(" ")
    return len(text) - narrow * (1 - LETTER_WIDTH)


def wrapped_lines(text: Any, width: float, *, bold: bool = False) -> int:
    """How many lines ``text`` takes wrapped word by word in a column ``width`` characters
    wide (a character less, for the cell's padding); a word longer than a line is broken."""
    text = str(text)
    room = max(1.0, (width - 1) / (BOLD_WIDTH if bold else 1))
    if len(text) < room and "\n" not in text:
        return 1
    count = 0
    for paragraph in text.split("\n"):
        count += 1
        used = 0.0
        for word in paragraph.split():
            needed = text_width(word)
            if used and used + 1 + needed > room:
                count += 1
                used = 0.0
            if needed > room:
                count += ceil(needed / room) - 1
                needed = needed % room
            used += (1 if used else 0) + needed
    return count


def column_pixels(width: float) -> float:
    return width * DIGIT_PIXELS + 5


def page_pixels() -> float:
    """The printable width of an A4 landscape page, in the sheet's pixels at PRINT_SCALE,
    less a little: programs round column widths differently, and a column a pixel too wide
    for the page is printed on the next."""
    inches = A4_LANDSCAPE[0] - PRINT_MARGINS.left - PRINT_MARGINS.right
    return inches * PIXELS_PER_INCH * 100 / PRINT_SCALE * 0.97


def page_points() -> float:
    """The printable height of an A4 landscape page, in the sheet's points at PRINT_SCALE,
    less a little for the rows a program draws taller than asked."""
    inches = A4_LANDSCAPE[1] - PRINT_MARGINS.top - PRINT_MARGINS.bottom
    return inches * 72 * 100 / PRINT_SCALE * 0.95


def narrowed(columns: Sequence[Column]) -> list[Column]:
    """``columns`` fitted to a printed page's width: the wrapping columns wider than some
    level are cut down to it, the level as high as the page allows and no lower than
    MIN_WRAP_WIDTH (then the sheet runs onto pages to the right)."""

    def total(level: float) -> float:
        return sum(
            column_pixels(min(column.width, level) if column.wrap else column.width)
            for column in columns
        )

    room = page_pixels()
    level = float(max((column.width for column in columns if column.wrap), default=0))
    if total(level) > room:
        low, high = float(MIN_WRAP_WIDTH), level
        while high - low > 0.5:
            middle = (low + high) / 2
            low, high = (middle, high) if total(middle) <= room else (low, middle)
        level = low
    return [
        replace(column, width=int(min(column.width, level))) if column.wrap else column
        for column in columns
    ]


def _header_text(text: str) -> str:
    # "&" starts a code in a header's text.
    return str(text).replace("&", "&&")


def print_setup(
    sheet: WriteOnlyWorksheet | Worksheet,
    *,
    header: tuple[str, str, str],
    page_word: str,
) -> None:
    """A4 landscape at PRINT_SCALE, with ``header`` (left, centre, right) on every page and
    "``page_word`` N / M" in its footer. Written with the sheet's last row, so this may be
    called at any time before the workbook is saved."""
    setup = sheet.page_setup
    setup.orientation = "landscape"
    setup.paperSize = Worksheet.PAPERSIZE_A4
    setup.scale = PRINT_SCALE
    sheet.page_margins = copy(PRINT_MARGINS)
    header_footer = sheet.HeaderFooter
    # The header keeps its size whatever the sheet's scale.
    header_footer.scaleWithDoc = False
    for part, text in zip(
        (header_footer.oddHeader.left, header_footer.oddHeader.center,
         header_footer.oddHeader.right),
        header,
        strict=True,
    ):
        part.text, part.size = _header_text(text), 10
    footer = header_footer.oddFooter.center
    footer.text, footer.size = f"{_header_text(page_word)} &P / &N", 10
