"""The portfolio balance heatmap: themes down, regions across, gaps marked."""

from __future__ import annotations

import plotly.graph_objects as go
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from core.figures import base_figure
from dashboards.charts import MONEY, Column, Table
from dashboards.selectors.balance import Balance

METRIC_LABELS = {
    "ideas": lambda: _("Ideas"),
    "requested": lambda: _("€ requested"),
    "granted": lambda: _("€ granted"),
}


def _shown(value, metric: str) -> str:
    if metric == "ideas":
        return number_format(value, force_grouping=True)
    return f"{number_format(value, 0, force_grouping=True)} €"


def figure(rows: Balance, metric: str = "ideas") -> go.Figure:
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
    cells = len(rows.themes) * len(rows.regions)
    return _(
        "%(ideas)s ideas, %(requested)s € requested and %(granted)s € granted across "
        "%(themes)s themes and %(regions)s regions; %(gaps)s of %(cells)s theme–region pairs "
        "have no activity (the grey gaps)."
    ) % {
        "ideas": number_format(rows.total.get("ideas", 0), force_grouping=True),
        "requested": number_format(rows.total.get("requested", 0), 0, force_grouping=True),
        "granted": number_format(rows.total.get("granted", 0), 0, force_grouping=True),
        "themes": len(rows.themes),
        "regions": len(rows.regions),
        "gaps": gaps(rows),
        "cells": cells,
    }


def table(rows: Balance, metric: str = "ideas") -> Table:
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
