"""Comparison: each panel's headline figures for the chosen period beside the previous period
and the same period a year earlier, with the change.

Pure functions: a panel's rows in (from its selector, for each of the three periods),
figures, sentences and tables out; no ORM. A panel takes part by having a headline function
in ``HEADLINES``, so no chart module needs to know about comparisons.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils.formats import number_format
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from core.formatting import (
    percent_text,
    percent_value,
    ratio_text,
    round_half_up,
    share_of,
    whole_text,
)
from core.spreadsheets import MONEY_FORMAT, Formatted
from dashboards.charts import Column, Table
from dashboards.filters import QUARTER, YEAR, Period
from portfolio.stages import Stage

# What a figure is, which decides how it is rounded, written and changed.
MONEY, COUNT, PERCENT, RATIO, DAYS = "money", "count", "percent", "ratio", "days"
UP, DOWN, SAME = "up", "down", "same"
ARROWS = {UP: "▲", DOWN: "▼", SAME: "="}

Number = int | Decimal


@dataclass(frozen=True)
class Headline:
    """One figure a panel is read by: its name, its value in one period, and its kind."""

    label: str
    value: int | float | Decimal | None
    kind: str = COUNT
    # The figure the caption's comparison sentence is about; else the panel's first.
    main: bool = False


def rounded(value: float | Decimal | None, kind: str) -> Number | None:
    """The value as the page shows it, so a change can be checked by hand from the shown
    figures (66,7 % − 33,3 % = 33,4 points, not 33,3)."""
    if value is None:
        return None
    if kind == COUNT:
        return int(value)
    if kind == PERCENT:
        return percent_value(value)
    if kind in (RATIO, DAYS):
        return round_half_up(value)
    return Decimal(str(value))


def value_text(value: Number | None, kind: str) -> str:
    if value is None:
        return "—"
    if kind == MONEY:
        return f"{whole_text(value)}\xa0€"
    if kind == PERCENT:
        return percent_text(value)
    if kind == RATIO:
        return ratio_text(value)
    if kind == DAYS:
        return number_format(round_half_up(value, 1), 1, force_grouping=True)
    return whole_text(value)


@dataclass(frozen=True)
class Change:
    """From ``old`` (the earlier period) to ``new`` (the chosen one)."""

    old: Number | None
    new: Number | None
    kind: str

    @property
    def delta(self) -> Number | None:
        if self.old is None or self.new is None:
            return None
        return self.new - self.old

    @property
    def direction(self) -> str | None:
        delta = self.delta
        if delta is None:
            return None
        return UP if delta > 0 else DOWN if delta < 0 else SAME

    @property
    def share(self) -> Decimal | None:
        """The change ÷ the earlier value; None when there is no earlier value to divide by."""
        if self.delta is None:
            return None
        return share_of(self.delta, self.old)

    @property
    def arrow(self) -> str:
        return ARROWS.get(self.direction, "")

    @property
    def word(self) -> str:
        """What the arrow says, for screen readers."""
        return {UP: _("up"), DOWN: _("down"), SAME: _("unchanged")}.get(self.direction, "")

    @property
    def amount_text(self) -> str:
        """The size of the change without its sign (the arrow gives the direction); a
        change of a percentage is in percentage points."""
        delta = self.delta
        if delta is None:
            return "—"
        if self.kind == PERCENT:
            points = round_half_up(abs(delta) * 100)
            return _("%(points)s pp") % {"points": number_format(points, 1, force_grouping=True)}
        return value_text(abs(delta), self.kind)

    @property
    def percent_text(self) -> str:
        """"+33,3 %", "−25,0 %", "0,0 %"; "—" when the earlier value is zero or missing."""
        share = self.share
        if share is None:
            return "—"
        sign = "+" if share > 0 else "−" if share < 0 else ""
        return sign + percent_text(abs(share))

    @property
    def text(self) -> str:
        """"▲ 3", "▼ 1 200 €", "= 0"; "—" when either value is missing."""
        if self.direction is None:
            return "—"
        return f"{self.arrow}\xa0{self.amount_text}"

    @property
    def html(self) -> SafeString:
        """As ``text``, with the arrow hidden from screen readers and said in words."""
        if self.direction is None:
            return mark_safe("—")
        return format_html(
            '<span class="change change-{}"><span aria-hidden="true">{}</span>'
            '<span class="visually-hidden">{}</span>\xa0{}</span>',
            self.direction,
            self.arrow,
            self.word,
            self.amount_text,
        )

    def summary(self, html: bool = False) -> str:
        """The change in the caption's brackets: "▲ 3, +33,3 %", "▲ 3" (from zero),
        "= unchanged"; with ``html``, safe markup."""
        if self.direction is None:
            return "—"
        if self.direction == SAME:
            unchanged = _("unchanged")
            if html:
                return format_html('<span aria-hidden="true">=</span>\xa0{}', unchanged)
            return f"=\xa0{unchanged}"
        if self.share is None:
            return self.html if html else self.text
        if html:
            return format_html("{}, {}", self.html, self.percent_text)
        return f"{self.text}, {self.percent_text}"


@dataclass(frozen=True)
class ComparedFigure:
    label: str
    kind: str
    current: Number | None
    previous: Number | None
    year_earlier: Number | None

    @property
    def from_previous(self) -> Change:
        return Change(self.previous, self.current, self.kind)

    @property
    def from_year_earlier(self) -> Change:
        return Change(self.year_earlier, self.current, self.kind)


def previous_name(period: Period) -> str:
    """How the sentence names the period before the chosen one."""
    if period.kind == QUARTER:
        return _("in the previous quarter")
    if period.kind == YEAR:
        return _("in the previous year")
    return _("in the as long period just before")


@dataclass(frozen=True)
class Comparison:
    period: Period
    previous: Period
    year_earlier: Period
    figures: list[ComparedFigure]
    main_index: int = 0

    @property
    def main(self) -> ComparedFigure:
        return self.figures[self.main_index]

    def sentence(self, html: bool = False) -> str:
        """The caption's comparison of the main figure, e.g. "Ideas created in the previous
        quarter, Q1/2023: 12 (▲ 3, +33,3 %); a year earlier, Q2/2022: 9 (▲ 6, +66,7 %)."
        With ``html``, safe markup whose arrows screen readers read as words."""
        main = self.main
        escape = conditional_escape if html else str
        text = _(
            "%(figure)s %(previous_name)s, %(previous)s: %(previous_value)s "
            "(%(previous_change)s); a year earlier, %(year)s: %(year_value)s (%(year_change)s)."
        )
        values = {
            "figure": escape(main.label),
            "previous_name": escape(previous_name(self.period)),
            "previous": escape(self.previous.label()),
            "previous_value": escape(value_text(main.previous, main.kind)),
            "previous_change": main.from_previous.summary(html),
            "year": escape(self.year_earlier.label()),
            "year_value": escape(value_text(main.year_earlier, main.kind)),
            "year_change": main.from_year_earlier.summary(html),
        }
        if self.year_earlier == self.previous:
            # A year's previous period is the year before: said once.
            text = _("%(figure)s %(previous_name)s, %(previous)s: %(previous_value)s (%(previous_change)s).")
        if html:
            return mark_safe(conditional_escape(text) % values)
        return text % values

    @property
    def sentence_html(self) -> SafeString:
        return self.sentence(html=True)

    @property
    def headers(self) -> list[str]:
        return [
            _("Figure"),
            self.period.label(),
            _("Previous: %(period)s") % {"period": self.previous.label()},
            _("Change"),
            _("Change %"),
            _("A year earlier: %(period)s") % {"period": self.year_earlier.label()},
            _("Change"),
            _("Change %"),
        ]

    @property
    def definition(self) -> str:
        """How the table is read, written under it on the page and in the download."""
        return _(
            "Change: the figure of %(period)s less the earlier period's; change %%: that "
            "change ÷ the earlier figure, rounded half-up to one decimal (— when the earlier "
            "figure is 0). A percentage changes in percentage points (pp). The previous "
            "period is the quarter or year before, or as many days just before; a year "
            "earlier is the same days a year before."
        ) % {"period": self.period.label()}

    def page_rows(self) -> list[list[str]]:
        """The table's cells as the page shows them (the change cells as safe markup)."""
        return [
            [
                figure.label,
                value_text(figure.current, figure.kind),
                value_text(figure.previous, figure.kind),
                figure.from_previous.html,
                figure.from_previous.percent_text,
                value_text(figure.year_earlier, figure.kind),
                figure.from_year_earlier.html,
                figure.from_year_earlier.percent_text,
            ]
            for figure in self.figures
        ]

    def table(self) -> Table:
        """The same table for the download: numbers, each cell in its figure's format; a
        change's format writes its arrow."""
        rows = []
        for figure in self.figures:
            value_format = VALUE_FORMATS[figure.kind]
            row: list[Any] = [figure.label, Formatted(figure.current, value_format)]
            for old, change in (
                (figure.previous, figure.from_previous),
                (figure.year_earlier, figure.from_year_earlier),
            ):
                delta = change.delta
                if delta is not None and figure.kind == PERCENT:
                    delta = round_half_up(delta * 100)  # percentage points
                row += [
                    Formatted(old, value_format),
                    Formatted(delta, change_format(figure.kind)),
                    Formatted(percent_value(change.share), PERCENT_CHANGE_FORMAT),
                ]
            rows.append(row)
        headers = self.headers
        blank = [None] * (len(headers) - 1)
        rows += [[None, *blank], [self.definition, *blank]]
        return Table(columns=[Column(header) for header in headers], rows=rows)


