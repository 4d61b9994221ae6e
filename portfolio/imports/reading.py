"""Opening an uploaded workbook without trusting it.

Everything that can be checked without unpacking is checked first: the size, that the file
is a zip archive at all (and not an old .xls, a CSV or nothing), the archive's declared
contents (member count, unpacked size, compression ratio: a zip bomb is refused here, before
openpyxl unpacks a byte), macros. Then each part is weighed against what an import of
``IMPORT_MAX_ROWS`` rows can need: its declared unpacked size first, then, streaming through
the unpacked bytes with an early stop, the number of cells in each part and of shared strings
in all. openpyxl reads the shared strings whole and parses every cell of a row it yields, so
these bounds are what keeps the memory and time of reading small, whatever the file. The XML
is then parsed by openpyxl through defusedxml, which refuses entity declarations (billion
laughs, external entities). Rows are counted while they are read, so a sheet of a million
rows stops at the limit. Formulas are never computed: openpyxl reads the formula text, and
the parser reports such a cell as a problem.
"""

from __future__ import annotations

import re
import zipfile
import zlib
from dataclasses import dataclass, field
from io import BytesIO
from typing import Any

import openpyxl
import openpyxl.xml
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from portfolio.imports.columns import COLUMNS, SHEET_TITLES, in_every_language, normal

OLE2_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .xls and other old Office files
ZIP_SIGNATURE = b"PK\x03\x04"
# A real workbook has a few dozen parts; thousands mean something else.
MAX_MEMBERS = 1000
# Spreadsheet XML packs well, but not this well: past this ratio a part is a bomb. Small
# parts are exempt, since a few kilobytes of repeated markup can pack better still.
MAX_RATIO = 150
RATIO_FROM_BYTES = 1024 * 1024
# Columns read from each row; the template has fewer, extra columns are not read.
MAX_COLUMNS = 40
# Empty rows are skipped but still read: a sheet with one row at the bottom of a million
# empty ones is refused after this many times the row limit.
EMPTY_ROWS_FACTOR = 10
# The part limits scale with IMPORT_MAX_ROWS, but never below this many rows' worth: the
# styles and theme of an ordinary workbook must fit even when few rows are allowed.
PART_LIMITS_FROM_ROWS = 100
# Unpacked bytes are read in pieces of this size while the elements are counted.
SCAN_CHUNK = 256 * 1024
# An element's start tag, with or without a namespace prefix: a cell (<c>) or a shared
# string (<si>). Excel writes no prefix, other programs may (<x:c>); both are counted.
CELL_TAG = re.compile(rb"<(?:[^\s<>/:!?]+:)?c[\s/>]")
STRING_TAG = re.compile(rb"<(?:[^\s<>/:!?]+:)?si[\s/>]")
# A tag cut by the end of a piece is carried into the next one, up to this length; a longer
# one (a prefix of kilobytes) may go uncounted, but each then costs that many bytes of the
# part's size limit.
LONGEST_TAG = 4096
# Parts that openpyxl parses whole into a tree (the content types, the workbook, its
# relationships, the styles, properties): a tree costs some ten times its XML in memory, so
# these may unpack to this much at most. Only the shared strings and the worksheets are read
# as a stream, and only they get the limits that scale with IMPORT_MAX_ROWS.
WHOLE_PART_BYTES = 4 * 1024 * 1024
# XML in UTF-16 or UTF-32 would hide its tags from the count. Spreadsheet programs write
# UTF-8, so such a part is refused rather than counted another way.
WIDE_XML_STARTS = (b"\xff\xfe", b"\xfe\xff", b"<\0", b"\0<", b"\0\0\0<", b"\0\0\xfe\xff")


class ImportRefused(Exception):
    """The file cannot be read at all; ``message`` says why in words."""

    def __init__(self, message: str):
        self.message = message
        super().__init__(message)


@dataclass(frozen=True)
class Formula:
    """A cell that holds a formula: its text, never its value."""

    text: str


@dataclass(frozen=True)
class ErrorValue:
    """A cell that holds an error such as #DIV/0!."""

    text: str


@dataclass
class SheetData:
    """One sheet as read: its title, each column's key by position, the headers that were
    not recognised, and the rows that hold anything (row number, values by column key)."""

    key: str
    title: str
    columns: dict[int, str] = field(default_factory=dict)
    unknown_headers: list[str] = field(default_factory=list)
    rows: list[tuple[int, dict[str, Any]]] = field(default_factory=list)


