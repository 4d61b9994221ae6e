"""Time in stage: a box plot of the days ideas stay in each open stage, the limit of the
stages judged by days as a line over those stages, and the stalled ideas as marks over
their stage's box. The rules are named in the legend, above the plot, where no label can
cover a box."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

import plotly.graph_objects as go
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core.figures import base_figure, plain, say_empty
from core.formatting import whole_text
from dashboards.charts import Column, Table
from dashboards.charts.colors import STAGE_COLORS
from dashboards.selectors.time_in_stage import StageSpread, TimeInStage
from portfolio.stages import OPEN_STAGES, Stage
from portfolio.stalled import WAITING_STAGES, definition_text, progress_days, rule_text

DAYS_FORMAT = "0.0"
# In category widths; the invisible hover bar over each box has the same width.
BOX_WIDTH = 0.6
LIMIT_LINE = {"color": "#5d6d7e", "dash": "dot", "width": 1.5}


def _days(value: float) -> str:
    return whole_text(value)


def _tenths(value: float | None) -> Decimal | None:
    # Every statistic in the table to one decimal, as the xlsx shows them too.
    return None if value is None else Decimal(str(value)).quantize(Decimal("0.1"), ROUND_HALF_UP)



def _label(stage: Stage) -> str:
    return str(Stage(stage).label)


def figure(rows: TimeInStage) -> go.Figure:
    labels = [_label(stage) for stage in OPEN_STAGES]
    figure = base_figure(
        height=430,
        showlegend=True,
        # Above the plot: the rules' names there cannot cover a box or a mark.
        legend={"orientation": "h", "x": 0, "xanchor": "left", "y": 1.02, "yanchor": "bottom"},
        hovermode="closest",
        xaxis={
            "title": {"text": _("Stage")},
            "type": "category",
            "categoryorder": "array",
            "categoryarray": labels,
            "range": [-0.5, len(labels) - 0.5],
        },
        yaxis={"title": {"text": _("Days in stage")}, "rangemode": "tozero", "tickformat": ",d"},
    )
    spreads = [spread for spread in rows.stages if spread.stays]
    if not spreads:
        say_empty(figure, _("No idea was in an open stage in the period."))
        figure.update_yaxes(range=[0, rows.stale_after_days * 2])
    for spread in spreads:
        figure.add_trace(
            go.Box(
                name=_label(spread.stage),
                x=[_label(spread.stage)],
                q1=[spread.q1],
                median=[spread.median],
                q3=[spread.q3],
                lowerfence=[spread.shortest],
                upperfence=[spread.longest],
                mean=[spread.mean],
                boxpoints=False,
                width=BOX_WIDTH,
                marker={"color": STAGE_COLORS[spread.stage]},
                line={"color": STAGE_COLORS[spread.stage]},
                hoverinfo="skip",
                showlegend=False,
            )
        )
    if spreads:
        figure.add_trace(_summary(spreads))
    if rows.stalled:
        figure.add_trace(
            go.Scatter(
                name=_("Stalled ideas"),
                x=[_label(idea.stage) for idea in rows.stalled],
                y=[idea.days for idea in rows.stalled],
                customdata=[[plain(idea.title), rule_text(idea.rule)] for idea in rows.stalled],
                mode="markers",
                marker={
                    "symbol": "diamond",
                    "size": 9,
                    "color": [STAGE_COLORS[idea.stage] for idea in rows.stalled],
                    "line": {"color": "#222222", "width": 1},
                },
                hovertemplate=(
                    "<b>%{customdata[0]}</b><br>%{x}: %{y:,d} "
                    + _("days")
                    + "<br>%{customdata[1]}<extra></extra>"
                ),
            )
        )
    # The limit applies to the idea, consortium and application stages only: the line
    # spans their columns, and its name is in the legend, not written over the boxes.
    figure.add_shape(
        type="line",
        xref="x",
        yref="y",
        x0=-0.5,
        x1=len(WAITING_STAGES) - 0.5,
        y0=rows.stale_after_days,
        y1=rows.stale_after_days,
        line=LIMIT_LINE,
    )
    figure.add_trace(
        go.Scatter(
            name=", ".join(_label(stage) for stage in WAITING_STAGES)
            + ": "
            + rule_text("idle"),
            x=[None],
            y=[None],
            mode="lines",
            line=LIMIT_LINE,
            hoverinfo="skip",
        )
    )
    # Implementation is not judged by the days in stage: its own rule, named beside.
    figure.add_trace(
        go.Scatter(
            name=_label(Stage.IMPLEMENTATION) + ": " + stage_rule(Stage.IMPLEMENTATION),
            x=[None],
            y=[None],
            mode="markers",
            marker={"symbol": "diamond-open", "size": 9, "color": "#222222"},
            hoverinfo="skip",
        )
    )
    return figure


def _summary(spreads: list[StageSpread]) -> go.Bar:
    """An invisible bar over each box, from its shortest to its longest stay, that carries
    the box's hover label: plotly.js ignores a box trace's hovertemplate and would label
    the statistics in English only. Marks of stale ideas over it still take the hover."""
    days = _("days")
    return go.Bar(
        name=_("Days in stage"),
        x=[_label(spread.stage) for spread in spreads],
        base=[spread.shortest for spread in spreads],
        y=[max(spread.longest - spread.shortest, 1) for spread in spreads],
        width=BOX_WIDTH,
        marker={"color": "rgba(0,0,0,0)", "line": {"width": 0}},
        showlegend=False,
        customdata=[
            [
                spread.stays,
                spread.median,
                spread.q1,
                spread.q3,
                spread.shortest,
                spread.longest,
                spread.mean,
                spread.ongoing,
            ]
            for spread in spreads
        ],
        hovertemplate=(
            "<b>%{x}</b><br>"
            + _("Stays")
            + ": %{customdata[0]:,d}<br>"
            + _("Median")
            + f": %{{customdata[1]:,.1~f}} {days}<br>"
            + _("Middle half")
            + f": %{{customdata[2]:,.1~f}}–%{{customdata[3]:,.1~f}} {days}<br>"
            + _("Shortest–longest")
            + f": %{{customdata[4]:,d}}–%{{customdata[5]:,d}} {days}<br>"
            + _("Mean")
            + f": %{{customdata[6]:,.1~f}} {days}<br>"
            + _("Still in the stage at the end of the period")
            + ": %{customdata[7]:,d}<extra></extra>"
        ),
    )


def stage_rule(stage: Stage) -> str:
    """When an idea in ``stage`` counts as stalled, in words."""
    if stage in WAITING_STAGES:
        return rule_text("idle")
    texts = [rule_text("past_end")]
    if progress_days():
        texts.append(rule_text("no_progress"))
    return "; ".join(texts)


def caption(rows: TimeInStage) -> str:
    values = {
        "start": date_format(rows.start, "SHORT_DATE_FORMAT"),
        "end": date_format(rows.end, "SHORT_DATE_FORMAT"),
        "stalled": whole_text(rows.stalled_count),
        "definition": definition_text(),
    }
    spreads = [spread for spread in rows.stages if spread.stays]
    if not spreads:
        return _("From %(start)s to %(end)s no idea was in an open stage.") % values
    medians = ", ".join(
        _("%(stage)s %(days)s") % {"stage": _label(spread.stage), "days": _days(spread.median)}
        for spread in spreads
    )
    return ngettext(
        "Median days in stage from %(start)s to %(end)s: %(medians)s. %(stalled)s idea was "
        "stalled on %(end)s. %(definition)s",
        "Median days in stage from %(start)s to %(end)s: %(medians)s. %(stalled)s ideas were "
        "stalled on %(end)s. %(definition)s",
        rows.stalled_count,
    ) % {**values, "medians": medians}


def table(rows: TimeInStage) -> Table:
    columns = [
        Column(_("Stage")),
        Column(_("Stays")),
        Column(_("Still in the stage at the end of the period")),
        Column(_("Shortest (days)")),
        Column(_("Lower quartile (days)"), DAYS_FORMAT),
        Column(_("Median (days)"), DAYS_FORMAT),
        Column(_("Upper quartile (days)"), DAYS_FORMAT),
        Column(_("Longest (days)")),
        Column(_("Mean (days)"), DAYS_FORMAT),
        Column(_("Stalled at the end of the period")),
        Column(_("Stalled when")),
    ]
    lines = [
        [
            _label(spread.stage),
            spread.stays,
            spread.ongoing,
            spread.shortest,
            _tenths(spread.q1),
            _tenths(spread.median),
            _tenths(spread.q3),
            spread.longest,
            _tenths(spread.mean),
            spread.stalled,
            stage_rule(spread.stage),
        ]
        for spread in rows.stages
    ]
    return Table(columns=columns, rows=lines)


def stalled_table(rows: TimeInStage) -> Table:
    """The stalled ideas the figure marks, longest in their stage first."""
    columns = [
        Column(_("Idea")),
        Column(_("Stage")),
        Column(_("Days in stage")),
        Column(_("Why stalled")),
    ]
    return Table(
        columns=columns,
        rows=[
            [idea.title, _label(idea.stage), idea.days, rule_text(idea.rule)]
            for idea in rows.stalled
        ],
    )


def extra_tables(rows) -> list[tuple[str, Table]]:
    """Shown under the panel's main table: the stalled ideas themselves."""
    return [(_("Stalled ideas"), stalled_table(rows))]
