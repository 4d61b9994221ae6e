"""Hostile workbooks, built on the spot: nothing large is kept in the repository.

Each builder returns the bytes of an upload that the import must refuse, quickly and in
little memory. The tests use them one by one; ``benchmarks/import_hostile.py`` times and
weighs the check of every kind.
"""

from __future__ import annotations

import random
import zipfile
from collections.abc import Callable, Iterable
from io import BytesIO

from tests.factories import import_xlsx

GOOD = {"title": "Konenäkö hitsaukseen"}
MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
SHARED_STRINGS_TYPE = (
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"
)


def rezip(data: bytes, replace: dict[str, bytes] | None = None,
          add: dict[str, bytes | Iterable[bytes]] | None = None,
          compression: int = zipfile.ZIP_DEFLATED, level: int | None = None) -> bytes:
    """A copy of the workbook ``data`` with some parts replaced or added. An added part may
    be given in pieces, which are packed as they come (a large part is never whole)."""
    out = BytesIO()
    with zipfile.ZipFile(BytesIO(data)) as source, \
            zipfile.ZipFile(out, "w", compression, compresslevel=level) as target:
        for item in source.infolist():
            target.writestr(item.filename, (replace or {}).get(item.filename, source.read(item)))
        for name, content in (add or {}).items():
            if isinstance(content, bytes):
                target.writestr(name, content)
                continue
            with target.open(name, "w", force_zip64=True) as part:
                for piece in content:
                    part.write(piece)
    return out.getvalue()


def shared_strings(count: int, *, seed: int = 16) -> Iterable[bytes]:
    """A shared-strings part of ``count`` one-letter strings, in pieces. The letters are
    drawn at random from two, so the part packs about as well as the one found in the wild
    (ratio about 24): under the archive's ratio limit."""
    yield (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<sst xmlns="{MAIN_NS}" count="{count}" uniqueCount="{count}">'
    ).encode()
    rng = random.Random(seed)
    block_size = 4000
    # One block of random letters, repeated: farther apart than deflate looks back, so it
    # packs like random text, and is made in no time.
    block = "".join(f"<si><t>{c}</t></si>" for c in rng.choices("ab", k=block_size)).encode()
    whole, rest = divmod(count, block_size)
    for _ in range(whole):
        yield block
    yield b"<si><t>a</t></si>" * rest
    yield b"</sst>"


def with_shared_strings(count: int) -> bytes:
    """A good workbook whose shared strings (declared in the package, as Excel does) hold
    ``count`` tiny strings."""
    data = import_xlsx([GOOD])
    return rezip(
        data,
        replace={"[Content_Types].xml": _declaring_shared_strings(data)},
        add={"xl/sharedStrings.xml": shared_strings(count)},
        level=1,
    )


def _declaring_shared_strings(data: bytes) -> bytes:
    """The package's content types of workbook ``data``, declaring xl/sharedStrings.xml as
    its shared strings, so openpyxl reads that part as Excel's own files have it read."""
    with zipfile.ZipFile(BytesIO(data)) as source:
        types = source.read("[Content_Types].xml")
    override = (
        f'<Override PartName="/xl/sharedStrings.xml" ContentType="{SHARED_STRINGS_TYPE}"/>'
    ).encode()
    return types.replace(b"</Types>", override + b"</Types>")


def shared_strings_bomb() -> bytes:
    """The file found in the wild: 3.9 MB, whose shared strings unpack to 93.5 MB in 5.5
    million one-letter strings, ratio about 24: under the size, unpacked-size and ratio
    limits of the archive."""
    return with_shared_strings(5_500_000)


def cell_flood(cells: int) -> bytes:
    """A good workbook whose Ideas sheet has ``cells`` number cells, 40 to a row."""
    def pieces() -> Iterable[bytes]:
        yield f'<worksheet xmlns="{MAIN_NS}"><sheetData>'.encode()
        yield (
            b'<row r="1"><c r="A1" t="inlineStr"><is><t>Title *</t></is></c></row>'
        )
        rows, rest = divmod(cells, 40)
        for number in range(2, rows + 2 + bool(rest)):
            width = 40 if number <= rows + 1 else rest
            yield (f'<row r="{number}">' + "<c><v>1</v></c>" * width + "</row>").encode()
        yield b"</sheetData></worksheet>"

    data = import_xlsx([GOOD])
    return rezip(data, replace={"xl/worksheets/sheet1.xml": b"".join(pieces())})


def ratio_bomb() -> bytes:
    # 20 MB of zeros packs into some 20 kB: refused from the archive's directory alone.
    return rezip(import_xlsx([GOOD]), add={"xl/media/padding.bin": b"\0" * (20 * 1024 * 1024)})


