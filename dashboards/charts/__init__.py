"""The dashboards' figures: pure functions from a selector's rows to a
``plotly.graph_objects.Figure``, a one-line caption and the data table. No ORM here."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import plotly.graph_objects as go

from dashboards.exports import DATE_FORMAT, MONEY_FORMAT

# The layout every chart shares: the page's font, no Plotly logo, room for long labels.
BASE_LAYOUT: dict[str, Any] = {
    "font": {"family": "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif", "size": 13},
    "margin": {"l": 10, "r": 10, "t": 10, "b": 10, "pad": 4},
    "paper_bgcolor": "rgba(0,0,0,0)",
    "plot_bgcolor": "rgba(0,0,0,0)",
    "hoverlabel": {"namelength": -1},
    "separators": ", ",
}


def base_figure(**layout: Any) -> go.Figure:
    figure = go.Figure()
    figure.update_layout(**{**BASE_LAYOUT, **layout})
    figure.update_xaxes(automargin=True)
    figure.update_yaxes(automargin=True)
    return figure


def plain(text: str) -> str:
    """User text for a figure's labels: plotly reads a few HTML tags in labels (links among
    them), so a title or a note must not start a tag."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def say_empty(figure: go.Figure, text: str) -> None:
    """Write ``text`` across an empty figure, so it does not look broken."""
    figure.add_annotation(
        text=text, showarrow=False, x=0.5, y=0.5, xref="paper", yref="paper"
    )


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
