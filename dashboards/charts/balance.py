"""The portfolio balance heatmap: themes down, regions across, gaps marked."""

from __future__ import annotations

import plotly.graph_objects as go
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from core.figures import base_figure
from core.formatting import euros_text, whole_text
from dashboards.charts import MONEY, SIGNED, Column, Table
from dashboards.selectors.balance import CHANGE, Balance

METRIC_LABELS = {
    "ideas": lambda: _("Ideas"),
    "requested": lambda: _("€ requested"),
    "granted": lambda: _("€ granted"),
    CHANGE: lambda: _("Change in ideas"),
}


def _signed(value: int) -> str:
    text = number_format(abs(value), force_grouping=True)
    return f"+{text}" if value > 0 else f"−{text}" if value < 0 else "0"


def _needs_period() -> str:
    return _(
        "The change compares the ideas created in the period with the previous period's: "
        "choose a year, a quarter or a from–to period to see it."
    )


def _shown(value, metric: str) -> str:
    if metric == "ideas":
        return number_format(value, force_grouping=True)
    return euros_text(value)


def change_figure(rows: Balance) -> go.Figure:
    """Per theme × region, ideas created in the period less those of the previous period:
    a diverging scale centred on no change, blue for more and red for fewer."""
    figure = base_figure(
        height=max(320, 28 * len(rows.themes) + 140),
        xaxis={"side": "top", "tickangle": -45},
        yaxis={"autorange": "reversed"},
        plot_bgcolor="#f3f4f6",
    )
    if rows.previous is None:
        figure.add_annotation(
            text=_("Choose a period to see the change."), showarrow=False, x=0.5, y=0.5,
            xref="paper", yref="paper",
        )
        figure.update_xaxes(visible=False)
        figure.update_yaxes(visible=False)
        return figure
    themes = [f"{theme.name} ({_signed(rows.change(theme, None))})" for theme in rows.themes]
    regions = [f"{region.name} ({_signed(rows.change(None, region))})" for region in rows.regions]
    z, text = [], []
    for theme in rows.themes:
        values = []
        for region in rows.regions:
            key = (theme.pk, region.pk)
            # No ideas in either period is a gap, as on the other metrics.
            empty = key not in rows.cells and key not in rows.previous.cells
            values.append(None if empty else rows.change(theme, region))
        z.append([None if v is None else float(v) for v in values])
        text.append(["" if v is None else _signed(v) for v in values])
    figure.add_trace(
        go.Heatmap(
            x=regions,
            y=themes,
            z=z,
            text=text,
            texttemplate="%{text}",
            colorscale="RdBu",
            zmid=0,
            hoverongaps=False,
            xgap=2,
            ygap=2,
            colorbar={"title": {"text": METRIC_LABELS[CHANGE]()}},
            hovertemplate="%{y}<br>%{x}<br>%{text}<extra></extra>",
        )
    )
    return figure


def figure(rows: Balance, metric: str = "ideas") -> go.Figure:
    if metric == CHANGE:
        return change_figure(rows)
    # Each row and column carries its total in its label: the heatmap stays one scale.
    themes = [
        f"{theme.name} ({_shown(rows.theme_totals.get(theme.pk, {}).get(metric, 0), metric)})"
        for theme in rows.themes
    ]
    regions = [
        f"{region.name} ({_shown(rows.region_totals.get(region.pk, {}).get(metric, 0), metric)})"
        for region in rows.regions
    ]
    z, text = [], []
    for theme in rows.themes:
        values = [rows.value(theme, region, metric) for region in rows.regions]
        # A gap (nothing at all) is left empty, so it shows as the background, not as 0.
        z.append([float(v) if v else None for v in values])
        text.append([_shown(v, metric) if v else "" for v in values])
    figure = base_figure(
        height=max(320, 28 * len(themes) + 140),
        xaxis={"side": "top", "tickangle": -45},
        yaxis={"autorange": "reversed"},
        plot_bgcolor="#f3f4f6",
    )
    figure.add_trace(
        go.Heatmap(
            x=regions,
            y=themes,
            z=z,
            text=text,
            # Counts fit in a cell; euros are read from the hover label and the table.
            texttemplate="%{text}" if metric == "ideas" else "",
            colorscale="Blues",
            hoverongaps=False,
            xgap=2,
            ygap=2,
            colorbar={"title": {"text": METRIC_LABELS[metric]()}},
            hovertemplate="%{y}<br>%{x}<br>%{text}<extra></extra>",
        )
    )
    return figure