def unpacked_size_bomb() -> bytes:
    """Parts that unpack to 110 MB in all, each packed less tightly than the ratio limit."""
    parts = {f"xl/media/part{n}.xml": shared_strings(650_000, seed=n) for n in range(10)}
    return rezip(import_xlsx([GOOD]), add=parts, level=1)


def too_many_parts() -> bytes:
    return rezip(import_xlsx([GOOD]), add={f"xl/junk/{n}.xml": b"<a/>" for n in range(1001)})


def macros() -> bytes:
    return rezip(import_xlsx([GOOD]), add={"xl/vbaProject.bin": b"\xd0\xcf\x11\xe0 macro"})


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


def billion_laughs() -> bytes:
    return rezip(import_xlsx([GOOD]), replace={"xl/worksheets/sheet1.xml": BILLION_LAUGHS})


def external_entity() -> bytes:
    return rezip(import_xlsx([GOOD]), replace={"xl/worksheets/sheet1.xml": EXTERNAL_ENTITY})


def styles_bloat() -> bytes:
    """A styles part of 15 MB: openpyxl parses it whole into a tree, at some ten times that
    in memory. Varied enough to pack under the ratio limit."""
    styles = b"".join([
        f'<styleSheet xmlns="{MAIN_NS}"><cellXfs count="250000">'.encode(),
        b"".join(
            b'<xf numFmtId="%d" fontId="0" fillId="0" borderId="0" xfId="0"/>' % (n % 50)
            for n in range(250_000)
        ),
        b"</cellXfs></styleSheet>",
    ])
    return rezip(import_xlsx([GOOD]), replace={"xl/styles.xml": styles}, level=1)


def far_row() -> bytes:
    """One row at the very bottom of the sheet, a million empty rows below the header."""
    sheet = (
        f'<worksheet xmlns="{MAIN_NS}"><sheetData>'
        '<row r="1"><c r="A1" t="inlineStr"><is><t>Title *</t></is></c></row>'
        '<row r="1048576"><c r="A1048576" t="inlineStr"><is><t>Far away</t></is></c></row>'
        "</sheetData></worksheet>"
    ).encode()
    return rezip(import_xlsx([GOOD]), replace={"xl/worksheets/sheet1.xml": sheet})


# The hostile kinds the import refuses, by name, with words of the message each gets. The
# cell flood and the shared strings at the count limit are sized for the default settings.
KINDS: dict[str, tuple[Callable[[], bytes], str]] = {
    "zip bomb (ratio)": (ratio_bomb, "zip bomb"),
    "zip bomb (unpacked size)": (unpacked_size_bomb, "would unpack to"),
    "too many parts": (too_many_parts, "parts"),
    "macros": (macros, "macros"),
    "billion laughs": (billion_laughs, "XML that is not allowed"),
    "external entity": (external_entity, "XML that is not allowed"),
    "a million rows": (far_row, "rows"),
    "styles bloat": (styles_bloat, "(xl/styles.xml) would unpack to"),
    "shared-strings bomb": (shared_strings_bomb, "(xl/sharedStrings.xml) would unpack to"),
    "shared strings past the count": (lambda: with_shared_strings(150_000), "shared strings"),
    "cells past the count": (lambda: cell_flood(150_000), "cells"),
}


def at_the_limits(rows: int = 2000, cells_per_row: int = 50, text: int = 120) -> bytes:
    """The largest workbook the default limits accept, for timing what is let through: an
    Ideas sheet of ``rows`` rows (header included) of ``cells_per_row`` cells, each a shared
    string of ``text`` characters, all different."""
    count = 1 + (rows - 1) * cells_per_row

    def strings() -> Iterable[bytes]:
        yield f'<sst xmlns="{MAIN_NS}" count="{count}" uniqueCount="{count}">'.encode()
        yield b"<si><t>Title *</t></si>"
        for first in range(1, count, 10_000):
            yield "".join(
                f"<si><t>{n:0{text}d}</t></si>" for n in range(first, min(first + 10_000, count))
            ).encode()
        yield b"</sst>"

    def sheet() -> Iterable[bytes]:
        yield f'<worksheet xmlns="{MAIN_NS}"><sheetData>'.encode()
        index = 0
        for number in range(1, rows + 1):
            cells = []
            for _ in range(cells_per_row if number > 1 else 1):
                cells.append(f'<c t="s"><v>{index}</v></c>')
                index += 1
            yield (f'<row r="{number}">' + "".join(cells) + "</row>").encode()
        yield b"</sheetData></worksheet>"

    data = import_xlsx([GOOD])
    return rezip(
        data,
        replace={
            "[Content_Types].xml": _declaring_shared_strings(data),
            "xl/worksheets/sheet1.xml": b"".join(sheet()),
        },
        add={"xl/sharedStrings.xml": strings()},
        level=1,
    )
