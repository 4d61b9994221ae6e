"""Network leverage: a step line of € granted to ideas born at the network's events,
cumulative by decision day, against the network's own funding and its total budget; the
definition, the window and the largest grants in words and tables."""

from __future__ import annotations

from decimal import Decimal

import plotly.graph_objects as go
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core.figures import base_figure, plain
from core.formatting import (
    euros_text,
    percent_text,
    percent_value,
    ratio_text,
    round_half_up,
    share_of,
    whole_text,
)
from dashboards.charts import DATE, MONEY, PERCENT, RATIO, Column, Table
from dashboards.charts.colors import GRANTED_COLOR, LEVEL_COLORS
from dashboards.selectors.leverage import Leverage
from funding.models import Level
from portfolio.selectors.outcomes import window_text

# The network's own funding is a regional (AKKE) grant: its line takes the regional colour.
OWN_FUNDING_COLOR = LEVEL_COLORS[Level.REGIONAL]
BUDGET_COLOR = "#7f7f7f"


def _day(value) -> str:
    return date_format(value, "SHORT_DATE_FORMAT")


def _ratio_cell(ratio: Decimal | None) -> Decimal | None:
    """A ratio as a table cell holds it: rounded half-up to one decimal, as it is shown."""
    return None if ratio is None else round_half_up(ratio)


def definition() -> str:
    """The leverage's definition, as the panel and the report write it."""
    return _(
        "Leverage = € granted (approved applications, by decision date) to ideas born at the "
        "network's events ÷ the network's own funding."
    )


def figure(rows: Leverage, **options) -> go.Figure:
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
    # The line starts at zero on the window's first day and holds its last value to the
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
    # the amounts side by side.
    for name, amount, color, dash in (
        (_("The network's own funding"), rows.own_funding, OWN_FUNDING_COLOR, "dash"),
        (_("The network's total budget"), rows.budget, BUDGET_COLOR, "dot"),
    ):
        figure.add_trace(
            go.Scatter(
                name=name,
                x=x,
                y=[float(amount)] * len(x),
                mode="lines",
                line={"color": color, "dash": dash, "width": 2},
                hovertemplate=plain(name) + ": %{y:,.0f} €<extra></extra>",
            )
        )
    return figure


def caption(rows: Leverage, **options) -> str:
    """The definition, the window with its dates, the ratio over the own funding and over
    the total budget, the largest grant's share and the grants to ideas since dropped."""
    values = {
        "window": window_text(rows.window),
        "granted": euros_text(rows.granted),
        "own": euros_text(rows.own_funding),
        "budget": euros_text(rows.budget),
        "decisions": whole_text(rows.decisions),
        "ratio": ratio_text(rows.ratio),
        "ratio_budget": ratio_text(rows.ratio_over_budget),
        "dropped": euros_text(rows.dropped_granted),
    }
    parts = [definition(), _("Window: %(window)s.") % values]
    if not rows.days:
        parts.append(
            _(
                "No funding was granted to ideas born at the network's events in this window; "
                "the network's own funding is %(own)s and its total budget %(budget)s."
            ) % values
        )
        return " ".join(parts)
    parts.append(
        ngettext(
            "%(granted)s granted in %(decisions)s decision",
            "%(granted)s granted in %(decisions)s decisions",
            rows.decisions,
        ) % values
        + ": "
        + _(
            "%(ratio)s the network's own funding of %(own)s and %(ratio_budget)s its total "
            "budget of %(budget)s."
        ) % values
    )
    if rows.top:
        largest = rows.top[0]
        parts.append(
            _(
                "The largest grant (%(idea)s, %(amount)s) is %(share)s of it; without it the "
                "leverage would be %(without)s."
            )
            % {
                "idea": largest.idea,
                "amount": euros_text(largest.granted),
                "share": percent_text(largest.share),
                "without": ratio_text(largest.ratio_without),
            }
        )
    parts.append(_("Of which to ideas since dropped: %(dropped)s.") % values)
    return " ".join(parts)


def table(rows: Leverage, **options) -> Table:
    columns = [
        Column(_("Decision date"), DATE),
        Column(_("Approved decisions")),
        Column(_("€ granted"), MONEY),
        Column(_("€ granted, cumulative"), MONEY),
        Column(_("The network's own funding"), MONEY),
        Column(_("Times own funding"), RATIO),
        Column(_("Times the total budget"), RATIO),
    ]
    lines = [
        [
            day.day,
            day.decisions,
            day.granted,
            day.cumulative,
            rows.own_funding,
            _ratio_cell(share_of(day.cumulative, rows.own_funding)),
            _ratio_cell(share_of(day.cumulative, rows.budget)),
        ]
        for day in rows.days
    ]
    return Table(columns=columns, rows=lines)


def figures_table(rows: Leverage) -> Table:
    """The leverage in figures: the window, the numerator and both ratios."""
    return Table(
        columns=[Column(_("Figure")), Column(_("Value"))],
        rows=[
            [_("Window"), window_text(rows.window)],
            [_("€ granted to ideas born at the network's events"), euros_text(rows.granted)],
            [_("of which to ideas since dropped"), euros_text(rows.dropped_granted)],
            [_("The network's own funding"), euros_text(rows.own_funding)],
            [_("Leverage over the own funding"), ratio_text(rows.ratio)],
            [_("The network's total budget"), euros_text(rows.budget)],
            [_("Leverage over the total budget"), ratio_text(rows.ratio_over_budget)],
        ],
    )


def top_table(rows: Leverage) -> Table:
    """The largest grants, each with its share of the total and the leverage without it."""
    return Table(
        columns=[
            Column(_("Idea")),
            Column(_("Instrument")),
            Column(_("Decided on"), DATE),
            Column(_("€ granted"), MONEY),
            Column(_("Share of the total"), PERCENT),
            Column(_("Leverage without it"), RATIO),
            Column(_("Idea since dropped")),
        ],
        rows=[
            [
                grant.idea,
                grant.instrument,
                grant.decided_on,
                grant.granted,
                percent_value(grant.share),
                _ratio_cell(grant.ratio_without),
                _("yes") if grant.dropped else "",
            ]
            for grant in rows.top
        ],
    )


def extra_tables(rows: Leverage) -> list[tuple[str, Table]]:
    return [
        (_("The leverage in figures"), figures_table(rows)),
        (_("The largest grants"), top_table(rows)),
    ]