def _refuse_before_unpacking(data: bytes) -> None:
    if not data:
        raise ImportRefused(_("The file is empty."))
    if len(data) > settings.IMPORT_MAX_BYTES:
        raise ImportRefused(
            _("The file is %(size)s; at most %(limit)s can be imported at a time.")
            % {"size": filesizeformat(len(data)), "limit": filesizeformat(settings.IMPORT_MAX_BYTES)}
        )
    if data.startswith(OLE2_SIGNATURE):
        raise ImportRefused(
            _("This is an old Excel file (.xls). Save it as an Excel workbook (.xlsx) and "
              "upload that.")
        )
    if not data.startswith(ZIP_SIGNATURE):
        raise ImportRefused(
            _("This is not an Excel workbook (.xlsx). A CSV or other text file cannot be "
              "imported: open it in a spreadsheet program and save it as .xlsx.")
        )


def _check_archive(archive: zipfile.ZipFile) -> None:
    members = archive.infolist()
    if len(members) > MAX_MEMBERS:
        raise ImportRefused(
            _("The file holds %(count)s parts, more than a workbook has; it was not opened.")
            % {"count": len(members)}
        )
    # The declared sizes bound what is unpacked: Python's zipfile reads no more than a
    # member declares and fails on a mismatch, so a lying header cannot get past this.
    unpacked = sum(member.file_size for member in members)
    if unpacked > settings.IMPORT_MAX_UNPACKED_BYTES:
        raise ImportRefused(
            _("The file would unpack to %(size)s, more than the %(limit)s allowed; it was not "
              "opened.")
            % {
                "size": filesizeformat(unpacked),
                "limit": filesizeformat(settings.IMPORT_MAX_UNPACKED_BYTES),
            }
        )
    for member in members:
        if member.file_size >= RATIO_FROM_BYTES and (
            member.file_size > MAX_RATIO * max(member.compress_size, 1)
        ):
            raise ImportRefused(
                _("The file is packed suspiciously tightly (a “zip bomb”); it was not opened.")
            )
    names = {member.filename for member in members}
    if "xl/workbook.xml" not in names:
        raise ImportRefused(
            _("This zip file is not an Excel workbook (.xlsx). Save the sheet as .xlsx and "
              "upload that.")
        )
    # Macros would never run here (openpyxl does not run them), but a workbook with macros
    # is refused rather than silently stripped: the uploader should know what they send.
    if any(name.lower().endswith("vbaproject.bin") for name in names):
        raise ImportRefused(
            _("The workbook contains macros (.xlsm). Save it as an Excel workbook (.xlsx) "
              "without macros and upload that.")
        )


@dataclass(frozen=True)
class PartLimits:
    """What one part of a workbook may hold: an import of ``rows`` rows needs no more."""

    rows: int
    part_bytes: int
    cells: int
    strings: int


def part_limits() -> PartLimits:
    """The limits for each part, from ``IMPORT_MAX_ROWS`` and the per-row settings."""
    rows = settings.IMPORT_MAX_ROWS
    scale = max(rows, PART_LIMITS_FROM_ROWS)
    cells = scale * settings.IMPORT_MAX_CELLS_PER_ROW
    # Each shared string is the text of at least one cell: a spreadsheet program keeps no
    # others when it saves, so the cell bound serves for the strings too.
    return PartLimits(
        rows=rows,
        part_bytes=scale * settings.IMPORT_MAX_PART_BYTES_PER_ROW,
        cells=cells,
        strings=cells,
    )


def _check_parts(archive: zipfile.ZipFile) -> None:
    """Refuse a part that is larger, or holds more cells or shared strings, than an import
    of ``IMPORT_MAX_ROWS`` rows can need, before openpyxl reads any of it.

    Every part is weighed, whatever its name: openpyxl finds the shared strings and the
    sheets through the package's own references, which a file can point anywhere."""
    limits = part_limits()
    members = [member for member in archive.infolist() if not member.is_dir()]
    # The declared sizes first: nothing has been unpacked yet.
    for member in members:
        if member.file_size > limits.part_bytes:
            raise ImportRefused(
                _("A part of the workbook (%(part)s) would unpack to %(size)s; each part may "
                  "unpack to at most %(limit)s in an import of at most %(rows)s rows. It was "
                  "not opened.")
                % {
                    "part": member.filename[:100],
                    "size": filesizeformat(member.file_size),
                    "limit": filesizeformat(limits.part_bytes),
                    "rows": limits.rows,
                }
            )
    streamed = _streamed_parts(archive)
    strings = 0
    for member in members:
        strings = _count_elements(
            archive, member, limits, strings, whole=member.filename not in streamed
        )


def _refuse_whole_part(member: zipfile.ZipInfo) -> None:
    if member.file_size > WHOLE_PART_BYTES:
        raise ImportRefused(
            _("A part of the workbook (%(part)s) would unpack to %(size)s, more than the "
              "%(limit)s such a part may hold; it was not opened. Save the file again as .xlsx "
              "from a spreadsheet program.")
            % {
                "part": member.filename[:100],
                "size": filesizeformat(member.file_size),
                "limit": filesizeformat(WHOLE_PART_BYTES),
            }
        )


