"""The PDF board pack (dashboards/report_pdf.py): the workbook's Summary figures on paper,
A4 with embedded fonts, the same bytes for the same data, Finnish formats in Finnish, and a
server without Pango making the workbook alone."""

from __future__ import annotations

import hashlib
import re
from datetime import date
from decimal import Decimal
from io import BytesIO, StringIO
from types import SimpleNamespace

import pytest
from django.core.management import CommandError, call_command
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from pypdf import PdfReader
from pypdf.generic import IndirectObject

from dashboards import report_pdf
from dashboards.comparison import MONEY, value_text
from dashboards.filters import Period
from dashboards.models import Indicator, Narrative, ReportRun, Target
from dashboards.reports import ReportSpec, report_data
from dashboards.selectors.report import Figures
from dashboards.services import report_generate
from tests.dashboards.report_data import blocks, build_world, open_workbook
from tests.factories import ReportRunFactory

pytestmark = pytest.mark.django_db

Q2 = ReportSpec.for_quarter(2023, 2, "fi")
MISSING = "cannot load library 'libpango-1.0-0': libpango-1.0-0: cannot open shared object file"


@pytest.fixture
def world(settings):
    settings.NETWORK_OWN_FUNDING = Decimal(260000)
    settings.NETWORK_START_DATE = date(2022, 1, 1)
    return build_world()


@pytest.fixture
def no_pango(monkeypatch):
    def missing():
        raise OSError(MISSING)

    monkeypatch.setattr(report_pdf, "_import_weasyprint", missing)


def make(spec: ReportSpec = Q2) -> bytes:
    return report_pdf.write_pdf(spec, report_data(spec))


def text_of(pdf: bytes) -> str:
    """Every page's text, its spaces (no-break ones too) and line ends as single spaces."""
    pages = PdfReader(BytesIO(pdf)).pages
    text = " ".join(page.extract_text() for page in pages)
    return re.sub(r"\s+", " ", text.replace("\xa0", " ").replace("\u202f", " "))


def _shown(value, kind: str) -> str:
    if kind == MONEY:
        value = Decimal(str(value)).quantize(Decimal(1))
    return value_text(value, kind).replace("\xa0", " ").replace("\u202f", " ")


def workbook_key_figures(content: bytes) -> list[tuple[str, list]]:
    """The Summary sheet's figure rows: (label, the values of every column), a change as
    its size (the PDF shows its sign as ▲ or ▼)."""
    parts = blocks(open_workbook(content).worksheets[0])
    figure_rows = next(part for part in parts if len(part) == 2 + 15)[2:]
    return [
        (row[0], [abs(v) if index in (3, 5) else v
                  for index, v in enumerate(row) if index and v is not None])
        for row in figure_rows
    ]


@pytest.mark.parametrize("language", ["fi", "en"])
def test_the_pdf_shows_the_workbooks_summary_figures(world, language):
    run = report_generate(period=Q2.period, language=language, by=None)
    text = text_of(bytes(run.pdf))
    with translation.override(language):
        kinds = {str(label): kind for label, _n, kind in report_pdf.key_figure_lines()}
    rows = workbook_key_figures(bytes(run.content))
    assert len(rows) == len(report_pdf.key_figure_lines()) == 15
    for index, (label, values) in enumerate(rows):
        # The row's stretch of text: from its label to the next figure's label.
        start = text.index(label) + len(label)
        end = text.index(rows[index + 1][0], start) if index + 1 < len(rows) else len(text)
        stretch = text[start:end]
        with translation.override(language):
            shown = [_shown(value, kinds[label]) for value in values]
        position = 0
        for value in shown:  # in the workbook's column order
            found = stretch.find(f" {value}", position)
            assert found >= 0, (label, value, stretch)
            position = found + len(value)


def test_the_key_figures_are_the_story_counted_by_hand(world):
    text = text_of(make())
    # Q2/2023 of report_data: 2 applications for 20 000 € + 50 000 €; 80 000 € granted from
    # E3's idea ÷ 260 000 € own funding = 0,307… → 0,3 ×.
    assert "Haettu € jätetyissä hakemuksissa 70 000 € " in text
    assert "Myönnetty € myönteisissä päätöksissä 80 000 € " in text
    assert "Jätettyjä hakemuksia 2 " in text
    assert "oma rahoitus 0,3 × " in text
    # The Summary's tables follow: by instrument, and the stages at the period's end.
    # The period, the previous period, a year earlier, the year to date, since the start.
    assert re.search(
        r"Tutkimus, kehitys ja pilotointi 50 000 € (\d[\d ]* € ){2}50 000 € 120 000 €", text
    )
    assert "Kaikki ideat kauden lopussa 4" in text


def test_finnish_formats_in_finnish_and_english_in_english(world):
    finnish = text_of(make())
    assert "1.4.2023–30.6.2023" in finnish and "170 000 €" in finnish
    assert "0,3 ×" in finnish
    english = text_of(make(ReportSpec.for_quarter(2023, 2, "en")))
    assert "€ requested in the submitted applications 70,000 €" in english
    assert "0.3 ×" in english
    assert "Page 1 of " in english


