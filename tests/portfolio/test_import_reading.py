"""Hostile and wrong files: each is refused with a clear message before anything is kept,
and never reaches the database or a server error."""

from __future__ import annotations

import zipfile
from io import BytesIO

import openpyxl.xml
import pytest

from portfolio.imports import reading
from portfolio.imports.services import check_file
from tests.factories import import_xlsx

pytestmark = pytest.mark.django_db

GOOD = {"title": "Konenäkö hitsaukseen"}


def refused(data: bytes) -> str:
    with pytest.raises(reading.ImportRefused) as exc:
        check_file(data)
    return exc.value.message


def rezip(data: bytes, replace: dict[str, bytes] | None = None, add: dict[str, bytes] | None = None,
          compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    """A copy of the workbook ``data`` with some parts replaced or added."""
    out = BytesIO()
    with zipfile.ZipFile(BytesIO(data)) as source, zipfile.ZipFile(out, "w", compression) as target:
        for item in source.infolist():
            target.writestr(item.filename, (replace or {}).get(item.filename, source.read(item)))
        for name, content in (add or {}).items():
            target.writestr(name, content)
    return out.getvalue()


def test_safe_xml_parsing_is_in_use():
    assert openpyxl.xml.DEFUSEDXML is True


def test_a_good_workbook_opens():
    check_file(import_xlsx([GOOD]))


def test_empty_file():
    assert refused(b"") == "The file is empty."


def test_size_is_checked_before_the_file_is_opened(settings, monkeypatch):
    data = import_xlsx([GOOD])
    settings.IMPORT_MAX_BYTES = len(data) - 1
    monkeypatch.setattr(zipfile, "ZipFile", None)  # opening it at all would fail loudly
    assert "at most" in refused(data)


def test_old_xls_file():
    assert ".xls" in refused(reading.OLE2_SIGNATURE + b"\0" * 600)


def test_csv_file():
    assert "not an Excel workbook" in refused("Otsikko;Vaihe\nIdea;idea\n".encode())


def test_a_zip_that_is_not_a_workbook():
    out = BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("notes.txt", "hello")
    assert "not an Excel workbook" in refused(out.getvalue())


def test_a_damaged_zip():
    assert "damaged" in refused(reading.ZIP_SIGNATURE + b"\x14\x00" + b"x" * 200)


def test_a_truncated_workbook():
    data = import_xlsx([GOOD])
    assert "damaged" in refused(data[: len(data) // 2])


def test_zip_bomb_refused_by_its_compression_ratio():
    # 20 MB of zeros packs into some 20 kB: refused from the archive's directory alone.
    bomb = rezip(import_xlsx([GOOD]), add={"xl/media/padding.bin": b"\0" * (20 * 1024 * 1024)})
    assert len(bomb) < 100_000
    assert "zip bomb" in refused(bomb)


def test_zip_bomb_refused_by_its_unpacked_size(settings):
    data = import_xlsx([GOOD])
    settings.IMPORT_MAX_UNPACKED_BYTES = 5_000
    assert "would unpack to" in refused(data)


def test_archive_with_too_many_parts():
    data = rezip(import_xlsx([GOOD]), add={f"xl/junk/{n}.xml": b"<a/>" for n in range(1001)})
    assert "parts" in refused(data)


def test_workbook_with_macros_is_refused():
    data = rezip(import_xlsx([GOOD]), add={"xl/vbaProject.bin": b"\xd0\xcf\x11\xe0 macro"})
    assert "macros" in refused(data)


BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
]>
<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">
<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&lol4;</t></is></c></row></sheetData>
</worksheet>"""

EXTERNAL_ENTITY = b"""<?xml version="1.0"?>
<!DOCTYPE foo [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">
<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&xxe;</t></is></c></row></sheetData>
</worksheet>"""


@pytest.mark.parametrize("payload", [BILLION_LAUGHS, EXTERNAL_ENTITY], ids=["laughs", "external"])
def test_xml_entities_in_a_sheet_are_refused(payload):
    data = rezip(import_xlsx([GOOD]), replace={"xl/worksheets/sheet1.xml": payload})
    assert "XML that is not allowed" in refused(data)


def test_xml_entities_in_the_workbook_part_are_refused():
    workbook_xml = b"""<?xml version="1.0"?>
<!DOCTYPE foo [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"
 xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">
<sheets><sheet name="&xxe;" sheetId="1" r:id="rId1"/></sheets></workbook>"""
    data = rezip(import_xlsx([GOOD]), replace={"xl/workbook.xml": workbook_xml})
    assert "XML that is not allowed" in refused(data)


def test_imports_are_off_without_safe_xml_parsing(monkeypatch):
    monkeypatch.setattr(openpyxl.xml, "DEFUSEDXML", False)
    assert "safe XML" in refused(import_xlsx([GOOD]))


def test_row_limit_is_counted_while_reading(settings):
    settings.IMPORT_MAX_ROWS = 5
    check_file(import_xlsx([{"title": f"Idea {n}"} for n in range(5)]))
    assert "more than 5 rows" in refused(import_xlsx([{"title": f"Idea {n}"} for n in range(6)]))


def test_row_limit_counts_organisations_too(settings):
    settings.IMPORT_MAX_ROWS = 3
    data = import_xlsx([GOOD, GOOD], [{"name": "A Oy"}, {"name": "B Oy"}])
    assert "more than 3 rows" in refused(data)


def test_one_row_far_below_empty_ones_is_refused(settings):
    settings.IMPORT_MAX_ROWS = 10
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Ideas"
    sheet.append(["Title *"])
    sheet["A50000"] = "Far away"
    out = BytesIO()
    workbook.save(out)
    assert "more than 10 rows" in refused(out.getvalue())


def test_formulas_are_read_as_text_never_computed():
    sheets = reading.read_sheets(reading.open_workbook(import_xlsx([{"title": "=1+1"}])))
    (_number, cells), = sheets["ideas"].rows
    assert cells["title"] == reading.Formula("=1+1")
