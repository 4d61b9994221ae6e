"""Hostile and wrong files: each is refused with a clear message before anything is kept,
and never reaches the database or a server error."""

from __future__ import annotations

import random
import zipfile
from io import BytesIO

import openpyxl.xml
import pytest

from portfolio.imports import reading
from portfolio.imports.services import check_file
from tests import hostile
from tests.factories import import_xlsx
from tests.hostile import BILLION_LAUGHS, EXTERNAL_ENTITY, GOOD, rezip

pytestmark = pytest.mark.django_db

def refused(data: bytes) -> str:
    with pytest.raises(reading.ImportRefused) as exc:
        check_file(data)
    return exc.value.message.replace("\xa0", " ")  # sizes are written with no-break spaces


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


# Each part is weighed before openpyxl reads it ------------------------------------------


def never_opened_by_openpyxl(monkeypatch) -> None:
    def fail(*args, **kwargs):
        raise AssertionError("openpyxl opened a file that should have been refused before")

    monkeypatch.setattr(reading.openpyxl, "load_workbook", fail)


def test_the_shared_strings_bomb_is_refused_before_openpyxl_reads_it(settings, monkeypatch):
    """The file found in the wild: under the upload size, the unpacked size and the ratio
    limits, yet its shared strings unpack to 93.5 MB of 5.5 million one-letter strings."""
    data = hostile.shared_strings_bomb()
    with zipfile.ZipFile(BytesIO(data)) as archive:
        part = archive.getinfo("xl/sharedStrings.xml")
        unpacked = sum(member.file_size for member in archive.infolist())
    assert len(data) < settings.IMPORT_MAX_BYTES
    assert unpacked < settings.IMPORT_MAX_UNPACKED_BYTES
    assert round(part.file_size / 1e6, 1) == 93.5
    assert part.file_size < reading.MAX_RATIO * part.compress_size
    never_opened_by_openpyxl(monkeypatch)
    assert refused(data) == (
        "A part of the workbook (xl/sharedStrings.xml) would unpack to 89.2 MB; each part may "
        "unpack to at most 15.6 MB in an import of at most 2000 rows. It was not opened."
    )


def test_the_part_limit_follows_the_row_limit(settings):
    data = hostile.with_shared_strings(30_000)  # about 510 kB of shared strings
    check_file(data)
    settings.IMPORT_MAX_ROWS = 100
    settings.IMPORT_MAX_PART_BYTES_PER_ROW = 4096
    assert "(xl/sharedStrings.xml) would unpack to 498.2 KB; each part may unpack to at most " \
        "400.0 KB in an import of at most 100 rows" in refused(data)


def test_shared_strings_are_counted_without_reading_them_whole(settings, monkeypatch):
    settings.IMPORT_MAX_ROWS = 100
    settings.IMPORT_MAX_CELLS_PER_ROW = 50  # 5 000 cells, and as many shared strings
    check_file(hostile.with_shared_strings(5_000))
    data = hostile.with_shared_strings(5_001)
    never_opened_by_openpyxl(monkeypatch)
    assert refused(data) == (
        "The workbook holds more than 5,000 texts (shared strings); an import of at most 100 "
        "rows needs no more. It was not opened: import the rows in parts."
    )


def test_cells_are_counted_in_each_sheet(settings, monkeypatch):
    settings.IMPORT_MAX_ROWS = 100
    settings.IMPORT_MAX_CELLS_PER_ROW = 50
    never_opened_by_openpyxl(monkeypatch)
    assert refused(hostile.cell_flood(5_000)) == (
        "A sheet of the workbook (xl/worksheets/sheet1.xml) holds more than 5,000 cells; an "
        "import of at most 100 rows needs no more. It was not opened: import the rows in parts."
    )