def _streamed_parts(archive: zipfile.ZipFile) -> set[str]:
    """The parts openpyxl reads as a stream: the shared strings and the worksheets, found
    the way openpyxl finds them (the package's content types, the workbook's relationships).
    The two small parts read to find them are held to the limit of a part read whole."""
    from openpyxl.packaging.manifest import Manifest
    from openpyxl.packaging.relationship import get_dependents, get_rels_path
    from openpyxl.reader.excel import _find_workbook_part
    from openpyxl.xml.constants import (
        ARC_CONTENT_TYPES,
        ARC_CORE,
        ARC_CUSTOM,
        ARC_STYLE,
        ARC_THEME,
        SHARED_STRINGS,
    )
    from openpyxl.xml.functions import fromstring

    try:
        _refuse_whole_part(archive.getinfo(ARC_CONTENT_TYPES))
        package = Manifest.from_tree(fromstring(archive.read(ARC_CONTENT_TYPES)))
        streamed = set()
        strings = package.find(SHARED_STRINGS)
        if strings is not None:
            streamed.add(strings.PartName[1:])
        workbook = _find_workbook_part(package).PartName[1:]
        rels_path = get_rels_path(workbook)
        if rels_path in archive.namelist():
            _refuse_whole_part(archive.getinfo(rels_path))
            for rel in get_dependents(archive, rels_path):
                if rel.Type.endswith("/worksheet"):
                    streamed.add(rel.target)
        # A part that openpyxl also reads whole, under its fixed name or as the workbook or
        # a relationship list, keeps the smaller limit whatever else points to it.
        streamed -= {ARC_CONTENT_TYPES, ARC_CORE, ARC_CUSTOM, ARC_STYLE, ARC_THEME, workbook}
        streamed = {name for name in streamed if not name.endswith(".rels")}
    except ImportRefused:
        raise
    except (zipfile.BadZipFile, zlib.error, EOFError, RuntimeError, NotImplementedError):
        raise
    except Exception as exc:  # noqa: BLE001
        # Missing or unreadable package parts: openpyxl would fail on them the same way.
        raise ImportRefused(_xml_message(exc)) from None
    return streamed


def _count_elements(archive: zipfile.ZipFile, member: zipfile.ZipInfo, limits: PartLimits,
                    strings: int, *, whole: bool) -> int:
    """Count the cells of ``member`` and add its shared strings to ``strings``, reading the
    unpacked bytes piece by piece and stopping as soon as a bound is passed. Returns the
    shared strings counted so far. A ``whole`` part (one openpyxl would parse into a tree,
    not stream) that is XML is held to ``WHOLE_PART_BYTES``; pictures and other binary
    parts are never parsed, so only the archive's limits apply to them."""
    cells = 0
    tail = b""
    with archive.open(member) as stream:
        first = True
        while piece := stream.read(SCAN_CHUNK):
            if first and piece.startswith(WIDE_XML_STARTS):
                raise ImportRefused(
                    _("A part of the workbook (%(part)s) is written in a text encoding that "
                      "spreadsheet programs do not use; it was not opened. Save the file again "
                      "as .xlsx from a spreadsheet program.")
                    % {"part": member.filename[:100]}
                )
            if first and whole and piece.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<"):
                _refuse_whole_part(member)
            first = False
            buffer = tail + piece
            cells += _matches(CELL_TAG, buffer, tail)
            if cells > limits.cells:
                raise ImportRefused(
                    _("A sheet of the workbook (%(part)s) holds more than %(limit)s cells; an "
                      "import of at most %(rows)s rows needs no more. It was not opened: import "
                      "the rows in parts.")
                    % {
                        "part": member.filename[:100],
                        "limit": number_format(limits.cells, force_grouping=True),
                        "rows": limits.rows,
                    }
                )
            strings += _matches(STRING_TAG, buffer, tail)
            if strings > limits.strings:
                raise ImportRefused(
                    _("The workbook holds more than %(limit)s texts (shared strings); an import "
                      "of at most %(rows)s rows needs no more. It was not opened: import the "
                      "rows in parts.")
                    % {
                        "limit": number_format(limits.strings, force_grouping=True),
                        "rows": limits.rows,
                    }
                )
            # A tag may be cut at the end of the piece: its start goes on with the next one.
            start = buffer.rfind(b"<")
            tail = buffer[start:] if start >= 0 and len(buffer) - start <= LONGEST_TAG else b""
    return strings


def _matches(tag: re.Pattern[bytes], buffer: bytes, tail: bytes) -> int:
    """Tags in ``buffer`` that were not already counted in ``tail``, the end of the previous
    piece carried over (a tag wholly in it was counted with that piece)."""
    found = len(tag.findall(buffer))
    if tail and tag.match(tail):
        found -= 1
    return found


