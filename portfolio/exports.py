"""The idea list's Excel export: exactly the filtered rows, one row per idea."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from io import BytesIO
from typing import IO, Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook
from openpyxl.utils import get_column_letter

from core.formatting import percent_value, user_display
from core.spreadsheets import (
    CHUNK_SIZE,
    DATE_FORMAT,
    MONEY_FORMAT,
    Column,
    local_date,
    row_cells,
    start_sheet,
    table_workbook,
)
from portfolio.models import Idea
from portfolio.selectors.outcomes import EventOutcome, Window


def _names(items: Iterable[Any]) -> str:
    return ", ".join(item.name for item in items)


IDEA_COLUMNS = (
    Column(gettext_lazy("Title"), 55, lambda idea: idea.title),
    Column(gettext_lazy("Stage"), 20, lambda idea: idea.get_stage_display()),
    Column(
        gettext_lazy("Owner"), 22, lambda idea: user_display(idea.owner) if idea.owner else None
    ),
    Column(gettext_lazy("Themes"), 30, lambda idea: _names(idea.themes.all())),
    Column(gettext_lazy("Regions"), 20, lambda idea: _names(idea.regions.all())),
    Column(
        gettext_lazy("Estimated budget (€)"),
        18,
        lambda idea: idea.estimated_budget,
        MONEY_FORMAT,
    ),
    Column(
        gettext_lazy("In this stage since"),
        14,
        lambda idea: local_date(idea.stage_entered_at),
        DATE_FORMAT,
    ),
    Column(gettext_lazy("Summary"), 60, lambda idea: idea.summary),
    Column(
        gettext_lazy("Origin event"),
        36,
        lambda idea: str(idea.origin_event) if idea.origin_event else None,
    ),
    Column(gettext_lazy("Created"), 14, lambda idea: local_date(idea.created_at), DATE_FORMAT),
)


def _rows(ideas: Iterable[Idea]) -> Iterable[Idea]:
    if isinstance(ideas, QuerySet):
        # Prefetches are made per chunk, so themes and regions cost two queries per chunk.
        return ideas.iterator(chunk_size=CHUNK_SIZE)
    return ideas


def write_ideas_workbook(ideas: Iterable[Idea], out: IO[bytes]) -> None:
    """Write the ideas as an .xlsx workbook to ``out``: a header row, then one row per idea.

    ``ideas`` should fetch the owner and origin event with the ideas and prefetch their
    themes and regions (``portfolio.selectors.ideas.idea_rows``).
    """
    workbook = Workbook(write_only=True)
    workbook.properties.title = _("Ideas")
    workbook.properties.creator = "Salkku"
    sheet = start_sheet(workbook, _("Ideas"), IDEA_COLUMNS)
    count = 0
    for idea in _rows(ideas):
        sheet.append(row_cells(sheet, IDEA_COLUMNS, idea))
        count += 1
    last_column = get_column_letter(len(IDEA_COLUMNS))
    sheet.auto_filter.ref = f"A1:{last_column}{count + 1}"
    workbook.save(out)


def ideas_workbook(ideas: Iterable[Idea]) -> bytes:
    """The ideas as the bytes of an .xlsx file."""
    buffer = BytesIO()
    write_ideas_workbook(ideas, buffer)
    return buffer.getvalue()


@dataclass(frozen=True)
class SheetColumn:
    header: str
    number_format: str | None = None


@dataclass(frozen=True)
class SheetTable:
    """A table for ``core.spreadsheets.table_workbook``: its columns and rows of values."""

    columns: list[SheetColumn]
    rows: list[list[Any]] = field(default_factory=list)


def event_outcomes_table(rows: Iterable[EventOutcome]) -> SheetTable:
    """The events' outcomes (``portfolio.selectors.outcomes.event_outcomes``), a row each."""
    return SheetTable(
        columns=[
            SheetColumn(_("Event")),
            SheetColumn(_("Date"), DATE_FORMAT),
            SheetColumn(_("Host region")),
            SheetColumn(_("Ideas born")),
            SheetColumn(_("Reached consortium")),
            SheetColumn(_("Applied (ideas)")),
            SheetColumn(_("€ requested"), MONEY_FORMAT),
            SheetColumn(_("Funded (ideas)")),
            SheetColumn(_("€ granted"), MONEY_FORMAT),
            SheetColumn(_("Conversion"), "0.0 %"),
        ],
        rows=[
            [
                row.title, row.date, row.event.host_region.name, row.born, row.consortium,
                row.applied, row.requested, row.funded, row.granted,
                percent_value(row.conversion),
            ]
            for row in rows
        ],
    )


def write_event_outcomes_workbook(
    rows: Iterable[EventOutcome], window: Window, out: IO[bytes]
) -> None:
    """The events' outcomes in ``window`` as an .xlsx workbook written to ``out``; the
    window is in the file's name (``event_outcomes_filename``)."""
    table_workbook(_("Outcomes per event"), event_outcomes_table(rows), out)


def event_outcomes_filename(window: Window) -> str:
    """The download's name states its window: event-outcomes-2022-01-01-2023-12-31.xlsx."""
    start = f"{window.start:%Y-%m-%d}-" if window.start else "to-"
    return f"event-outcomes-{start}{window.end:%Y-%m-%d}.xlsx"
