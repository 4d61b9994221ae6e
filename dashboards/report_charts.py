"""The PDF pack's charts: the dashboards' chart data drawn by matplotlib as SVG text.

Pure functions: a selector's rows in, an SVG document out; no ORM. The plotly figures of
``dashboards.charts`` are interactive and need a browser to become an image, so the pack
draws the same numbers again with matplotlib, which needs neither a browser nor a display.

Every chart is drawn at the size it is printed (its width is the A4 page's text width), so
its 9 pt type stays 9 pt on paper. Text stays text (``svg.fonttype: none``): WeasyPrint
sets it in the page's embedded font, and the figures in a chart can be searched and copied.
The same rows always give the same bytes: the SVG ids come from a fixed salt and the file
carries no date.
"""

from __future__ import annotations

import io
import textwrap
from collections.abc import Callable, Sequence
from datetime import date

import matplotlib
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, MaxNLocator

from core.formatting import percent_text
from dashboards.charts.colors import (
    GRANTED_COLOR,
    LEVEL_COLORS,
    REQUESTED_COLOR,
    STAGE_COLORS,
)
from dashboards.selectors.balance import Balance
from dashboards.selectors.funding import Funding
from dashboards.selectors.funnel import PATH, Funnel
from dashboards.selectors.leverage import Leverage

# The A4 page's text width (210 mm less two 18 mm margins), in inches.
WIDTH = (210 - 2 * 18) / 25.4
FONT_SIZE = 9
BUDGET_COLOR = "#7f7f7f"
RC = {
    "svg.fonttype": "none",
    "svg.hashsalt": "salkku-report",
    "font.family": "DejaVu Sans",
    "font.size": FONT_SIZE,
    "axes.titlesize": FONT_SIZE + 1,
    "axes.labelsize": FONT_SIZE,
    "xtick.labelsize": FONT_SIZE,
    "ytick.labelsize": FONT_SIZE,
    "legend.fontsize": FONT_SIZE,
    "axes.spines.top": False,
    "axes.spines.right": False,
}

Text = Callable[[float], str]


def _svg(draw: Callable[[], Figure]) -> str:
    """The figure ``draw`` makes, as an SVG document without a date in it."""
    with matplotlib.rc_context(RC):
        figure = draw()
        out = io.StringIO()
        figure.savefig(out, format="svg", metadata={"Date": None, "Creator": "Salkku"})
    return out.getvalue()


def _figure(height: float) -> Figure:
    return Figure(figsize=(WIDTH, height), layout="constrained")


def _empty(figure: Figure, message: str) -> Figure:
    axes = figure.add_subplot()
    axes.set_axis_off()
    axes.text(0.5, 0.5, message, ha="center", va="center", transform=axes.transAxes)
    return figure


def balance_svg(rows: Balance, *, counted: Text, empty: str, title: str) -> str:
    """Ideas created in the period per theme × region, a gap left blank; each theme's and
    region's total in its label, as on the dashboard's heatmap."""

    def draw() -> Figure:
        themes, regions = rows.themes, rows.regions
        # Room above the cells for the regions' names, written upwards.
        figure = _figure(max(2.4, 0.36 * len(themes) + 2.2))
        if not themes or not regions or not rows.total.get("ideas"):
            return _empty(figure, empty)
        axes = figure.add_subplot()
        axes.set_title(title, loc="left")
        values = [[int(rows.value(theme, region, "ideas")) for region in regions]
                  for theme in themes]
        top = max(max(line) for line in values) or 1
        shown = [[value if value else float("nan") for value in line] for line in values]
        axes.imshow(shown, cmap="Blues", vmin=0, vmax=top * 1.15, aspect="auto")
        for y, line in enumerate(values):
            for x, value in enumerate(line):
                if value:
                    color = "white" if value > top * 0.6 else "black"
                    axes.text(x, y, counted(value), ha="center", va="center", color=color)
        axes.set_xticks(
            range(len(regions)),
            [f"{r.name} ({counted(rows.region_totals.get(r.pk, {}).get('ideas', 0))})"
             for r in regions],
            rotation=90, ha="center",
        )
        axes.xaxis.tick_top()
        axes.set_yticks(
            range(len(themes)),
            # Wrapped, a long theme name leaves the cells most of the width.
            [textwrap.fill(f"{t.name} ({counted(rows.theme_totals.get(t.pk, {}).get('ideas', 0))})",
                           32) for t in themes],
        )
        axes.tick_params(length=0)
        axes.set_facecolor("#f3f4f6")
        for side in axes.spines.values():
            side.set_visible(False)
        return figure

    return _svg(draw)


