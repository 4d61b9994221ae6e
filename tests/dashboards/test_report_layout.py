"""The quarterly report's print layout (dashboards/reports.py): column widths that fit their
text within limits, and what each printed page repeats."""

from __future__ import annotations

from datetime import date
from io import BytesIO

import pytest
from django.utils import translation
from django.utils.translation import gettext

from dashboards import reports
from dashboards.reports import ReportSpec, write_report
from portfolio.models import Region
from portfolio.services import idea_create
from tests.dashboards.report_data import at, build_world, open_workbook, values
from tests.factories import RoadshowEventFactory, ThemeFactory, UserFactory

pytestmark = pytest.mark.django_db

LONG_TITLE = "Joustava robotiikka piensarjatuotantoon teknologiateollisuuden pk-yrityksissä"
LONG_THEME = "Vastuullisesti uudistuva teollisuus ja hallittu kestävyyssiirtymä"


def generate(language: str = "fi") -> bytes:
    buffer = BytesIO()
    write_report(ReportSpec.for_quarter(2023, 2, language), buffer)
    return buffer.getvalue()


def widths(sheet) -> dict[str, float]:
    """Each column's width by its header."""
    headers = [sheet.cell(1, column) for column in range(1, sheet.max_column + 1)]
    return {cell.value: sheet.column_dimensions[cell.column_letter].width for cell in headers}


def fits(width: float, text: str) -> bool:
    """Wide enough for ``text`` in a proportional font, where most letters are narrower
    than the digit a column's width counts."""
    return width >= 0.85 * len(text) + 1


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


@pytest.mark.parametrize("language", ["fi", "en"])
def test_summary_labels_fit_in_both_languages(language):
    sheet = open_workbook(generate(language)).worksheets[0]
    with translation.override(language):
        leverage = gettext("Leverage: € granted to ideas from the events ÷ own funding")
    # The title, the period line and the leverage's definition run over the empty cells
    # beside them; the labels below them must fit their column.
    labels = [row[0] for row in values(sheet) if isinstance(row[0], str)][3:]
    assert leverage in labels
    width = sheet.column_dimensions["A"].width
    for label in labels:
        assert fits(width, label), label


@pytest.mark.parametrize("language", ["fi", "en"])
def test_ideas_and_events_columns_fit_their_text_within_limits(long_texts, language):
    workbook = open_workbook(generate(language))
    with translation.override(language):
        title, themes, regions, origin = (
            gettext("Title"), gettext("Themes"), gettext("Regions"), gettext("Origin event")
        )
    ideas = values(workbook.worksheets[3])
    row = dict(zip(ideas[0], ideas[1]))
    width = widths(workbook.worksheets[3])
    assert row[title] == LONG_TITLE and fits(width[title], LONG_TITLE)
    assert row[regions].count(",") == 3 and fits(width[regions], row[regions])
    assert fits(width[origin], row[origin])
    # Four long themes take near 280 letters: the list is cut, not the page's legibility.
    assert width[themes] == reports.THEMES_WIDTH
    assert sum(width.values()) < 400

    events = values(workbook.worksheets[2])
    row = dict(zip(events[0], events[1]))
    width = widths(workbook.worksheets[2])
    assert fits(width[title], row[title])
    assert fits(width[themes], row[themes])


def test_the_ideas_sheet_fits_its_first_ideas_and_writes_every_one(monkeypatch):
    owner = UserFactory(manager=True)
    for title in ("Short", LONG_TITLE):
        idea_create(title=title, by=owner, owner=owner, at=at(date(2023, 4, 2)))
    monkeypatch.setattr(reports, "SAMPLE_SIZE", 1)
    sheet = open_workbook(generate("en")).worksheets[3]
    assert [row[0] for row in values(sheet)[1:]] == ["Short", LONG_TITLE]
    # Only the first idea was measured.
    assert widths(sheet)["Title"] == max(reports.MIN_WIDTH, len("Title") + 2)


def test_the_summary_charts_are_not_repeated_with_the_header_rows_on_every_page():
    build_world()
    sheet = open_workbook(generate()).worksheets[0]
    last_title_row = int(sheet.print_title_rows.split(":")[-1].strip("$"))
    assert last_title_row == 5  # the figures' header rows head every printed page
    assert len(sheet._charts) == 2
    for chart in sheet._charts:
        first_row = chart.anchor._from.row + 1  # 0-based in the drawing
        # One empty row between: LibreOffice repeats a chart whose border touches them.
        assert first_row > last_title_row + 1
