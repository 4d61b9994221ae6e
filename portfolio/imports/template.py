"""The workbook to fill in: an Ideas and an Organisations sheet with their columns and an
example row each, and a Notes sheet that explains every column and lists the values the
columns accept (stages, themes, regions, organisation kinds, owners), in the user's language."""

from __future__ import annotations

import math
from datetime import date
from decimal import Decimal
from typing import IO, Any

from django.contrib.auth.models import AbstractBaseUser
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from accounts.permissions import project_managers
from core.spreadsheets import DATE_FORMAT, MONEY_FORMAT, Column, safe_cell, start_sheet
from portfolio.imports.columns import (
    EXAMPLE_ORGANISATION,
    EXAMPLE_TITLE,
    IDEA_COLUMNS,
    IDEAS,
    LIST_SEPARATOR,
    NOTES,
    ORGANISATION_COLUMNS,
    ORGANISATIONS,
    SHEET_TITLES,
    ImportColumn,
)
from portfolio.models import ConsortiumMember, OrganisationKind, OrganisationSize, Region, Theme
from portfolio.stages import Stage

# A fictional organisation with a valid Y-tunnus, so the example rows show every column
# filled in correctly (the import itself refuses them as examples).
EXAMPLE_BUSINESS_ID = "1234567-1"
FORMATS = {"estimated_budget": MONEY_FORMAT, "created": DATE_FORMAT, "stage_since": DATE_FORMAT}
# Rows offered a drop-down list of allowed values (Excel's validation covers a range).
VALIDATED_ROWS = 2000
TITLE_FONT = Font(bold=True, size=14)
SECTION_FONT = Font(bold=True, size=12)
WRAP = Alignment(wrap_text=True, vertical="top")
NOTES_WIDTHS = (26, 30, 14, 90)
LINE_HEIGHT = 15  # points


def _sheet(workbook: Workbook, key: str, columns: tuple[ImportColumn, ...]) -> Worksheet:
    sheet = start_sheet(
        workbook,
        str(SHEET_TITLES[key]),
        [Column(column.title(), column.width, lambda _item: None) for column in columns],
    )
    sheet.print_title_cols = None
    # A template is printed to read its columns: all of them on the page's width.
    _fit_to_width(sheet)
    return sheet


def _fit_to_width(sheet: Worksheet) -> None:
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True


def _example_row(sheet: Worksheet, columns: tuple[ImportColumn, ...], example: dict[str, Any]):
    sheet.append(
        [
            safe_cell(sheet, example.get(column.key), number_format=FORMATS.get(column.key))
            for column in columns
        ]
    )


def _drop_down(sheet: Worksheet, columns: tuple[ImportColumn, ...], key: str, choices) -> None:
    """A list of the allowed labels on the column; typing the stored value is also fine,
    so Excel only offers the list and refuses nothing."""
    labels = [str(label) for _value, label in choices.choices]
    formula = '"' + ",".join(labels) + '"'
    if any("," in label or '"' in label for label in labels) or len(formula) > 255:
        return  # Excel cannot hold such a list inline; the Notes sheet lists the values.
    letter = sheet.cell(row=1, column=[c.key for c in columns].index(key) + 1).column_letter
    validation = DataValidation(type="list", formula1=formula, allow_blank=True)
    validation.showErrorMessage = False
    validation.add(f"{letter}2:{letter}{VALIDATED_ROWS}")
    sheet.add_data_validation(validation)


def _theme_example() -> str:
    theme = Theme.objects.filter(is_active=True).order_by("name_fi").first()
    return theme.name if theme else ""


