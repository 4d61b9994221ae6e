"""Flow: a Sankey from the origin events' host regions through the stage at the period's
end to funding by then."""

from __future__ import annotations

import plotly.graph_objects as go
from django.utils.translation import gettext as _

from core.figures import base_figure, say_empty
from core.formatting import percent_text, share_of, whole_text
from dashboards.charts import Column, Table
from dashboards.charts.colors import GRANTED_COLOR, STAGE_COLORS
from dashboards.filters import as_at_text
from dashboards.selectors.flow import Flow
from portfolio.stages import Stage

ORIGIN_COLOR = "#5d6d7e"
NO_EVENT_COLOR = "#b8bfc7"
NOT_FUNDED_COLOR = "#c7ccd1"
# Links take their stage's colour, faded, so each stage's ideas can be followed across.
LINK_OPACITY = 0.35
# Plotly ignores positions of exactly 0 and 1.
COLUMN_X = (0.001, 0.5, 0.999)
NODE_GAP = 0.03



def _faded(color: str) -> str:
    red, green, blue = (int(color[i : i + 2], 16) for i in (1, 3, 5))
    return f"rgba({red},{green},{blue},{LINK_OPACITY})"


def _origin(region: str | None) -> str:
    return region if region is not None else _("No event")


def _positions(columns: list[int], sizes: list[int]) -> tuple[list[float], list[float]]:
    """Each node's centre, stacked down its column in the order given, so regions keep
    their order and stages read in pipeline order; left to itself Plotly reorders nodes
    to reduce crossings."""
    totals = {column: sum(s for c, s in zip(columns, sizes) if c == column) for column in columns}
    counts = {column: columns.count(column) for column in columns}
    stacked = dict.fromkeys(columns, 0)
    placed = dict.fromkeys(columns, 0)
    x, y = [], []
    for column, size in zip(columns, sizes):
        gap = NODE_GAP if counts[column] > 1 else 0
        scale = 1 - gap * (counts[column] - 1)
        centre = (stacked[column] + size / 2) / (totals[column] or 1) * scale
        x.append(COLUMN_X[column])
        y.append(min(max(centre + gap * placed[column], 0.001), 0.999))
        stacked[column] += size
        placed[column] += 1
    return x, y


def figure(rows: Flow) -> go.Figure:
    labels: list[str] = []
    colors: list[str] = []
    columns: list[int] = []
    index: dict[tuple[str, str | None], int] = {}

    def node(key: tuple[str, str | None], label: str, color: str, column: int) -> int:
        if key not in index:
            index[key] = len(labels)
            labels.append(label)
            colors.append(color)
            columns.append(column)
        return index[key]

    sources: list[int] = []
    targets: list[int] = []
    values: list[int] = []
    link_colors: list[str] = []

    # Nodes are added column by column so their order (and Plotly's layout) is stable.
    for row in rows.rows:
        node(
            ("origin", row.region_code),
            _origin(row.region),
            ORIGIN_COLOR if row.region_code else NO_EVENT_COLOR,
            0,
        )
    stages = [stage for stage in Stage if any(row.stage == stage for row in rows.rows)]
    for stage in stages:
        node(("stage", stage.value), str(stage.label), STAGE_COLORS[stage], 1)
    funded = {stage: sum(r.funded for r in rows.rows if r.stage == stage) for stage in stages}
    not_funded = {
        stage: sum(r.not_funded for r in rows.rows if r.stage == stage) for stage in stages
    }
    if any(funded.values()):
        node(("outcome", "funded"), _("Funded"), GRANTED_COLOR, 2)
    if any(not_funded.values()):
        node(("outcome", "not_funded"), _("Not funded"), NOT_FUNDED_COLOR, 2)

    for row in rows.rows:
        sources.append(index[("origin", row.region_code)])
        targets.append(index[("stage", row.stage)])
        values.append(row.ideas)
        link_colors.append(_faded(STAGE_COLORS[row.stage]))
    for stage in stages:
        for outcome, counts in (("funded", funded), ("not_funded", not_funded)):
            if counts[stage]:
                sources.append(index[("stage", stage.value)])
                targets.append(index[("outcome", outcome)])
                values.append(counts[stage])
                link_colors.append(_faded(STAGE_COLORS[stage]))

    inflow, outflow = [0] * len(labels), [0] * len(labels)
    for source, target, value in zip(sources, targets, values):
        outflow[source] += value
        inflow[target] += value
    x, y = _positions(columns, [max(pair) for pair in zip(inflow, outflow)])

    ideas = _("Ideas")
    figure = base_figure(height=420)
    figure.add_trace(
        go.Sankey(
            arrangement="snap",
            valueformat=",d",
            node={
                "label": labels,
                "color": colors,
                "x": x,
                "y": y,
                "pad": 14,
                "thickness": 16,
                "line": {"width": 0},
                "hovertemplate": "%{label}<br>" + ideas + ": %{value}<extra></extra>",
            },
            link={
                "source": sources,
                "target": targets,
                "value": values,
                "color": link_colors,
                "hovertemplate": "%{source.label} → %{target.label}<br>"
                + ideas
                + ": %{value}<extra></extra>",
            },
        )
    )
    if not rows.rows:
        say_empty(figure, _("No ideas were created in the period."))
    return figure


def caption(rows: Flow) -> str:
    if not rows.ideas:
        return _("No ideas were created in the period, so there is no flow to show.")
    return _(
        "Of the %(ideas)s ideas created in the period, %(events)s were born at roadshow "
        "events; %(funded)s had been funded %(as_at)s (%(share)s)."
    ) % {
        "ideas": whole_text(rows.ideas),
        "events": whole_text(rows.from_events),
        "funded": whole_text(rows.funded),
        "as_at": as_at_text(rows.as_at) if rows.as_at else "",
        "share": percent_text(share_of(rows.funded, rows.ideas)),
    }


def table(rows: Flow) -> Table:
    lines = [
        [_origin(row.region), str(Stage(row.stage).label), row.ideas, row.funded, row.not_funded]
        for row in rows.rows
    ]
    lines.append(
        [_("Total"), "", rows.ideas, rows.funded, rows.ideas - rows.funded]
    )
    return Table(
        columns=[
            Column(_("Origin event's host region")),
            Column(_("Stage at the end of the period")),
            Column(_("Ideas")),
            Column(_("Funded by the end of the period")),
            Column(_("Not funded")),
        ],
        rows=lines,
    )