def test_a4_pages_within_bounds_with_page_numbers_and_metadata(world):
    reader = PdfReader(BytesIO(make(ReportSpec.for_quarter(2023, 2, "en"))))
    assert 3 <= len(reader.pages) <= 12
    for number, page in enumerate(reader.pages, start=1):
        width, height = float(page.mediabox.width), float(page.mediabox.height)
        # A4: the board summary's pages landscape, the charts and tables upright.
        assert sorted((round(width / 72 * 25.4), round(height / 72 * 25.4))) == [210, 297]
        assert f"Page {number} of {len(reader.pages)}" in page.extract_text()
    assert reader.metadata.title == "SIXNET quarterly report Q2/2023"
    assert reader.trailer["/Root"]["/Lang"] == "en"


def _fonts(node, seen: set, found: list) -> None:
    """Every font dictionary reachable from ``node``: pages, forms (the SVG charts) and
    composite fonts' descendants."""
    if isinstance(node, IndirectObject):
        if node.idnum in seen:
            return
        seen.add(node.idnum)
        node = node.get_object()
    if isinstance(node, dict):
        if node.get("/Type") == "/Font":
            found.append(node)
        for key, value in node.items():
            if key not in ("/Parent", "/P"):
                _fonts(value, seen, found)
    elif isinstance(node, list):
        for value in node:
            _fonts(value, seen, found)


def test_every_font_is_embedded(world):
    reader = PdfReader(BytesIO(make()))
    found: list = []
    for page in reader.pages:
        _fonts(page["/Resources"], set(), found)
    descriptors = [f["/FontDescriptor"] for f in found if "/FontDescriptor" in f]
    assert descriptors  # text is set in fonts the file carries
    for descriptor in descriptors:
        assert {"/FontFile", "/FontFile2", "/FontFile3"} & set(descriptor.keys()), descriptor
    names = {str(d["/FontName"]) for d in descriptors}
    assert any(name.endswith("+DejaVu-Sans") for name in names), names


def _structure(node, seen: set, found: list) -> None:
    """Every structure element under ``node``, as (type, alternative text)."""
    if isinstance(node, IndirectObject):
        if node.idnum in seen:
            return
        seen.add(node.idnum)
        node = node.get_object()
    if isinstance(node, dict):
        if "/S" in node:
            found.append((str(node["/S"]), node.get("/Alt")))
        _structure(node.get("/K"), seen, found)
    elif isinstance(node, list):
        for value in node:
            _structure(value, seen, found)


def test_the_pdf_is_tagged_for_screen_readers(world):
    """Headings, tables with header cells, and each chart with its title as its text."""
    root = PdfReader(BytesIO(make())).trailer["/Root"]
    assert root["/MarkInfo"]["/Marked"]
    assert root["/Lang"] == "fi"
    found: list = []
    _structure(root["/StructTreeRoot"], set(), found)
    kinds = [kind for kind, _alt in found]
    assert kinds.count("/H1") == 1 and "/H2" in kinds
    assert {"/Table", "/TH", "/TD"} <= set(kinds)
    figures = [alt for kind, alt in found if kind == "/Figure"]
    assert figures and all(figures), figures


def test_the_same_data_gives_the_same_bytes(world):
    first, second = make(), make()
    assert hashlib.sha256(first).hexdigest() == hashlib.sha256(second).hexdigest()
    assert text_of(first) == text_of(second)


def test_the_narrative_is_on_the_first_page(world):
    spec = ReportSpec.for_quarter(
        2023, 2, "en", Narrative(highlights="Two consortia formed.", risks="", plans="Q3 tour.")
    )
    first_page = PdfReader(BytesIO(make(spec))).pages[0].extract_text()
    assert "Highlights" in first_page and "Two consortia formed." in first_page
    assert "Plans for the next quarter" in first_page and "Q3 tour." in first_page
    assert "Risks" not in first_page  # an empty part is left out


def test_targets_are_shown_only_when_there_are_any(world):
    spec = ReportSpec.for_quarter(2023, 2, "en")
    with translation.override("en"):
        html = render_to_string("dashboards/report_pdf.html",
                                report_pdf.pdf_context(spec, report_data(spec)))
        assert "Targets against the plan" not in html
        Target.objects.create(
            indicator=Indicator.NEW_IDEAS, target_value=Decimal(8), start_date=date(2022, 1, 1),
            target_date=date(2023, 12, 31),
        )
        data = report_data(spec)
        html = render_to_string("dashboards/report_pdf.html", report_pdf.pdf_context(spec, data))
    assert "Targets against the plan" in html
    (row,) = data.targets
    # The story's ideas created from 1.1.2022 to 30.6.2023: 4 of 8 is 50,0 %.
    assert row.actual == 4
    assert re.search(r"New ideas</th><td[^>]*>8</td><td[^>]*>31.12.2023</td>"
                     r"<td[^>]*>4</td><td[^>]*>50.0\xa0%</td>", html)


