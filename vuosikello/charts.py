"""The year wheel: a pure function from calendar items to a polar Plotly figure. No ORM.

The year runs clockwise from the top, twelve month sectors around the circle; each
category has its own ring, so entries of the same day do not hide each other.
"""

from __future__ import annotations

import calendar
from collections.abc import Sequence
from datetime import date

import plotly.graph_objects as go
from django.utils.dates import MONTHS
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from core.figures import BASE_LAYOUT, plain, say_empty
from vuosikello.models import Category
from vuosikello.selectors import CalendarItem

CATEGORY_COLORS = {
    Category.ROADSHOW: "#1f4e79",
    Category.CALL_DEADLINE: "#c0392b",
    Category.REPORT_DUE: "#d98c1f",
    Category.STEERING_GROUP: "#2e8b57",
    Category.THEME_GROUP: "#6a4c93",
    Category.NATIONAL_EVENT: "#16a085",
    Category.OTHER: "#5d6d7e",
}
# Rings from the centre out, in the categories' order; the month sectors fill to OUTER.
RING_STEP = 1.0
INNER = 2.0
OUTER = INNER + RING_STEP * len(Category)
SECTOR_COLORS = ("#eef3f8", "#f8fafc")
TODAY_COLOR = "#b00020"


def day_angle(day: date) -> float:
    """Degrees clockwise from the top: the middle of ``day`` within its year."""
    days = 366 if calendar.isleap(day.year) else 365
    return (day.timetuple().tm_yday - 0.5) / days * 360


def _month_span(year: int, month: int) -> tuple[float, float]:
    start = day_angle(date(year, month, 1)) - day_angle(date(year, 1, 1))
    last = calendar.monthrange(year, month)[1]
    end = day_angle(date(year, month, last)) - day_angle(date(year, 1, 1)) + 360 / (
        366 if calendar.isleap(year) else 365
    )
    return start, end


def _ring(category: str) -> float:
    return INNER + RING_STEP * (list(Category).index(category) + 0.5)


def item_date_text(item: CalendarItem) -> str:
    if item.all_day:
        text = date_format(item.start, "SHORT_DATE_FORMAT")
        if item.end and item.end != item.start:
            text += "–" + date_format(item.end, "SHORT_DATE_FORMAT")
        return text
    return date_format(item.start, "SHORT_DATETIME_FORMAT")


def figure(items: Sequence[CalendarItem], *, year: int, today: date | None = None) -> go.Figure:
    """The wheel of ``year``; ``today`` is marked when it falls in that year."""
    figure = go.Figure()
    figure.update_layout(**BASE_LAYOUT)
    figure.update_layout(
        height=620,
        margin={"l": 40, "r": 40, "t": 30, "b": 30},
        legend={"orientation": "h", "y": -0.05, "x": 0.5, "xanchor": "center"},
        polar={
            "bgcolor": "rgba(0,0,0,0)",
            "hole": 0.12,
            "radialaxis": {"visible": False, "range": [0, OUTER]},
            "angularaxis": {
                "rotation": 90,
                "direction": "clockwise",
                "tickmode": "array",
                "tickvals": [sum(_month_span(year, m)) / 2 for m in range(1, 13)],
                "ticktext": [str(MONTHS[m]).capitalize() for m in range(1, 13)],
                "showgrid": False,
                "showline": False,
                "ticks": "",
            },
        },
    )
    spans = [_month_span(year, m) for m in range(1, 13)]
    figure.add_trace(
        go.Barpolar(
            r=[OUTER] * 12,
            theta=[(start + end) / 2 for start, end in spans],
            width=[end - start for start, end in spans],
            marker={
                "color": [SECTOR_COLORS[m % 2] for m in range(12)],
                "line": {"color": "#c9d3dd", "width": 1},
            },
            hoverinfo="skip",
            showlegend=False,
            name="",
        )
    )
    for category in Category:
        shown = [item for item in items if item.category == category]
        if not shown:
            continue
        figure.add_trace(
            go.Scatterpolar(
                r=[_ring(category)] * len(shown),
                theta=[day_angle(item.day) for item in shown],
                mode="markers",
                name=str(category.label),
                marker={
                    "color": CATEGORY_COLORS[category],
                    "size": 11,
                    "line": {"color": "#ffffff", "width": 1},
                },
                customdata=[[plain(item.title), item_date_text(item)] for item in shown],
                hovertemplate="<b>%{customdata[0]}</b><br>%{customdata[1]}<extra>"
                + plain(str(category.label))
                + "</extra>",
            )
        )
    if today is not None and today.year == year:
        angle = day_angle(today)
        figure.add_trace(
            go.Scatterpolar(
                r=[0, OUTER],
                theta=[angle, angle],
                mode="lines",
                name=_("Today"),
                line={"color": TODAY_COLOR, "width": 2, "dash": "dot"},
                hovertemplate=_("Today")
                + ": "
                + date_format(today, "SHORT_DATE_FORMAT")
                + "<extra></extra>",
            )
        )
    if not items:
        say_empty(figure, _("No entries this year."))
    return figure
