"""The dashboards' figures: pure functions from a selector's rows to a
``plotly.graph_objects.Figure``, a one-line caption and the data table. No ORM here."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from core.spreadsheets import DATE_FORMAT, MONEY_FORMAT


@dataclass(frozen=True)
class Column:
    header: str
    number_format: str | None = None  # an Excel format: MONEY_FORMAT, DATE_FORMAT, "0.0 %"…


@dataclass(frozen=True)
class Table:
    """A chart's numbers as a table: shown under the chart and downloaded as xlsx."""

    columns: list[Column]
    rows: list[list[Any]] = field(default_factory=list)


MONEY = MONEY_FORMAT
DATE = DATE_FORMAT
PERCENT = "0.0 %"
# A multiple, written "123,9 ×" on the page and in the workbook.
RATIO = '0.0 "×"'