def test_the_run_keeps_its_pdf_with_its_sha256(world):
    run = report_generate(period=Q2.period, language="fi", by=None)
    pdf = bytes(ReportRun.objects.get(pk=run.pk).pdf)
    assert pdf.startswith(b"%PDF-")
    assert run.pdf_sha256 == hashlib.sha256(pdf).hexdigest() and run.pdf_size == len(pdf)
    assert run.pdf_filename == "salkku-report-2023-Q2-fi.pdf"


def test_download_the_pdf(funder):
    run = ReportRunFactory(with_pdf=True)
    response = funder.get(reverse("report-pdf-download", args=[run.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Cache-Control"] == "private"
    assert "salkku-report-2023-Q2-fi.pdf" in response["Content-Disposition"]
    assert response.content == b"%PDF-1.7 stand-in"
    listed = funder.get(reverse("report-list")).content.decode()
    assert reverse("report-pdf-download", args=[run.pk]) in listed


def test_a_run_without_a_pdf_has_no_pdf_link(funder):
    run = ReportRunFactory()
    assert funder.get(reverse("report-pdf-download", args=[run.pk])).status_code == 404
    listed = funder.get(reverse("report-list")).content.decode()
    assert reverse("report-pdf-download", args=[run.pk]) not in listed


def test_without_pango_the_page_says_so_and_the_workbook_is_stored(world, manager, no_pango):
    manager.cookies["django_language"] = "en"
    response = manager.post(
        reverse("report-list"), {"year": "2023", "quarter": "2", "language": "en"}, follow=True
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "The PDF could not be made: the server lacks libpango-1.0-0" in body
    assert "libpangoft2-1.0-0" in body  # what to install
    run = ReportRun.objects.get()
    assert run.size > 0 and run.sha256 == hashlib.sha256(bytes(run.content)).hexdigest()
    assert run.pdf is None and run.pdf_sha256 == "" and run.pdf_size is None
    assert reverse("report-pdf-download", args=[run.pk]) not in body


def test_the_command_writes_the_pdf(world, tmp_path):
    printed = StringIO()
    call_command("quarterly_report", "--year", "2023", "--quarter", "2", "--output",
                 str(tmp_path / "r.xlsx"), "--pdf", str(tmp_path / "r.pdf"), stdout=printed)
    run = ReportRun.objects.get()
    assert (tmp_path / "r.pdf").read_bytes() == bytes(run.pdf)
    assert f"PDF SHA-256 {run.pdf_sha256}" in printed.getvalue()


def test_the_command_says_when_no_pdf_could_be_made(world, tmp_path, no_pango):
    with pytest.raises(CommandError, match="libpango-1.0-0"):
        call_command("quarterly_report", "--year", "2023", "--quarter", "2", "--lang", "en",
                     "--output", str(tmp_path / "r.xlsx"), "--pdf", str(tmp_path / "r.pdf"))
    assert (tmp_path / "r.xlsx").stat().st_size > 0  # the workbook was delivered
    assert not (tmp_path / "r.pdf").exists()
    assert ReportRun.objects.get().pdf is None


def test_each_compared_period_is_followed_by_the_change_to_the_period():
    # A Summary of five columns, as the report's comparison gives them.
    periods = {
        name: Period(date(2023, 4, 1), date(2023, 6, 30))
        for name in ("period", "previous", "year_earlier", "year_to_date", "since_start")
    }
    columns = SimpleNamespace(**periods, all=tuple(periods.values()))
    figures = [Figures(new_ideas=n, requested=Decimal(r)) for n, r in
               ((5, "70000"), (3, "90000"), (7, "70000"), (12, "170000"), (40, "240000"))]
    data = SimpleNamespace(summary=SimpleNamespace(columns=columns, figures=figures))
    with translation.override("en"):
        table = report_pdf.key_figures(data)
    assert [h.split("\n")[0] for h in table.headers] == [
        "Figure", "Period", "Previous period", "Change", "Same period a year earlier", "Change",
        "Year to date", "Since the network started",
    ]
    rows = {row.label: [(cell.text, cell.change) for cell in row.cells] for row in table.rows}
    # 5 new ideas against 3 before (▲ 2) and 7 a year earlier (▼ 2).
    assert rows["New ideas"] == [
        ("5", ""), ("3", ""), ("▲\xa02", "up"), ("7", ""), ("▼\xa02", "down"),
        ("12", ""), ("40", ""),
    ]
    # 70 000 € against 90 000 € (▼ 20 000 €) and the same a year earlier (= 0 €).
    assert rows["€ requested in the submitted applications"][2] == ("▼\xa020,000\xa0€", "down")
    assert rows["€ requested in the submitted applications"][4] == ("=\xa00\xa0€", "same")
