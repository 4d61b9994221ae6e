"""Outcomes per roadshow event: € requested and € granted per event as bars, with the
ideas born, in consortium, applied and funded in the hover, the caption and the table."""

from __future__ import annotations

from datetime import date

import plotly.graph_objects as go
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core.figures import base_figure, plain, say_empty
from core.formatting import euros_text, percent_text, percent_value, whole_text
from dashboards.charts import DATE, MONEY, PERCENT, Column, Table
from dashboards.charts.colors import GRANTED_COLOR, REQUESTED_COLOR
from dashboards.selectors.events import EventOutcomes
from portfolio.selectors.outcomes import OutcomeTotals, outcomes_definition, window_text


def _label(row) -> str:
    return f"{plain(row.title)} ({date_format(row.date, 'SHORT_DATE_FORMAT')})"


def figure(rows: EventOutcomes, **options) -> go.Figure:
    shown = list(reversed(rows.rows))  # the oldest event at the top
    figure = base_figure(
        height=max(320, 60 + 34 * len(shown)),
        barmode="group",
        showlegend=True,
        legend={"orientation": "h", "yanchor": "top", "y": -0.12},
        xaxis={"tickformat": ",.0f", "ticksuffix": " €", "rangemode": "tozero"},
        yaxis={"automargin": True},
    )
    if not shown:
        # An empty trace keeps the figure valid; the words say why there are no bars.
        figure.add_trace(go.Bar(orientation="h", x=[], y=[], showlegend=False))
        say_empty(figure, _("No roadshow events have been recorded."))
        return figure
    labels = [_label(row) for row in shown]
    counts = [
        [row.born, row.consortium, row.applied, row.funded, percent_text(row.conversion)]
        for row in shown
    ]
    hover = (
        "%{y}<br>%{x:,.0f} €<br>"
        + _("Ideas born")
        + ": %{customdata[0]}<br>"
        + _("Reached consortium")
        + ": %{customdata[1]}<br>"
        + _("Applied")
        + ": %{customdata[2]}<br>"
        + _("Funded")
        + ": %{customdata[3]}<br>"
        + _("Conversion")
        + ": %{customdata[4]}<extra></extra>"
    )
    for name, values, color in (
        (_("€ requested in the window"), [float(r.requested) for r in shown], REQUESTED_COLOR),
        (_("€ granted in the window"), [float(r.granted) for r in shown], GRANTED_COLOR),
    ):
        figure.add_trace(
            go.Bar(
                name=name, orientation="h", y=labels, x=values, customdata=counts,
                marker={"color": color}, hovertemplate=hover,
            )
        )
    return figure


def definition(as_at: date | None = None) -> str:
    if as_at is not None:
        return _(
            "Per roadshow event held by the period's end: ideas born there by then and those "
            "that had reached consortium forming by then; ideas with an application submitted "
            "in the window and the € requested; ideas with a grant decided in the window and "
            "the € granted (the grants the leverage counts); conversion = funded ÷ born."
        )
    return outcomes_definition()


def caption(rows: EventOutcomes, **options) -> str:
    totals = rows.totals
    values = {
        "window": window_text(rows.window),
        "events": whole_text(len(rows.rows)),
        "born": whole_text(totals.born),
        "funded": whole_text(totals.funded),
        "conversion": percent_text(totals.conversion),
        "granted": euros_text(totals.granted),
    }
    return " ".join(
        [
            definition(rows.as_at),
            _("Window: %(window)s.") % values,
            ngettext(
                "%(events)s event: %(born)s ideas born, %(funded)s funded (%(conversion)s); "
                "%(granted)s granted, the leverage's numerator for the same window.",
                "%(events)s events: %(born)s ideas born, %(funded)s funded (%(conversion)s); "
                "%(granted)s granted, the leverage's numerator for the same window.",
                len(rows.rows),
            ) % values,
        ]
    )


def columns() -> list[Column]:
    return [
        Column(_("Event")),
        Column(_("Date"), DATE),
        Column(_("Host region")),
        Column(_("Ideas born")),
        Column(_("Reached consortium")),
        Column(_("Applied (ideas)")),
        Column(_("€ requested"), MONEY),
        Column(_("Funded (ideas)")),
        Column(_("€ granted"), MONEY),
        Column(_("Conversion"), PERCENT),
    ]


def _cells(row) -> list:
    return [
        row.born, row.consortium, row.applied, row.requested, row.funded, row.granted,
        percent_value(row.conversion),
    ]


def table(rows: EventOutcomes, **options) -> Table:
    return Table(
        columns=columns(),
        rows=[
            [row.title, row.date, row.event.host_region.name, *_cells(row)] for row in rows.rows
        ],
    )


def totals_table(totals: OutcomeTotals) -> Table:
    return Table(
        columns=[Column(""), *columns()[3:]],
        rows=[[_("All events"), *_cells(totals)]],
    )


def extra_tables(rows: EventOutcomes) -> list[tuple[str, Table]]:
    return [(_("Totals"), totals_table(rows.totals))]