def funnel_svg(rows: Funnel, *, labels: Sequence[str], counted: Text, empty: str,
               title: str) -> str:
    """Ideas created in the period reaching each stage of the path, with the share that
    went on from the stage before."""

    def draw() -> Figure:
        figure = _figure(2.6)
        reached = [rows.reached.get(stage, 0) for stage in PATH]
        if not reached[0]:
            return _empty(figure, empty)
        axes = figure.add_subplot()
        axes.set_title(title, loc="left")
        positions = range(len(PATH))
        axes.barh(positions, reached, color=[STAGE_COLORS[stage] for stage in PATH])
        axes.set_yticks(positions, labels)
        axes.invert_yaxis()
        for y, (stage, count) in enumerate(zip(PATH, reached, strict=True)):
            conversion = rows.conversion(stage)
            text = counted(count)
            if conversion is not None:
                text += f"  ({percent_text(conversion)})"
            axes.text(count, y, f" {text}", va="center")
        axes.set_xlim(0, max(reached) * 1.3)
        axes.xaxis.set_major_locator(MaxNLocator(integer=True))
        axes.xaxis.set_major_formatter(FuncFormatter(lambda value, _pos: counted(value)))
        return figure

    return _svg(draw)


def funding_svg(rows: Funding, *, euros: Text, legend: tuple[str, str], empty: str,
                title: str) -> str:
    """€ requested and € granted in the period per instrument, as grouped bars."""

    def draw() -> Figure:
        lines = rows.instruments
        figure = _figure(max(2.2, 0.42 * len(lines) + 1.4))
        if not lines:
            return _empty(figure, empty)
        axes = figure.add_subplot()
        axes.set_title(title, loc="left")
        height = 0.38
        for offset, name, color, label in (
            (-height / 2, "requested", REQUESTED_COLOR, legend[0]),
            (height / 2, "granted", GRANTED_COLOR, legend[1]),
        ):
            axes.barh(
                [index + offset for index in range(len(lines))],
                [float(getattr(row, name)) for row in lines],
                height=height, color=color, label=label,
            )
        # An instrument's name is long ("AKKE — Alueiden kestävän kasvun ja elinvoiman
        # tukeminen"): wrapped, it leaves the bars most of the width.
        axes.set_yticks(range(len(lines)), [textwrap.fill(row.label, 28) for row in lines])
        axes.invert_yaxis()
        axes.xaxis.set_major_locator(MaxNLocator(nbins=4))
        axes.xaxis.set_major_formatter(FuncFormatter(lambda value, _pos: euros(value)))
        axes.legend(loc="lower right", frameon=False)
        return figure

    return _svg(draw)


def leverage_svg(rows: Leverage, *, euros: Text, day: Callable[[date], str],
                 legend: tuple[str, str, str], title: str) -> str:
    """€ granted to ideas born at the network's events, cumulative by decision day, against
    the network's own funding and its total budget."""

    def draw() -> Figure:
        figure = _figure(3.2)
        axes = figure.add_subplot()
        axes.set_title(title, loc="left")
        days = [rows.start] + [d.day for d in rows.days] + [rows.end]
        amounts = [0.0] + [float(d.cumulative) for d in rows.days] + [float(rows.granted)]
        # Plain day numbers on the axis, placed and written here: matplotlib's date axis
        # would write month names in English.
        first = days[0].toordinal()
        x = [d.toordinal() - first for d in days]
        axes.step(x, amounts, where="post", color=GRANTED_COLOR, linewidth=2, label=legend[0])
        axes.fill_between(x, amounts, step="post", color=GRANTED_COLOR, alpha=0.12)
        for amount, color, style, label in (
            (rows.own_funding, LEVEL_COLORS["regional"], "--", legend[1]),
            (rows.budget, BUDGET_COLOR, ":", legend[2]),
        ):
            axes.axhline(float(amount), color=color, linestyle=style, linewidth=1.5,
                         label=label)
        span = max(x[-1], 1)
        ticks = sorted({round(span * step / 4) for step in range(5)})
        axes.set_xticks(ticks, [day(date.fromordinal(first + tick)) for tick in ticks])
        axes.set_xlim(0, span)
        axes.set_ylim(0, max(amounts + [float(rows.own_funding), float(rows.budget)]) * 1.1)
        axes.yaxis.set_major_locator(MaxNLocator(nbins=5))
        axes.yaxis.set_major_formatter(FuncFormatter(lambda value, _pos: euros(value)))
        figure.legend(loc="outside lower center", ncols=2, frameon=False)
        return figure

    return _svg(draw)