def gaps(rows: Balance) -> int:
    return sum(
        1
        for theme in rows.themes
        for region in rows.regions
        if (theme.pk, region.pk) not in rows.cells
    )


def caption(rows: Balance, metric: str = "ideas") -> str:
    text = _totals_caption(rows)
    if metric == CHANGE:
        text += " " + change_caption(rows)
    return text


def change_caption(rows: Balance) -> str:
    if rows.previous is None or rows.previous.period is None:
        return _needs_period()
    pairs = [rows.change(theme, region) for theme in rows.themes for region in rows.regions]
    return _(
        "Ideas created against the previous period %(previous)s: %(change)s "
        "(%(now)s against %(before)s); more in %(up)s theme–region pairs, fewer in %(down)s."
    ) % {
        "previous": rows.previous.period.label(),
        "change": _signed(rows.change(None, None)),
        "now": number_format(rows.total.get("ideas", 0), force_grouping=True),
        "before": number_format(rows.previous.total.get("ideas", 0), force_grouping=True),
        "up": number_format(sum(1 for v in pairs if v > 0), force_grouping=True),
        "down": number_format(sum(1 for v in pairs if v < 0), force_grouping=True),
    }


def _totals_caption(rows: Balance) -> str:
    cells = len(rows.themes) * len(rows.regions)
    return _(
        "%(ideas)s ideas, %(requested)s € requested and %(granted)s € granted across "
        "%(themes)s themes and %(regions)s regions; %(gaps)s of %(cells)s theme–region pairs "
        "have no activity (the grey gaps)."
    ) % {
        "ideas": number_format(rows.total.get("ideas", 0), force_grouping=True),
        "requested": whole_text(rows.total.get("requested", 0)),
        "granted": whole_text(rows.total.get("granted", 0)),
        "themes": len(rows.themes),
        "regions": len(rows.regions),
        "gaps": gaps(rows),
        "cells": cells,
    }


def change_table(rows: Balance) -> Table:
    """The change per theme × region with totals; empty without a period to compare with."""
    if rows.previous is None:
        return Table(columns=[Column(_("Theme"))])
    columns = [Column(_("Theme"))]
    columns += [Column(region.name, SIGNED) for region in rows.regions]
    columns.append(Column(_("Total"), SIGNED))
    lines = [
        [theme.name]
        + [rows.change(theme, region) for region in rows.regions]
        + [rows.change(theme, None)]
        for theme in rows.themes
    ]
    lines.append(
        [_("Total")] + [rows.change(None, region) for region in rows.regions]
        + [rows.change(None, None)]
    )
    return Table(columns=columns, rows=lines)


def table(rows: Balance, metric: str = "ideas") -> Table:
    if metric == CHANGE:
        return change_table(rows)
    number = MONEY if metric != "ideas" else None
    columns = [Column(_("Theme"))]
    columns += [Column(region.name, number) for region in rows.regions]
    columns.append(Column(_("Total"), number))
    lines = []
    for theme in rows.themes:
        line = [theme.name] + [rows.value(theme, region, metric) for region in rows.regions]
        line.append(rows.theme_totals.get(theme.pk, {}).get(metric, 0))
        lines.append(line)
    totals = [_("Total")]
    totals += [rows.region_totals.get(region.pk, {}).get(metric, 0) for region in rows.regions]
    totals.append(rows.total.get(metric, 0))
    lines.append(totals)
    return Table(columns=columns, rows=lines)
