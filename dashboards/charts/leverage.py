"""Network leverage: a step line of € granted to ideas born at the network's events,
cumulative by decision day, against a horizontal line at the network's own funding."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

import plotly.graph_objects as go
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core.figures import base_figure
from core.formatting import ratio_text, round_half_up
from dashboards.charts import DATE, MONEY, RATIO, Column, Table
from dashboards.charts.colors import GRANTED_COLOR, LEVEL_COLORS
from dashboards.selectors.leverage import Leverage
from funding.models import Level

# The network's own funding is a regional (AKKE) grant: its line takes the regional colour.
OWN_FUNDING_COLOR = LEVEL_COLORS[Level.REGIONAL]


# number_format cuts decimals off; the numbers in words are rounded first.
def _money(value: Decimal) -> str:
    whole = value.quantize(Decimal("1"), ROUND_HALF_UP)
    return f"{number_format(whole, 0, use_l10n=True, force_grouping=True)} €"


def _day(value) -> str:
    return date_format(value, "SHORT_DATE_FORMAT")


def figure(rows: Leverage) -> go.Figure:
    figure = base_figure(
        height=360,
        showlegend=True,
        hovermode="x unified",
        legend={"orientation": "h", "yanchor": "top", "y": -0.2},
        # Day.month.year ticks: plotly's month names would be English on Finnish pages.
        xaxis={
            "title": {"text": _("Decision date")},
            "type": "date",
            "hoverformat": "%d.%m.%Y",
            "tickformat": "%-d.%-m.%Y",
        },
        yaxis={
            "title": {"text": _("€ granted, cumulative")},
            "rangemode": "tozero",
            "tickformat": ",.0f",
            "ticksuffix": " €",
        },
    )
    # The line starts at zero on the period's first day and holds its last value to the
    # end, so the step shape shows when the money came in.
    x = [rows.start] + [day.day for day in rows.days] + [rows.end]
    y = [0.0] + [float(day.cumulative) for day in rows.days] + [float(rows.granted)]
    that_day = [[0, 0.0]] + [[day.decisions, float(day.granted)] for day in rows.days] + [[0, 0.0]]
    figure.add_trace(
        go.Scatter(
            name=_("€ granted to ideas born at the network's events"),
            x=x,
            y=y,
            customdata=that_day,
            mode="lines",
            line={"shape": "hv", "color": GRANTED_COLOR, "width": 3},
            fill="tozeroy",
            fillcolor="rgba(31, 78, 121, 0.12)",
            hovertemplate=(
                _("Cumulative")
                + ": %{y:,.0f} €<br>"
                + _("Granted that day")
                + ": %{customdata[1]:,.0f} €<br>"
                + _("Approved decisions that day")
                + ": %{customdata[0]}<extra></extra>"
            ),
        )
    )
    # A point under every point of the step line, so the hover label over any day shows
    # both amounts side by side.
    own = float(rows.own_funding)
    figure.add_trace(
        go.Scatter(
            name=_("The network's own funding"),
            x=x,
            y=[own] * len(x),
            mode="lines",
            line={"color": OWN_FUNDING_COLOR, "dash": "dash", "width": 2},
            hovertemplate=_("The network's own funding") + ": %{y:,.0f} €<extra></extra>",
        )
    )
    return figure


def caption(rows: Leverage) -> str:
    values = {
        "start": _day(rows.start),
        "end": _day(rows.end),
        "granted": _money(rows.granted),
        "own": _money(rows.own_funding),
        "decisions": number_format(rows.decisions, 0, use_l10n=True, force_grouping=True),
    }
    if not rows.days:
        return _(
            "From %(start)s to %(end)s no funding was granted to ideas born at the network's "
            "events; the network's own funding is %(own)s."
        ) % values
    if rows.ratio is None:
        return ngettext(
            "From %(start)s to %(end)s ideas born at the network's events were granted "
            "%(granted)s in %(decisions)s decision.",
            "From %(start)s to %(end)s ideas born at the network's events were granted "
            "%(granted)s in %(decisions)s decisions.",
            rows.decisions,
        ) % values
    return ngettext(
        "From %(start)s to %(end)s ideas born at the network's events were granted "
        "%(granted)s in %(decisions)s decision: %(ratio)s the network's own funding of %(own)s.",
        "From %(start)s to %(end)s ideas born at the network's events were granted "
        "%(granted)s in %(decisions)s decisions: %(ratio)s the network's own funding of %(own)s.",
        rows.decisions,
    ) % {**values, "ratio": ratio_text(rows.ratio)}


def table(rows: Leverage) -> Table:
    columns = [
        Column(_("Decision date"), DATE),
        Column(_("Approved decisions")),
        Column(_("€ granted"), MONEY),
        Column(_("€ granted, cumulative"), MONEY),
        Column(_("The network's own funding"), MONEY),
        Column(_("Times own funding"), RATIO),
    ]
    lines = []
    for day in rows.days:
        times = None
        if rows.own_funding:
            times = round_half_up(day.cumulative / rows.own_funding)
        lines.append([day.day, day.decisions, day.granted, day.cumulative, rows.own_funding, times])
    return Table(columns=columns, rows=lines)
