"""What every Plotly figure of the site shares: the layout, safe labels, an empty figure
that says so, and its JSON made safe for the page's data block."""

from __future__ import annotations

from typing import Any

import plotly.graph_objects as go
from django.utils.safestring import SafeString, mark_safe

# The layout every chart shares: the page's font and room for long labels. The toolbar
# (no logo, nothing that links out) is set where the charts are drawn (static/js/dashboard.js).
BASE_LAYOUT: dict[str, Any] = {
    "font": {"family": "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif", "size": 13},
    "margin": {"l": 10, "r": 10, "t": 10, "b": 10, "pad": 4},
    "paper_bgcolor": "rgba(0,0,0,0)",
    "plot_bgcolor": "rgba(0,0,0,0)",
    "hoverlabel": {"namelength": -1},
    # No "separators": the page's plotly locale (static/js/plotly-locales.js) gives the
    # decimal and thousands separators of the UI language, 1 234,5 in Finnish, 1,234.5 in
    # English.
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


def script_safe(text: str) -> SafeString:
    """Figure JSON made safe for a ``<script type="application/json">`` block, escaped as
    Django's json_script does."""
    return mark_safe(text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026"))