VALUE_FORMATS = {
    MONEY: MONEY_FORMAT,
    COUNT: "#,##0",
    PERCENT: "0.0 %",
    RATIO: '0.0 "×"',
    DAYS: "0.0",
}
PERCENT_CHANGE_FORMAT = "+0.0 %;-0.0 %;0.0 %"


def change_format(kind: str) -> str:
    """An Excel format writing ▲ before a rise, ▼ before a fall and = before no change (a
    format's second section shows a negative number without its minus)."""
    points = _("pp")  # percentage points
    number, unit = {
        MONEY: ("#,##0.00", ' "€"'),
        PERCENT: ("0.0", f' "{points}"'),
        RATIO: ("0.0", ' "×"'),
        DAYS: ("0.0", ""),
    }.get(kind, ("#,##0", ""))
    return ";".join(f'"{arrow} "{number}{unit}' for arrow in ("▲", "▼", "="))


# Each panel's headline figures, from its rows. The rows are the panel selector's own, so
# these read the same attributes its chart module does.


def _balance(rows: Any) -> list[Headline]:
    total = rows.total
    return [
        Headline(_("Ideas created"), total.get("ideas", 0), main=True),
        Headline(_("€ requested"), total.get("requested", 0), MONEY),
        Headline(_("€ granted"), total.get("granted", 0), MONEY),
    ]