@pytest.mark.parametrize("piece", [1, 2, 3, 5, 7, 64])
def test_counting_is_exact_across_pieces_and_namespace_prefixes(monkeypatch, piece):
    """Tags cut between two pieces of the unpacked stream are counted once, with or without
    a prefix; look-alikes (<col>, <c:chart>, <sip>) are not counted."""
    monkeypatch.setattr(reading, "SCAN_CHUNK", piece)
    part = (
        b'<x:worksheet xmlns:x="urn:x"><x:cols><x:col/></x:cols><x:sheetData><x:row>'
        b'<x:c r="A1"><x:v>1</x:v></x:c><c/><c>\n</c><c\tr="B1"/><c:chart/><sip/>'
        b"<x:si><x:t>a</x:t></x:si><si/><averyveryverylongprefix:si>"
        b"</x:row></x:sheetData></x:worksheet>"
    )
    out = BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("part.xml", part)
    with zipfile.ZipFile(out) as archive:
        member = archive.getinfo("part.xml")
        exact = reading.PartLimits(rows=1, part_bytes=len(part), cells=4, strings=3)
        assert reading._count_elements(archive, member, exact, 0, whole=False) == 3
        with pytest.raises(reading.ImportRefused, match="more than 3 cells"):
            reading._count_elements(archive, member, reading.PartLimits(1, len(part), 3, 3), 0,
                                    whole=False)
        with pytest.raises(reading.ImportRefused, match="more than 2 texts"):
            reading._count_elements(archive, member, reading.PartLimits(1, len(part), 4, 2), 0,
                                    whole=False)


def test_a_part_read_whole_has_its_own_limit(monkeypatch):
    """openpyxl parses the styles into a tree, at some ten times the XML in memory."""
    never_opened_by_openpyxl(monkeypatch)
    assert "(xl/styles.xml) would unpack to 15.0 MB, more than the 4.0 MB such a part may " \
        "hold" in refused(hostile.styles_bloat())


def test_pictures_are_not_held_to_the_limit_of_parts_read_whole():
    picture = random.Random(16).randbytes(4_500_000)  # packs no smaller, and is not XML
    check_file(rezip(import_xlsx([GOOD]), add={"xl/media/image1.png": b"\x89PNG" + picture}))


def test_shared_strings_anywhere_are_weighed_as_openpyxl_finds_them(settings, monkeypatch):
    """The package may put the shared strings under any name; all parts are counted."""
    settings.IMPORT_MAX_ROWS = 100
    settings.IMPORT_MAX_CELLS_PER_ROW = 50
    data = hostile.with_shared_strings(5_001)
    with zipfile.ZipFile(BytesIO(data)) as source:
        types = source.read("[Content_Types].xml").replace(b"/xl/sharedStrings.xml", b"/a.bin")
        strings = source.read("xl/sharedStrings.xml")
    out = BytesIO()
    with zipfile.ZipFile(BytesIO(data)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            if item.filename == "xl/sharedStrings.xml":
                target.writestr("a.bin", strings)
            elif item.filename == "[Content_Types].xml":
                target.writestr(item.filename, types)
            else:
                target.writestr(item.filename, source.read(item))
    assert "more than 5,000 texts" in refused(out.getvalue())


def test_xml_in_utf16_is_refused():
    sheet = '<worksheet xmlns="urn:x"><sheetData/></worksheet>'.encode("utf-16")
    data = rezip(import_xlsx([GOOD]), replace={"xl/worksheets/sheet1.xml": sheet})
    assert "text encoding that spreadsheet programs do not use" in refused(data)


@pytest.mark.parametrize("name", sorted(hostile.KINDS))
def test_every_hostile_kind_is_refused_with_its_message(name):
    build, words = hostile.KINDS[name]
    assert words in refused(build())


def test_the_template_passes_the_checks_with_few_rows_allowed(settings, manager_user):
    from portfolio.imports.template import write_template

    settings.IMPORT_MAX_ROWS = 2  # its two example rows
    out = BytesIO()
    write_template(out, user=manager_user)
    check_file(out.getvalue())


def test_styles_named_as_a_sheet_keep_the_limit_of_a_part_read_whole():
    """A relationship may call the styles a worksheet; openpyxl still parses them whole."""
    data = hostile.styles_bloat()
    with zipfile.ZipFile(BytesIO(data)) as source:
        rels = source.read("xl/_rels/workbook.xml.rels")
    rels = rels.replace(
        b"</Relationships>",
        b'<Relationship Id="rId99" Target="/xl/styles.xml" Type="http://schemas.openxmlformats'
        b'.org/officeDocument/2006/relationships/worksheet"/></Relationships>',
    )
    data = rezip(data, replace={"xl/_rels/workbook.xml.rels": rels})
    assert "(xl/styles.xml) would unpack to 15.0 MB, more than the 4.0 MB" in refused(data)
