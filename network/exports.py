"""A theme's page as an .xlsx workbook, for a theme group to send onward: summary figures,
the ideas, the regions active and absent, the platforms and the development needs."""

from __future__ import annotations

from collections.abc import Iterable
from typing import IO, Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext, pgettext_lazy
from openpyxl import Workbook
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from core.formatting import user_display
from core.spreadsheets import (
    DATE_FORMAT,
    MONEY_FORMAT,
    Column,
    local_date,
    row_cells,
    safe_cell,
    start_sheet,
)
from network.selectors import ThemePage

# Excel's limit on a sheet name.
SHEET_NAME_MAX = 31


def _names(items: Iterable[Any]) -> str:
    return ", ".join(item.name for item in items)


SUMMARY_COLUMNS = (
    Column(gettext_lazy("Figure"), 44, lambda row: row[0]),
    Column(gettext_lazy("Value"), 60, lambda row: row[1]),
)

IDEA_COLUMNS = (
    Column(gettext_lazy("Title"), 55, lambda idea: idea.title),
    Column(gettext_lazy("Stage"), 20, lambda idea: idea.get_stage_display()),
    Column(gettext_lazy("Regions"), 30, lambda idea: _names(idea.regions.all())),
    Column(
        gettext_lazy("Owner"), 22, lambda idea: user_display(idea.owner) if idea.owner else None
    ),
    Column(
        gettext_lazy("Estimated budget (€)"), 18, lambda idea: idea.estimated_budget, MONEY_FORMAT
    ),
    Column(
        gettext_lazy("In this stage since"),
        14,
        lambda idea: local_date(idea.stage_entered_at),
        DATE_FORMAT,
    ),
)

REGION_COLUMNS = (
    Column(gettext_lazy("Region"), 24, lambda row: row[0].name),
    Column(gettext_lazy("Code"), 8, lambda row: row[0].code),
    Column(gettext_lazy("In the theme"), 16, lambda row: row[1]),
    Column(gettext_lazy("Ideas (not dropped)"), 20, lambda row: row[2]),
)

PLATFORM_COLUMNS = (
    Column(gettext_lazy("Name"), 40, lambda platform: platform.name),
    Column(gettext_lazy("Kind"), 18, lambda platform: platform.get_kind_display()),
    Column(pgettext_lazy("platform", "Host organisation"), 36, lambda platform: platform.host_organisation.name),
    Column(gettext_lazy("Region"), 20, lambda platform: platform.region.name),
    Column(
        gettext_lazy("Available"),
        12,
        lambda platform: _("Yes") if platform.is_active else _("No"),
    ),
    Column(gettext_lazy("Ideas planning to use it"), 14, lambda platform: platform.idea_count),
    Column(gettext_lazy("Access terms"), 50, lambda platform: platform.access_terms),
    Column(gettext_lazy("Link"), 36, lambda platform: platform.link),
)

NEED_COLUMNS = (
    Column(gettext_lazy("Need"), 70, lambda need: need.need),
    Column(gettext_lazy("Status"), 16, lambda need: need.get_status_display()),
    Column(gettext_lazy("Addressed to"), 30, lambda need: need.addressed_to_label),
    Column(
        gettext_lazy("Raised at"), 36, lambda need: str(need.raised_at) if need.raised_at else None
    ),
    Column(gettext_lazy("Recorded"), 14, lambda need: local_date(need.created_at), DATE_FORMAT),
)


def _sheet(workbook: Workbook, title: str, columns: tuple[Column, ...]) -> WriteOnlyWorksheet:
    return start_sheet(workbook, title[:SHEET_NAME_MAX], columns)


def _table(
    workbook: Workbook, title: str, columns: tuple[Column, ...], rows: Iterable[Any]
) -> WriteOnlyWorksheet:
    sheet = _sheet(workbook, title, columns)
    count = 0
    for row in rows:
        sheet.append(row_cells(sheet, columns, row))
        count += 1
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{count + 1}"
    return sheet


def _summary_rows(page: ThemePage) -> list[tuple[str, Any, str | None]]:
    theme = page.theme
    rows: list[tuple[str, Any, str | None]] = [
        (_("Theme"), theme.name, None),
        (_("Source strategy"), theme.source or "—", None),
        (_("Part of"), theme.parent.name if theme.parent else "—", None),
        (_("Description"), theme.description or "—", None),
        (_("Ideas"), page.idea_count, None),
    ]
    rows += [(str(row.stage.label), row.count, None) for row in page.stages]
    rows += [
        (_("€ applied (submitted applications)"), page.applied, MONEY_FORMAT),
        (_("€ granted (approved applications)"), page.granted, MONEY_FORMAT),
        (_("Regions with ideas"), len(page.active_regions), None),
        (_("Regions without ideas (the gap)"), len(page.absent_regions), None),
        (_("Platforms"), len(page.platforms), None),
        (_("Development needs"), len(page.needs), None),
    ]
    return rows


def write_theme_workbook(page: ThemePage, out: IO[bytes]) -> None:
    """Write the theme's page to ``out`` as an .xlsx workbook of five sheets.

    ``page`` should hold every idea (``selectors.theme_page`` without a limit).
    """
    workbook = Workbook(write_only=True)
    workbook.properties.title = page.theme.name
    workbook.properties.creator = "Salkku"

    summary = _sheet(workbook, pgettext("sheet", "Summary"), SUMMARY_COLUMNS)
    for label, value, number_format in _summary_rows(page):
        # Money and counts share the value column, so each row carries its own format.
        summary.append(
            [safe_cell(summary, label), safe_cell(summary, value, number_format=number_format)]
        )

    _table(workbook, _("Ideas"), IDEA_COLUMNS, page.ideas)
    regions = [(row.region, _("With ideas"), row.ideas) for row in page.active_regions]
    regions += [(region, _("Absent (the gap)"), 0) for region in page.absent_regions]
    _table(workbook, _("Regions"), REGION_COLUMNS, sorted(regions, key=lambda r: r[0].code))
    _table(workbook, _("Platforms"), PLATFORM_COLUMNS, page.platforms)
    _table(workbook, _("Development needs"), NEED_COLUMNS, page.needs)
    workbook.save(out)
