"""The pipeline funnel, and the reasons ideas were dropped."""

from __future__ import annotations

import plotly.graph_objects as go
from django.utils.translation import gettext as _
from plotly.subplots import make_subplots

from core.figures import BASE_LAYOUT, plain
from core.formatting import percent_text, share_of
from dashboards.charts import PERCENT, Column, Table
from dashboards.charts.colors import STAGE_COLORS
from dashboards.filters import as_at_text
from dashboards.selectors.funnel import PATH, Funnel
from portfolio.selectors import drops as definitions


def figure(rows: Funnel) -> go.Figure:
    # The reasons go below the funnel: long sentences need the whole width.
    figure = make_subplots(
        rows=2,
        cols=1,
        row_heights=[0.55, 0.45],
        vertical_spacing=0.12,
        specs=[[{"type": "funnel"}], [{"type": "bar"}]],
        subplot_titles=[
            _("Ideas reaching each stage"),
            _("Why ideas were dropped: each ever-dropped idea under its latest reason"),
        ],
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
    # Every ever-dropped idea is in one bar, "other reasons" included: the bars add up.
    reasons = list(reversed(rows.drops.reason_rows()))
    figure.add_trace(
        go.Bar(
            orientation="h",
            y=[plain(reason) for reason, _count in reasons],
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
    implementation = rows.reached.get("implementation", 0)
    values = {
        "started": started,
        "application": rows.reached.get("application", 0),
        "implementation": implementation,
        "share": percent_text(share_of(implementation, started)),
        "as_at": as_at_text(rows.as_at) if rows.as_at else "",
        "now": rows.drops.now,
        "ever": rows.drops.ever,
        "revived": rows.drops.revived,
    }
    return _(
        "Of %(started)s ideas created in the period, %(application)s had reached a funding "
        "application and %(implementation)s implementation (%(share)s) %(as_at)s. "
        "Dropped now: %(now)s; ever dropped: %(ever)s (%(revived)s of them revived)."
    ) % values + " " + str(definitions.DEFINITION)


def table(rows: Funnel) -> Table:
    lines = [
        [str(stage.label), rows.reached.get(stage, 0), rows.conversion(stage)] for stage in PATH
    ]
    lines.append([str(definitions.DROPPED_NOW), rows.drops.now, None])
    lines.append([str(definitions.EVER_DROPPED), rows.drops.ever, None])
    lines.append([str(definitions.REVIVED), rows.drops.revived, None])
    # The reasons add up to the ever dropped.
    lines += [
        [_("Ever dropped, reason: %(reason)s") % {"reason": reason}, n, None]
        for reason, n in rows.drops.reason_rows()
    ]
    return Table(
        columns=[
            Column(_("Stage")),
            Column(_("Ideas")),
            Column(_("Conversion from the previous stage"), PERCENT),
        ],
        rows=lines,
    )
