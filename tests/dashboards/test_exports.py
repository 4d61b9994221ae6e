"""The Excel export of the idea list: exactly the filtered rows, text never becomes a formula."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal
from io import BytesIO

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone
from openpyxl import Workbook, load_workbook

from core.spreadsheets import safe_cell
from portfolio.exports import IDEA_COLUMNS, ideas_workbook
from portfolio.models import Idea
from portfolio.selectors.ideas import idea_rows
from tests.factories import IdeaFactory, RoadshowEventFactory, ThemeFactory, UserFactory, region

pytestmark = pytest.mark.django_db

EXPORT = reverse("idea-export")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def read(content: bytes):
    return load_workbook(BytesIO(content)).active


def rows_of(response) -> list[tuple]:
    return list(read(b"".join(response.streaming_content)).iter_rows(values_only=True))


# safe_cell ------------------------------------------------------------------------------

DANGEROUS = [
    '=HYPERLINK("http://evil.example","click")',
    "=1+1",
    "+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(A1:A2)",
    "  =1+1",
    "\t=1+1",
    "\r=1+1",
    "#N/A",
    "#DIV/0!",
]


@pytest.mark.parametrize("text", DANGEROUS)
def test_text_that_looks_like_a_formula_comes_back_as_the_same_text(text):
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet()
    sheet.append([safe_cell(sheet, text)])
    buffer = BytesIO()
    workbook.save(buffer)

    cell = read(buffer.getvalue())["A1"]

    # XML reads every line end as "\n"; the text is otherwise exactly what was written.
    assert cell.value == text.replace("\r", "\n")
    assert cell.data_type == "s"


def test_characters_xml_cannot_hold_are_dropped_and_long_text_is_cut():
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet()
    sheet.append([safe_cell(sheet, "bell\x07 and\x00 null"), safe_cell(sheet, "x" * 40_000)])
    buffer = BytesIO()
    workbook.save(buffer)
    sheet = read(buffer.getvalue())
    assert sheet["A1"].value == "bell and null"
    assert len(sheet["B1"].value) == 32_767


def test_numbers_dates_and_empty_values_keep_their_type():
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet()
    sheet.append(
        [
            safe_cell(sheet, Decimal("1234.50"), number_format='#,##0.00 "€"'),
            safe_cell(sheet, date(2023, 12, 31), number_format="dd.mm.yyyy"),
            safe_cell(sheet, None, number_format="dd.mm.yyyy"),
        ]
    )
    buffer = BytesIO()
    workbook.save(buffer)
    sheet = read(buffer.getvalue())
    assert sheet["A1"].value == 1234.5
    assert sheet["A1"].data_type == "n"
    assert sheet["A1"].number_format == '#,##0.00 "€"'
    assert sheet["B1"].value == datetime(2023, 12, 31)
    assert sheet["B1"].is_date
    assert sheet["C1"].value is None


# The workbook -----------------------------------------------------------------------------


def test_workbook_has_a_header_and_one_typed_row_per_idea():
    owner = UserFactory(first_name="Olli", last_name="Omistaja", manager=True)
    event = RoadshowEventFactory(title="Oulu roadshow", date=date(2023, 3, 15))
    created = timezone.now() - timedelta(days=3)
    IdeaFactory(
        title='=HYPERLINK("x")',
        summary="@danger",
        owner=owner,
        origin_event=event,
        themes=[ThemeFactory(name_fi="Robotiikka", name_en="Robotics")],
        regions=[region("06"), region("17")],
        estimated_budget=Decimal("1234567.50"),
        at=created,
    )

    sheet = read(ideas_workbook(idea_rows()))
    rows = list(sheet.iter_rows(values_only=True))

    assert rows[0] == tuple(str(column.header) for column in IDEA_COLUMNS)
    assert rows[0][:7] == (
        "Title",
        "Stage",
        "Owner",
        "Themes",
        "Regions",
        "Estimated budget (€)",
        "In this stage since",
    )
    assert rows[1] == (
        '=HYPERLINK("x")',
        "Idea",
        "Olli Omistaja",
        "Robotics",
        "Pirkanmaa, North Ostrobothnia",
        1234567.5,
        datetime.combine(timezone.localdate(created), datetime.min.time()),
        "@danger",
        "Oulu roadshow (15.3.2023)",
        datetime.combine(timezone.localdate(created), datetime.min.time()),
    )
    assert sheet["A2"].data_type == "s"
    assert sheet["F2"].number_format == '#,##0.00 "€"'
    assert sheet["G2"].is_date
    assert sheet.freeze_panes == "A2"


def test_workbook_is_ready_to_filter_and_print():
    IdeaFactory.create_batch(3)

    workbook = load_workbook(BytesIO(ideas_workbook(idea_rows())))
    sheet = workbook.active

    assert workbook.properties.title == "Ideas"
    assert sheet.auto_filter.ref == "A1:J4"
    assert sheet["A1"].font.bold and sheet["A1"].fill.fgColor.rgb.endswith("1F4E79")
    assert sheet.column_dimensions["A"].width == IDEA_COLUMNS[0].width
    assert sheet.page_setup.orientation == "landscape"
    assert sheet.print_title_rows == "$1:$1"


def test_an_idea_without_owner_budget_or_event_leaves_cells_empty():
    IdeaFactory(owner=None, estimated_budget=None, summary="")
    row = list(read(ideas_workbook(idea_rows())).iter_rows(values_only=True))[1]
    assert row[2] is None  # owner
    assert row[5] is None  # budget
    assert row[7] is None  # summary
    assert row[8] is None  # origin event


# The export view ------------------------------------------------------------------------


def test_export_contains_exactly_the_filtered_rows_in_the_list_order(manager):
    theme = ThemeFactory()
    IdeaFactory(title="Beta", themes=[theme])
    IdeaFactory(title="Alpha", themes=[theme], in_consortium=True)
    IdeaFactory(title="Gamma", themes=[theme], dropped=True)
    IdeaFactory(title="Other theme")

    response = manager.get(
        EXPORT, {"theme": theme.pk, "stage": ["idea", "consortium"], "ordering": "title"}
    )

    assert response.status_code == 200
    assert response["Content-Type"] == XLSX
    today = timezone.localdate().isoformat()
    assert response["Content-Disposition"] == (
        f'attachment; filename="salkku-ideas-{today}-consortium+idea-{theme.slug}.xlsx"'
    )
    assert [row[0] for row in rows_of(response)[1:]] == ["Alpha", "Beta"]


def test_export_of_everything_has_every_idea(manager):
    for i in range(7):
        IdeaFactory(title=f"Idea {i}")
    assert len(rows_of(manager.get(EXPORT))) == 8


def test_funder_may_export_and_anonymous_goes_to_login(funder, anonymous):
    IdeaFactory(title="Visible")
    assert rows_of(funder.get(EXPORT))[1][0] == "Visible"
    response = anonymous.get(EXPORT)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_an_invalid_filter_exports_nothing_and_goes_back_to_the_list(manager):
    IdeaFactory()
    response = manager.get(EXPORT, {"theme": "abc", "q": "x"})
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('idea-list')}?theme=abc&q=x"
    assert [str(m) for m in get_messages(response.wsgi_request)]


def test_export_of_a_title_formula_is_text(manager):
    IdeaFactory(title='=HYPERLINK("x")')
    response = manager.get(EXPORT)
    sheet = read(b"".join(response.streaming_content))
    assert sheet["A2"].value == '=HYPERLINK("x")'
    assert sheet["A2"].data_type == "s"


def test_export_queries_do_not_grow_with_rows(manager, django_assert_max_num_queries):
    for count in (5, 30):
        theme = ThemeFactory()
        for _ in range(count):
            IdeaFactory(
                themes=[theme, ThemeFactory()],
                regions=[region("06"), region("13")],
                origin_event=RoadshowEventFactory(),
            )
        with django_assert_max_num_queries(8):
            response = manager.get(EXPORT, {"theme": theme.pk})
        assert len(rows_of(response)) == count + 1
    assert Idea.objects.count() == 35


# RowWriter ------------------------------------------------------------------------------


def test_row_writer_writes_what_row_cells_writes():
    """The fast row builder of the report's sheets: the same values, types and formats."""
    from core.spreadsheets import DATE_FORMAT, MONEY_FORMAT, Column, RowWriter, row_cells

    columns = [
        Column("text", 10, lambda item: item[0]),
        Column("money", 10, lambda item: item[1], MONEY_FORMAT),
        Column("day", 10, lambda item: item[2], DATE_FORMAT),
    ]
    items = [(text, Decimal("1234.50"), date(2023, 6, 30)) for text in [*DANGEROUS, "plain", "a\x00b"]]
    items.append((None, None, None))
    written = {}
    for name in ("slow", "fast"):
        workbook = Workbook(write_only=True)
        sheet = workbook.create_sheet()
        build = RowWriter(sheet, columns) if name == "fast" else (
            lambda item, sheet=sheet: row_cells(sheet, columns, item)
        )
        for item in items:
            sheet.append(build(item))
        buffer = BytesIO()
        workbook.save(buffer)
        written[name] = [
            [(cell.value, cell.data_type, cell.number_format) for cell in row]
            for row in read(buffer.getvalue()).iter_rows()
        ]
    assert written["fast"] == written["slow"]
    assert written["fast"][0][0][:2] == (DANGEROUS[0], "s")
    assert written["fast"][0][1][2] == MONEY_FORMAT
