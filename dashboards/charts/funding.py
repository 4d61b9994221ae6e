"""Funding by instrument: € requested vs € granted as grouped bars, beside the success rate
by count and by €; the levels' totals follow the instruments."""

from __future__ import annotations

from decimal import Decimal

import plotly.graph_objects as go
from django.utils.translation import gettext as _
from plotly.subplots import make_subplots

from core.figures import BASE_LAYOUT, say_empty
from core.formatting import euros_text, percent_text, whole_text
from dashboards.charts import MONEY, PERCENT, Column, Table
from dashboards.charts.colors import (
    GRANTED_COLOR,
    LEVEL_COLORS,
    REQUESTED_COLOR,
    instrument_color,
)
from dashboards.selectors.funding import Funding, FundingRow
from funding.models import Level

RATE_BY_COUNT_COLOR = "#5d6d7e"



def _share(value: Decimal | None) -> float | None:
    """A share as plotly places it on the axis; its text comes from percent_text."""
    return None if value is None else float(value)


def _level_label(level: str) -> str:
    return {
        Level.REGIONAL: _("All regional instruments"),
        Level.NATIONAL: _("All national instruments"),
        Level.EU: _("All EU instruments"),
    }[Level(level)]


def _lines(rows: Funding) -> list[tuple[str, str, FundingRow]]:
    """(category, tick text, row): instruments, then levels, each marked with its colour."""
    lines = []
    for row in rows.instruments:
        mark = instrument_color(row.color_index or 0)
        lines.append((row.label, f"{row.label} <span style='color:{mark}'>■</span>", row))
    for row in rows.levels:
        label = _level_label(row.level)
        mark = LEVEL_COLORS[row.level]
        lines.append((label, f"<b>{label}</b> <span style='color:{mark}'>■</span>", row))
    return lines


def figure(rows: Funding) -> go.Figure:
    lines = _lines(rows)
    categories = [category for category, _tick, _row in lines]
    figure = make_subplots(
        rows=1,
        cols=2,
        column_widths=[0.62, 0.38],
        shared_yaxes=True,
        horizontal_spacing=0.1,
        subplot_titles=[_("€ requested and € granted"), _("Success rate")],
    )
    figure.update_layout(
        **BASE_LAYOUT,
        height=max(300, 34 * len(lines) + 140),
        barmode="group",
        # Anchored to the whole figure, so the legend stays just under the axes however
        # many instruments make the chart taller.
        legend={"orientation": "h", "yref": "container", "y": 0, "yanchor": "bottom", "x": 0},
    )
    figure.update_layout(margin={"t": 40, "b": 70})
    bars = (
        (_("€ requested"), "requested", "submitted", REQUESTED_COLOR, _("Applications submitted")),
        (_("€ granted"), "granted", "approved", GRANTED_COLOR, _("Approved")),
    )
    for name, money, count, color, count_label in bars:
        figure.add_trace(
            go.Bar(
                name=name,
                orientation="h",
                y=categories,
                x=[float(getattr(row, money)) for _c, _t, row in lines],
                customdata=[getattr(row, count) for _c, _t, row in lines],
                marker={"color": color},
                hovertemplate="%{y}<br>"
                + name
                + ": %{x:,.0f} €<br>"
                + count_label
                + ": %{customdata}<extra></extra>",
            ),
            row=1,
            col=1,
        )
    by_count, by_money = _("Success rate by count"), _("Success rate by €")
    figure.add_trace(
        go.Scatter(
            name=by_count,
            mode="markers",
            y=categories,
            x=[_share(row.rate_by_count) for _c, _t, row in lines],
            text=[percent_text(row.rate_by_count) for _c, _t, row in lines],
            customdata=[[row.approved, row.decided] for _c, _t, row in lines],
            marker={"color": RATE_BY_COUNT_COLOR, "symbol": "circle", "size": 11},
            hovertemplate="%{y}<br>"
            + by_count
            + ": %{text}<br>"
            + _("%(approved)s approved of %(decided)s decisions")
            % {"approved": "%{customdata[0]}", "decided": "%{customdata[1]}"}
            + "<extra></extra>",
        ),
        row=1,
        col=2,
    )
    figure.add_trace(
        go.Scatter(
            name=by_money,
            mode="markers",
            y=categories,
            x=[_share(row.rate_by_money) for _c, _t, row in lines],
            text=[percent_text(row.rate_by_money) for _c, _t, row in lines],
            customdata=[
                [float(row.granted), float(row.decided_requested)] for _c, _t, row in lines
            ],
            marker={"color": GRANTED_COLOR, "symbol": "diamond", "size": 12},
            hovertemplate="%{y}<br>"
            + by_money
            + ": %{text}<br>"
            + _("%(granted)s € granted of %(requested)s € requested in decided applications")
            % {"granted": "%{customdata[0]:,.0f}", "requested": "%{customdata[1]:,.0f}"}
            + "<extra></extra>",
        ),
        row=1,
        col=2,
    )
    figure.update_yaxes(
        automargin=True,
        autorange="reversed",
        categoryorder="array",
        categoryarray=categories,
        tickvals=categories,
        ticktext=[tick for _c, tick, _r in lines],
    )
    figure.update_xaxes(automargin=True)
    figure.update_xaxes(
        title_text=_("Euros"), tickformat=",.0f", nticks=4, row=1, col=1
    )
    figure.update_xaxes(
        title_text=_("Share approved"), tickformat=".0%", range=[0, 1.05], row=1, col=2
    )
    if not lines:
        say_empty(figure, _("No applications were submitted or decided in the period."))
    return figure


def caption(rows: Funding) -> str:
    total = rows.total
    if total is None:
        return _("No funding applications were submitted or decided in the period.")
    return _(
        "In the period %(submitted)s applications requested %(requested)s and "
        "%(granted)s was granted; %(approved)s of %(decided)s decisions were approvals "
        "(success rate %(by_count)s by count, %(by_money)s by €)."
    ) % {
        "submitted": whole_text(total.submitted),
        "requested": euros_text(total.requested),
        "granted": euros_text(total.granted),
        "approved": whole_text(total.approved),
        "decided": whole_text(total.decided),
        "by_count": percent_text(total.rate_by_count),
        "by_money": percent_text(total.rate_by_money),
    }


def _table_row(label: str, row: FundingRow) -> list:
    return [
        label,
        str(Level(row.level).label) if row.level else "",
        row.submitted,
        row.requested,
        row.decided,
        row.approved,
        row.decided_requested,
        row.granted,
        row.rate_by_count,
        row.rate_by_money,
    ]


def table(rows: Funding) -> Table:
    lines = [_table_row(row.label, row) for row in rows.instruments]
    lines += [_table_row(_level_label(row.level), row) for row in rows.levels]
    if rows.total is not None:
        lines.append(_table_row(_("All instruments"), rows.total))
    return Table(
        columns=[
            Column(_("Instrument or level")),
            Column(_("Level")),
            Column(_("Applications submitted")),
            Column(_("€ requested"), MONEY),
            Column(_("Decisions")),
            Column(_("Approved")),
            Column(_("€ requested in decided applications"), MONEY),
            Column(_("€ granted"), MONEY),
            Column(_("Success rate by count"), PERCENT),
            Column(_("Success rate by €"), PERCENT),
        ],
        rows=lines,
    )
