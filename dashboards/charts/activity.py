"""Activity per quarter: ideas created, applications submitted, decisions made."""

from __future__ import annotations

import plotly.graph_objects as go
from django.utils.translation import gettext as _

from core.figures import base_figure
from core.formatting import whole_text
from dashboards.charts import Column, Table
from dashboards.charts.colors import STAGE_COLORS
from dashboards.selectors.activity import Activity, Quarter
from portfolio.stages import Stage


def quarter_label(quarter: Quarter) -> str:
    return _("%(year)s Q%(quarter)s") % {"year": quarter.year, "quarter": quarter.quarter}



def _series() -> list[tuple[str, str, str]]:
    # (attribute, legend name, colour): each count takes the colour of the stage it leads to.
    return [
        ("created", _("Ideas created"), STAGE_COLORS[Stage.IDEA]),
        ("submitted", _("Applications submitted"), STAGE_COLORS[Stage.APPLICATION]),
        ("approved", _("Applications approved"), STAGE_COLORS[Stage.IMPLEMENTATION]),
        ("rejected", _("Applications rejected"), STAGE_COLORS[Stage.DROPPED]),
    ]


def figure(rows: Activity) -> go.Figure:
    figure = base_figure(
        barmode="group",
        height=360,
        legend={"orientation": "h", "yanchor": "bottom", "y": 1.02, "x": 0},
        xaxis={"title": {"text": _("Quarter")}, "type": "category"},
        yaxis={"title": {"text": _("Number")}, "rangemode": "tozero", "tickformat": ",d"},
    )
    labels = [quarter_label(quarter) for quarter in rows.quarters]
    for attribute, name, color in _series():
        figure.add_trace(
            go.Bar(
                name=name,
                x=labels,
                y=[getattr(quarter, attribute) for quarter in rows.quarters],
                marker={"color": color},
                hovertemplate="%{x}<br>" + name + ": %{y}<extra></extra>",
            )
        )
    return figure


def caption(rows: Activity) -> str:
    if not rows.quarters:
        return _("No quarters in the period.")
    first, last = quarter_label(rows.quarters[0]), quarter_label(rows.quarters[-1])
    if rows.is_empty:
        return _(
            "%(first)s–%(last)s: no ideas created, no applications submitted, no decisions made."
        ) % {"first": first, "last": last}
    text = _(
        "%(first)s–%(last)s: ideas created %(created)s, applications submitted %(submitted)s, "
        "decisions made %(decided)s (approved %(approved)s, rejected %(rejected)s)"
    ) % {
        "first": first,
        "last": last,
        "created": whole_text(rows.created),
        "submitted": whole_text(rows.submitted),
        "decided": whole_text(rows.decided),
        "approved": whole_text(rows.approved),
        "rejected": whole_text(rows.rejected),
    }
    busiest = max(rows.quarters, key=lambda quarter: quarter.created)
    if busiest.created:
        text += _("; most ideas in %(quarter)s (%(created)s)") % {
            "quarter": quarter_label(busiest),
            "created": whole_text(busiest.created),
        }
    return text + "."


def table(rows: Activity) -> Table:
    return Table(
        columns=[
            Column(_("Quarter")),
            Column(_("Ideas created")),
            Column(_("Applications submitted")),
            Column(_("Applications approved")),
            Column(_("Applications rejected")),
            Column(_("Decisions made")),
        ],
        rows=[
            [
                quarter_label(quarter),
                quarter.created,
                quarter.submitted,
                quarter.approved,
                quarter.rejected,
                quarter.decided,
            ]
            for quarter in rows.quarters
        ],
    )
