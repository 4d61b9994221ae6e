"""The pipeline funnel, and the reasons ideas were dropped."""

from __future__ import annotations

import plotly.graph_objects as go
from django.utils.translation import gettext as _
from plotly.subplots import make_subplots

from core.figures import BASE_LAYOUT, plain
from core.formatting import percent_text, share_of
from dashboards.charts import PERCENT, Column, Table
from dashboards.charts.colors import STAGE_COLORS
from dashboards.selectors.funnel import PATH, Funnel


def figure(rows: Funnel) -> go.Figure:
    # The reasons go below the funnel: long sentences need the whole width.
    figure = make_subplots(
        rows=2,
        cols=1,
        row_heights=[0.55, 0.45],
        vertical_spacing=0.12,
        specs=[[{"type": "funnel"}], [{"type": "bar"}]],
        subplot_titles=[_("Ideas reaching each stage"), _("Why ideas were dropped")],
    )
    figure.update_layout(**BASE_LAYOUT, height=640, showlegend=False)
    figure.update_layout(margin={"t": 40})
    labels = [str(stage.label) for stage in PATH]
    figure.add_trace(
        go.Funnel(
            y=labels,
            x=[rows.reached.get(stage, 0) for stage in PATH],
            customdata=[percent_text(rows.conversion(stage)) for stage in PATH],
            marker={"color": [STAGE_COLORS[stage] for stage in PATH]},
            textinfo="value",
            hovertemplate="%{y}: %{x}<br>"
            + _("from the previous stage")
            + ": %{customdata}<extra></extra>",
        ),
        row=1,
        col=1,
    )
    reasons = list(reversed(rows.reasons))
    figure.add_trace(
        go.Bar(
            orientation="h",
            y=[plain(reason) if reason else _("(no reason given)") for reason, _count in reasons],
            x=[count for _reason, count in reasons],
            marker={"color": STAGE_COLORS["dropped"]},
            hovertemplate="%{y}: %{x}<extra></extra>",
        ),
        row=2,
        col=1,
    )
    figure.update_yaxes(automargin=True)
    return figure


def caption(rows: Funnel) -> str:
    started = rows.reached.get(PATH[0], 0)
    return _(
        "Of %(started)s ideas, %(application)s reached a funding application and "
        "%(implementation)s implementation (%(share)s); %(dropped)s were dropped."
    ) % {
        "started": started,
        "application": rows.reached.get("application", 0),
        "implementation": rows.reached.get("implementation", 0),
        "share": percent_text(share_of(rows.reached.get("implementation", 0), started)),
        "dropped": rows.dropped,
    }


def table(rows: Funnel) -> Table:
    lines = [
        [str(stage.label), rows.reached.get(stage, 0), rows.conversion(stage)] for stage in PATH
    ]
    lines.append([_("Dropped"), rows.dropped, None])
    lines += [[_("Dropped: %(reason)s") % {"reason": reason or "—"}, n, None] for reason, n in rows.reasons]
    return Table(
        columns=[
            Column(_("Stage")),
            Column(_("Ideas")),
            Column(_("Conversion from the previous stage"), PERCENT),
        ],
        rows=lines,
    )