def open_workbook(data: bytes):
    """The workbook in ``data``, opened read-only, or ``ImportRefused`` saying why not."""
    if not openpyxl.xml.DEFUSEDXML:
        # Without defusedxml openpyxl parses entity declarations; better no import at all.
        raise ImportRefused(_("Imports are switched off: the server lacks safe XML parsing."))
    _refuse_before_unpacking(data)
    try:
        with zipfile.ZipFile(BytesIO(data)) as archive:
            _check_archive(archive)
            _check_parts(archive)
    except (
        zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, RuntimeError, EOFError,
        zlib.error,
    ):
        # Unpacking fails in these ways on a damaged or encrypted part (a bad checksum, a
        # cut-off stream, a password, an unknown compression method).
        raise ImportRefused(_("The file is damaged or not an Excel workbook (.xlsx).")) from None
    try:
        return openpyxl.load_workbook(
            BytesIO(data), read_only=True, data_only=False, keep_links=False, keep_vba=False
        )
    except Exception as exc:
        # openpyxl and defusedxml fail in many ways on hostile or broken files (bad XML,
        # forbidden entities, missing parts); each means the same to the uploader.
        raise ImportRefused(_xml_message(exc)) from None


def _xml_message(exc: BaseException) -> str:
    from defusedxml import DefusedXmlException

    # openpyxl wraps what the parser raised in its own error; the cause tells them apart.
    cause: BaseException | None = exc
    while cause is not None:
        if isinstance(cause, DefusedXmlException):
            return _("The workbook contains XML that is not allowed (entity or DTD "
                     "declarations); it was refused. Save it again from a spreadsheet program.")
        cause = cause.__cause__ or cause.__context__
    return _("The workbook could not be read; it may be damaged. Open it in a spreadsheet "
             "program, save it as .xlsx and upload it again.")


def _sheet_key(title: str) -> str | None:
    for key, sheet_title in SHEET_TITLES.items():
        if normal(title) in in_every_language(sheet_title):
            return key
    return None


def _cell_value(cell) -> Any:
    if cell.data_type == "f":
        return Formula(str(cell.value))
    if cell.data_type == "e":
        return ErrorValue(str(cell.value))
    value = cell.value
    if isinstance(value, str):
        value = value.strip()
        return value or None
    return value


def _headers(sheet: SheetData, header_row) -> None:
    wanted = {
        name: column.key
        for column in COLUMNS[sheet.key]
        for name in in_every_language(column.header)
    }
    for index, cell in enumerate(header_row):
        value = cell.value
        if value is None or (isinstance(value, str) and not value.strip()):
            continue
        key = wanted.get(normal(value))
        if key is None or key in sheet.columns.values():
            sheet.unknown_headers.append(str(value))
        else:
            sheet.columns[index] = key


def read_sheets(workbook) -> dict[str, SheetData]:
    """The Ideas and Organisations sheets by key, whichever language names them. Rows are
    counted as they are read; past ``IMPORT_MAX_ROWS`` rows with values (or ten times as
    many rows in all, empty ones included) the reading stops and the file is refused."""
    try:
        return _read_sheets(workbook)
    except ImportRefused:
        raise
    except Exception as exc:
        # A read-only workbook parses each sheet's XML only now, while its rows are read.
        raise ImportRefused(_xml_message(exc)) from None


def _read_sheets(workbook) -> dict[str, SheetData]:
    limit = settings.IMPORT_MAX_ROWS
    counted = scanned = 0
    sheets: dict[str, SheetData] = {}
    for worksheet in workbook.worksheets:
        key = _sheet_key(worksheet.title)
        if key not in COLUMNS or key in sheets:
            continue
        sheet = SheetData(key=key, title=worksheet.title)
        sheets[key] = sheet
        # openpyxl yields empty rows for the gaps, so the numbers are the sheet's own.
        rows = enumerate(worksheet.iter_rows(max_col=MAX_COLUMNS), start=1)
        header = next(rows, None)
        if header is None:
            continue
        _headers(sheet, header[1])
        for number, row in rows:
            scanned += 1
            if scanned > EMPTY_ROWS_FACTOR * limit:
                raise _too_many_rows(limit)
            values = {
                sheet.columns[index]: _cell_value(cell)
                for index, cell in enumerate(row)
                if index in sheet.columns
            }
            if all(value is None for value in values.values()):
                continue
            counted += 1
            if counted > limit:
                raise _too_many_rows(limit)
            sheet.rows.append((number, values))
    return sheets


def _too_many_rows(limit: int) -> ImportRefused:
    return ImportRefused(
        _("The file has more than %(limit)s rows; import it in parts of at most %(limit)s rows "
          "of ideas and organisations.")
        % {"limit": limit}
    )