def _funnel(rows: Any) -> list[Headline]:
    started = rows.reached.get(Stage.IDEA, 0)
    implementation = rows.reached.get(Stage.IMPLEMENTATION, 0)
    return [
        Headline(_("Ideas created"), started, main=True),
        Headline(_("Reached a funding application"), rows.reached.get(Stage.APPLICATION, 0)),
        Headline(_("Reached implementation"), implementation),
        Headline(
            _("Share reaching implementation"), share_of(implementation, started), PERCENT
        ),
        Headline(_("Dropped now"), rows.drops.now),
        Headline(_("Ever dropped"), rows.drops.ever),
    ]


def _flow(rows: Any) -> list[Headline]:
    return [
        Headline(_("Ideas created"), rows.ideas),
        Headline(_("Born at roadshow events"), rows.from_events),
        Headline(_("Funded by the period's end"), rows.funded, main=True),
    ]


def _funding(rows: Any) -> list[Headline]:
    total = rows.total
    get = (lambda name: getattr(total, name)) if total is not None else (lambda name: None)
    return [
        Headline(_("Applications submitted"), get("submitted") or 0),
        Headline(_("€ requested"), get("requested") or 0, MONEY),
        Headline(_("Decisions made"), get("decided") or 0),
        Headline(_("Applications approved"), get("approved") or 0),
        Headline(_("€ granted"), get("granted") or 0, MONEY, main=True),
        Headline(_("Success rate by count"), get("rate_by_count"), PERCENT),
        Headline(_("Success rate by €"), get("rate_by_money"), PERCENT),
    ]


