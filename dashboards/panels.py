"""The dashboard's panels: each joins a selector (numbers from the database) to its chart
module (figure, caption, table), and renders them for the page or the xlsx download."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, fields, is_dataclass, replace
from datetime import date
from decimal import Decimal
from types import ModuleType
from typing import Any

from django.utils.formats import date_format, number_format
from django.utils.functional import Promise
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _

from core.figures import script_safe
from core.formatting import euros_text, percent_text, ratio_text
from dashboards.charts import DATE, MONEY, PERCENT, RATIO, SIGNED, Table
from dashboards.charts import activity as activity_chart
from dashboards.charts import balance as balance_chart
from dashboards.charts import events as events_chart
from dashboards.charts import flow as flow_chart
from dashboards.charts import funding as funding_chart
from dashboards.charts import funnel as funnel_chart
from dashboards.charts import leverage as leverage_chart
from dashboards.charts import regions as regions_chart
from dashboards.charts import time_in_stage as time_in_stage_chart
from dashboards.comparison import Comparison, compare
from dashboards.selectors import DashboardData
from dashboards.selectors.activity import activity
from dashboards.selectors.balance import METRICS, balance
from dashboards.selectors.events import events
from dashboards.selectors.flow import flow
from dashboards.selectors.funding import funding
from dashboards.selectors.funnel import funnel
from dashboards.selectors.leverage import default_window, leverage, window_keys
from dashboards.selectors.regions import regions
from dashboards.selectors.time_in_stage import time_in_stage


@dataclass(frozen=True)
class Panel:
    key: str
    title: Promise
    select: Callable[[DashboardData], Any]
    chart: ModuleType
    # Options from the address that this panel's figure, caption and table take.
    options: tuple[str, ...] = ()
    # Of those, the ones its selector takes too (the window decides what is counted).
    select_options: tuple[str, ...] = ()


PANELS: list[Panel] = [
    Panel("balance", _("Portfolio balance"), balance, balance_chart, options=("metric",)),
    Panel("funnel", _("Pipeline funnel"), funnel, funnel_chart),
    Panel("flow", _("From events to outcomes"), flow, flow_chart),
    Panel("funding", _("Funding by instrument"), funding, funding_chart),
    Panel(
        "leverage", _("Network leverage"), leverage, leverage_chart,
        options=("window",), select_options=("window",),
    ),
    Panel(
        "events", _("Outcomes per event"), events, events_chart,
        options=("window",), select_options=("window",),
    ),
    Panel("time_in_stage", _("Time in stage"), time_in_stage, time_in_stage_chart),
    Panel("activity", _("Activity per quarter"), activity, activity_chart),
    Panel("regions", _("Regions"), regions, regions_chart),
]
PANELS_BY_KEY = {panel.key: panel for panel in PANELS}


def panel_options(panel: Panel, query, *, period_chosen: bool = False) -> dict[str, str]:
    """The panel's options from the query string, each checked; a bad value is the default
    (for the window, the chosen period's when there is one)."""
    options = {}
    if "metric" in panel.options:
        metric = query.get("metric")
        options["metric"] = metric if metric in METRICS else METRICS[0]
    if "window" in panel.options:
        window = query.get("window")
        options["window"] = window if window in window_keys() else default_window(period_chosen)
    return options


def select_rows(panel: Panel, data: DashboardData, options: dict[str, str]) -> Any:
    """The panel's rows, its selector given the options it takes."""
    return panel.select(data, **{name: options[name] for name in panel.select_options})


def cell_text(value: Any, number_format_name: str | None) -> str:
    """A table cell as the page shows it, in the active language's number format."""
    if value is None or value == "":
        return "—"
    if number_format_name == PERCENT:
        return percent_text(value)
    if number_format_name == RATIO:
        return ratio_text(value)
    if number_format_name == MONEY:
        return euros_text(value)
    if number_format_name == SIGNED:
        text = number_format(abs(value), force_grouping=True)
        return f"+{text}" if value > 0 else f"−{text}" if value < 0 else "0"
    if number_format_name == DATE and isinstance(value, date):
        return date_format(value, "SHORT_DATE_FORMAT")
    if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
        return number_format(value, force_grouping=True)
    return str(value)


@dataclass(frozen=True)
class RenderedPanel:
    key: str
    title: str
    caption: str
    figure_json: SafeString
    table: Table
    options: dict[str, str]
    # Further tables a chart shows under its main one, as (heading, table).
    extra_tables: list[tuple[str, Table]] = field(default_factory=list)
    # With a period chosen: the headline figures beside the previous period's and the same
    # period's a year earlier.
    comparison: Comparison | None = None

    @property
    def tables_text(self) -> list[tuple[str, Table, list[list[str]]]]:
        """Every table with its cells as the page shows them; the first has no heading."""
        shown = [("", self.table), *self.extra_tables]
        return [(heading, table, table_text(table)) for heading, table in shown]


def table_text(table: Table) -> list[list[str]]:
    formats = [column.number_format for column in table.columns]
    return [[cell_text(value, fmt) for value, fmt in zip(row, formats)] for row in table.rows]


def panel_rows(
    panel: Panel, data: DashboardData, options: dict[str, str]
) -> tuple[Any, Comparison | None]:
    """The panel's rows, and with a period chosen its comparison: the same selector over the
    previous period and over the same period a year earlier (so the comparison costs the
    panel's queries twice more, and nothing without a period).

    Rows with a ``previous`` field (the balance heatmap's change metric) are given the
    previous period's rows."""
    rows = select_rows(panel, data, options)
    if not data.period_chosen:
        return rows, None
    period = data.period
    before = select_rows(panel, data.for_period(period.previous()), options)
    # A year's previous period is also the same period a year earlier: read once.
    year_earlier = (
        before
        if period.year_earlier() == period.previous()
        else select_rows(panel, data.for_period(period.year_earlier()), options)
    )
    if is_dataclass(rows) and "previous" in {f.name for f in fields(rows)}:
        rows = replace(rows, previous=before)
    return rows, compare(panel.key, period, rows, before, year_earlier)


def dated_caption(caption: str, data: DashboardData) -> str:
    """The caption saying the day its figures are as at (the period's end, or today), in the
    one phrase every panel uses, unless the caption already says it."""
    as_at = data.period.as_at_text
    if as_at in caption:
        return caption
    figures = _("Figures %(as_at)s.") % {"as_at": as_at}
    return f"{caption} {figures}"


def render_panel(panel: Panel, data: DashboardData, query) -> RenderedPanel:
    options = panel_options(panel, query, period_chosen=data.period_chosen)
    rows, comparison = panel_rows(panel, data, options)
    return RenderedPanel(
        key=panel.key,
        title=str(panel.title),
        caption=dated_caption(panel.chart.caption(rows, **options), data),
        figure_json=script_safe(panel.chart.figure(rows, **options).to_json()),
        table=panel.chart.table(rows, **options),
        options=options,
        extra_tables=getattr(panel.chart, "extra_tables", lambda rows: [])(rows),
        comparison=comparison,
    )


def panel_table(panel: Panel, data: DashboardData, query) -> Table:
    return panel_tables(panel, data, query)[0]


def panel_tables(
    panel: Panel, data: DashboardData, query
) -> tuple[Table, Comparison | None]:
    """The panel's data table for the download, and its comparison when a period is chosen."""
    options = panel_options(panel, query, period_chosen=data.period_chosen)
    rows, comparison = panel_rows(panel, data, options)
    return panel.chart.table(rows, **options), comparison