def _notes(workbook: Workbook, owners: list[AbstractBaseUser]) -> None:
    sheet = workbook.create_sheet(str(SHEET_TITLES[NOTES]))
    for letter, width in zip("ABCD", NOTES_WIDTHS, strict=True):
        sheet.column_dimensions[letter].width = width
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = Worksheet.PAPERSIZE_A4
    _fit_to_width(sheet)

    def line(*cells: Any, font: Font | None = None, wrap: bool = False) -> None:
        row = [safe_cell(sheet, value) for value in cells]
        for cell in row:
            if font:
                cell.font = font
            if wrap:
                cell.alignment = WRAP
        sheet.append(row)
        if wrap:
            # Not every spreadsheet program grows a row to fit wrapped text: the height is
            # set from the longest cell, at about one character per unit of column width.
            lines = max(
                math.ceil(len(str(value or "")) / width)
                for value, width in zip(cells, NOTES_WIDTHS, strict=False)
            )
            sheet.row_dimensions[sheet.max_row].height = LINE_HEIGHT * max(lines, 1)

    line(_("How to fill in the import workbook"), font=TITLE_FONT)
    for text in (
        _("Write one idea per row on the “%(ideas)s” sheet and the organisations they name on "
          "the “%(organisations)s” sheet. Replace or delete the example rows.")
        % {"ideas": SHEET_TITLES[IDEAS], "organisations": SHEET_TITLES[ORGANISATIONS]},
        _("Columns marked with * are required. Type values, not formulas: a formula is "
          "reported as a problem, never computed."),
        _("Amounts: a number cell, or text such as 12 500,00 € or 12500,5. Dates: a date cell, "
          "or text such as 31.12.2023 or 2023-12-31."),
        _("Upload the workbook in Salkku (Ideas → Import from Excel). The preview lists every "
          "problem by sheet, row and column; nothing is saved until you confirm, and then "
          "every row is saved or none."),
    ):
        line(text)
    line()
    line(_("Sheet"), _("Column"), _("Required"), _("What to write"), font=SECTION_FONT)
    for key, columns in ((IDEAS, IDEA_COLUMNS), (ORGANISATIONS, ORGANISATION_COLUMNS)):
        for column in columns:
            line(
                str(SHEET_TITLES[key]),
                str(column.header),
                _("yes") if column.required else "",
                str(column.explanation),
                wrap=True,
            )

    def section(title: str, header: tuple[str, ...], rows) -> None:
        line()
        line(title, font=SECTION_FONT)
        line(*header, font=Font(bold=True))
        for row in rows:
            line(*row)

    section(
        _("Stages (column “%(column)s”)") % {"column": _("Stage")},
        (_("Write"), _("or")),
        [(str(label), value) for value, label in Stage.choices],
    )
    section(
        _("Lead status (column “%(column)s”)") % {"column": _("Lead status")},
        (_("Write"), _("or")),
        [(str(label), value) for value, label in ConsortiumMember.Status.choices],
    )
    section(
        _("Organisation kinds (column “%(column)s”)") % {"column": _("Kind")},
        (_("Write"), _("or")),
        [(str(label), value) for value, label in OrganisationKind.choices],
    )
    section(
        _("Size classes (column “%(column)s”)") % {"column": _("Size class")},
        (_("Write"), _("or")),
        [(str(label), value) for value, label in OrganisationSize.choices],
    )
    section(
        _("Themes (column “%(column)s”): a name in Finnish, Swedish or English, or the code")
        % {"column": _("Themes")},
        (_("Finnish"), _("Swedish"), _("English"), _("Code")),
        Theme.objects.filter(is_active=True).order_by("name_fi").values_list(
            "name_fi", "name_sv", "name_en", "slug"
        ),
    )
    section(
        _("Regions (columns “%(ideas)s” and “%(organisations)s”): the code or a name")
        % {"ideas": _("Regions"), "organisations": _("Region")},
        (_("Code"), _("Finnish"), _("Swedish"), _("English")),
        Region.objects.order_by("code").values_list("code", "name_fi", "name_sv", "name_en"),
    )
    section(
        _("Owners (column “%(column)s”): project managers by user name, email or name")
        % {"column": _("Owner")},
        (_("User name"), _("Name"), _("Email")),
        [(user.get_username(), user.get_full_name(), user.email) for user in owners],
    )
    line()
    line(_("Several themes, regions or partners go in one cell separated by “%(sep)s”.")
         % {"sep": LIST_SEPARATOR})


def write_template(out: IO[bytes], *, user: AbstractBaseUser) -> None:
    """The import workbook in the active language, with ``user`` as the example's owner."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    workbook.properties.title = _("Salkku import of ideas and organisations")
    workbook.properties.creator = "Salkku"
    example_organisation = str(EXAMPLE_ORGANISATION)

    ideas = _sheet(workbook, IDEAS, IDEA_COLUMNS)
    _example_row(ideas, IDEA_COLUMNS, {
        "title": str(EXAMPLE_TITLE),
        "summary": _("Three subcontractors test a shared digital twin of their production line."),
        "stage": str(Stage.CONSORTIUM.label),
        "owner": user.get_username(),
        "themes": _theme_example(),
        "regions": LIST_SEPARATOR.join(
            region.name for region in Region.objects.filter(code__in=("06", "14"))
        ),
        "estimated_budget": Decimal("150000.00"),
        "created": date(2023, 3, 15),
        "stage_since": date(2023, 4, 20),
        "lead_organisation": example_organisation,
        "lead_status": str(ConsortiumMember.Status.INTERESTED.label),
    })
    _drop_down(ideas, IDEA_COLUMNS, "stage", Stage)
    _drop_down(ideas, IDEA_COLUMNS, "lead_status", ConsortiumMember.Status)

    organisations = _sheet(workbook, ORGANISATIONS, ORGANISATION_COLUMNS)
    home_region = Region.objects.filter(code="06").first()
    _example_row(organisations, ORGANISATION_COLUMNS, {
        "name": example_organisation,
        "business_id": EXAMPLE_BUSINESS_ID,
        "kind": str(OrganisationKind.COMPANY.label),
        "size": str(OrganisationSize.SMALL.label),
        "region": home_region.name if home_region else "",
        "municipality": "Tampere",
        "website": "https://example.fi",
    })
    _drop_down(organisations, ORGANISATION_COLUMNS, "kind", OrganisationKind)
    _drop_down(organisations, ORGANISATION_COLUMNS, "size", OrganisationSize)

    _notes(workbook, list(project_managers().order_by("username")))
    workbook.active = 0
    workbook.save(out)