def _leverage(rows: Any) -> list[Headline]:
    return [
        Headline(_("€ granted to ideas born at the network's events"), rows.granted, MONEY),
        Headline(_("Decisions"), rows.decisions),
        Headline(_("Leverage (× the network's own funding)"), rows.ratio, RATIO, main=True),
    ]


def _events(rows: Any) -> list[Headline]:
    totals = rows.totals
    return [
        Headline(_("Ideas with an application submitted"), totals.applied),
        Headline(_("€ requested"), totals.requested, MONEY),
        Headline(_("Ideas funded"), totals.funded),
        Headline(_("€ granted to ideas born at the network's events"), totals.granted, MONEY, main=True),
    ]


def _time_in_stage(rows: Any) -> list[Headline]:
    return [
        Headline(_("Stays in open stages"), rows.stays),
        Headline(_("Stalled at the end of the period"), rows.stalled_count, main=True),
        *(
            Headline(
                _("Median days in stage: %(stage)s") % {"stage": Stage(spread.stage).label},
                spread.median,
                DAYS,
            )
            for spread in rows.stages
        ),
    ]


def _activity(rows: Any) -> list[Headline]:
    return [
        Headline(_("Ideas created"), rows.created, main=True),
        Headline(_("Applications submitted"), rows.submitted),
        Headline(_("Applications approved"), rows.approved),
        Headline(_("Applications rejected"), rows.rejected),
        Headline(_("Decisions made"), rows.decided),
    ]


def _regions(rows: Any) -> list[Headline]:
    return [
        Headline(_("Events hosted"), rows.events, main=True),
        Headline(_("Participants"), rows.participants),
        Headline(_("Regions hosting events"), sum(1 for row in rows.rows if row.events)),
    ]


HEADLINES: dict[str, Callable[[Any], list[Headline]]] = {
    "balance": _balance,
    "funnel": _funnel,
    "flow": _flow,
    "funding": _funding,
    "leverage": _leverage,
    "events": _events,
    "time_in_stage": _time_in_stage,
    "activity": _activity,
    "regions": _regions,
}


def compare(
    key: str, period: Period, current: Any, previous: Any, year_earlier: Any
) -> Comparison | None:
    """The panel ``key``'s headline figures in the three periods; None for a panel without
    headline figures."""
    headline = HEADLINES.get(key)
    if headline is None:
        return None
    now, before, year = headline(current), headline(previous), headline(year_earlier)
    figures = [
        ComparedFigure(
            label=this.label,
            kind=this.kind,
            current=rounded(this.value, this.kind),
            previous=rounded(that.value, this.kind),
            year_earlier=rounded(other.value, this.kind),
        )
        for this, that, other in zip(now, before, year)
    ]
    main = next((index for index, line in enumerate(now) if line.main), 0)
    return Comparison(
        period=period,
        previous=period.previous(),
        year_earlier=period.year_earlier(),
        figures=figures,
        main_index=main,
    )
