"""Regions side by side: events hosted, participants, ideas involving the region, and €
granted shared out among the regions so that they add up to the total."""

from __future__ import annotations

from decimal import Decimal

import plotly.graph_objects as go
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core.figures import base_figure
from core.formatting import euros_text, whole_text
from dashboards.charts import MONEY, Column, Table
from dashboards.charts.colors import GRANTED_COLOR, LEVEL_COLORS, STAGE_COLORS
from dashboards.selectors.regions import Regions
from funding.selectors import region_share_rule
from portfolio.stages import Stage

# Events are the network's regional work, so they take the regional level's colour.
EVENT_COLOR = LEVEL_COLORS["regional"]
ROW_HEIGHT = 24



def _panels() -> list[tuple[str, str, str, str]]:
    # (attribute, title, colour, hover number format)
    return [
        ("events", _("Events hosted"), EVENT_COLOR, "%{x:,d}"),
        ("participants", _("Participants"), EVENT_COLOR, "%{x:,d}"),
        ("ideas", _("Ideas involving the region"), STAGE_COLORS[Stage.IDEA], "%{x:,d}"),
        ("granted", _("€ granted, shared out"), GRANTED_COLOR, "%{x:,.0f} €"),
    ]


def figure(rows: Regions) -> go.Figure:
    panels = _panels()
    figure = base_figure()
    # Small multiples: one bar chart per measure, the regions shared down the side, since
    # the four measures have units too different for one axis.
    figure.set_subplots(
        rows=1,
        cols=len(panels),
        shared_yaxes=True,
        horizontal_spacing=0.03,
        subplot_titles=[title for _attribute, title, _color, _format in panels],
    )
    names = [row.name for row in rows.rows]
    for column, (attribute, title, color, number) in enumerate(panels, start=1):
        values = [getattr(row, attribute) for row in rows.rows]
        figure.add_trace(
            go.Bar(
                name=title,
                orientation="h",
                y=names,
                x=[float(value) if isinstance(value, Decimal) else value for value in values],
                marker={"color": color},
                hovertemplate="%{y}<br>" + title + ": " + number + "<extra></extra>",
            ),
            row=1,
            col=column,
        )
        figure.update_xaxes(
            rangemode="tozero",
            tickformat=",d" if attribute != "granted" else ",.0f",
            # Euro amounts are long; fewer ticks keep them level and legible.
            nticks=3 if attribute == "granted" else None,
            # Without data every axis would show 0–1 with fractions; keep whole numbers.
            range=None if any(values) else [0, 1],
            # Counts under five would get half-step ticks that ",d" writes as 0, 1, 1, 2…
            dtick=1 if attribute != "granted" and max(values, default=0) < 5 else None,
            automargin=True,
            row=1,
            col=column,
        )
    figure.update_yaxes(autorange="reversed", automargin=True, type="category")
    figure.update_layout(
        showlegend=False,
        height=ROW_HEIGHT * max(len(rows.rows), 1) + 80,
        margin={"t": 40},
    )
    return figure


def events_text(events: int, hosts: int, participants: int) -> str:
    """“3 events hosted in 2 regions, 115 participants”, each number with its own plural."""
    return _("%(events)s in %(regions)s, %(participants)s") % {
        "events": ngettext("%(count)s event hosted", "%(count)s events hosted", events)
        % {"count": whole_text(events)},
        "regions": ngettext("%(count)s region", "%(count)s regions", hosts)
        % {"count": whole_text(hosts)},
        "participants": ngettext("%(count)s participant", "%(count)s participants", participants)
        % {"count": whole_text(participants)},
    }


def caption(rows: Regions) -> str:
    if rows.is_empty:
        return _("No events, ideas or funding decisions in any region in the period.")
    if rows.events:
        parts = [events_text(rows.events, rows.hosts, rows.participants)]
    else:
        parts = [_("No events hosted")]
    if top := rows.top("ideas"):
        parts.append(
            _("most ideas involve %(region)s (%(ideas)s)")
            % {"region": top.name, "ideas": whole_text(top.ideas)}
        )
    if top := rows.top("granted"):
        parts.append(
            _("the largest share of the € granted went to %(region)s (%(granted)s of %(total)s)")
            % {"region": top.name, "granted": euros_text(top.granted), "total": euros_text(rows.granted)}
        )
    return "; ".join(parts) + ". " + region_share_rule()


def table(rows: Regions) -> Table:
    """Every region, a “no region” row when some € could not be placed, and a total row: the
    € column adds up to the total granted; ideas involving a region are not added up, since
    an idea counts in each of its regions."""
    lines = [
        [row.name, row.events, row.participants, row.ideas, row.granted] for row in rows.rows
    ]
    if rows.unplaced:
        lines.append([_("No region"), None, None, None, rows.unplaced])
    lines.append([_("Total"), rows.events, rows.participants, None, rows.granted])
    return Table(
        columns=[
            Column(_("Region")),
            Column(_("Events hosted")),
            Column(_("Participants")),
            Column(_("Ideas involving the region (not added up)")),
            Column(_("€ granted, shared out"), MONEY),
        ],
        rows=lines,
    )
