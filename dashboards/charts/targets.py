"""Targets against the plan as the dashboard, the targets page and the workbook write them:
pure functions of ``dashboards.selectors.targets.TargetRow``; no ORM here."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _

from core.formatting import euros_text, percent_text, ratio_text, round_half_up, whole_text
from core.spreadsheets import MONEY_FORMAT, RATIO_FORMAT
from dashboards.selectors.targets import COUNT, EUROS, RATIO, TargetRow

# A count is a fraction only when expected on the straight line or entered so; the sheet
# shows it to one decimal, as the page does (``value_text``), and whole numbers without.
COUNT_FORMAT = "#,##0.0"
WHOLE_EUROS_FORMAT = '#,##0 "€"'
NUMBER_FORMATS = {COUNT: "#,##0", EUROS: WHOLE_EUROS_FORMAT, RATIO: RATIO_FORMAT}


def number_format_of(unit: str, value: Decimal | None = None) -> str:
    """The spreadsheet format of a value in ``unit``; a count with a fraction keeps one
    decimal."""
    if unit == COUNT and value is not None and value != value.to_integral_value():
        return COUNT_FORMAT
    return NUMBER_FORMATS.get(unit, MONEY_FORMAT)


def cell_value(value: Decimal | None, unit: str) -> Decimal | None:
    """A value as its cell holds it: a fractional count rounded half-up to the decimal its
    format shows, so the sheet and the page agree."""
    if value is not None and unit == COUNT and value != value.to_integral_value():
        return round_half_up(value, 1)
    return value


def value_text(value: Decimal, unit: str) -> str:
    """A figure as the page writes it: 12, 1 250 000 €, 3,4 ×."""
    if unit == EUROS:
        return euros_text(value)
    if unit == RATIO:
        return ratio_text(value)
    if value == value.to_integral_value():
        return whole_text(value)
    # A fraction (an expected count on the straight line, or a value entered so) to one
    # decimal, rounded as every figure is.
    return number_format(round_half_up(value, 1), 1, force_grouping=True)


def track_text(row: TargetRow) -> str:
    """On track or behind, in words (the ✓/✗ beside it is not read out)."""
    return _("On track") if row.on_track else _("Behind")


def definition(as_at: date) -> str:
    return _(
        "Each target's actual is counted from its start date to %(as_at)s, for the whole "
        "network (the filters do not narrow it). Expected by now: where a straight line from "
        "nothing on the start date to the target on the target date stands on that day; on "
        "track when the actual is at least that. Indicators the data cannot give are the sum "
        "of the values entered for periods that have ended."
    ) % {"as_at": date_format(as_at, "SHORT_DATE_FORMAT")}


def headers() -> list[str]:
    return [
        _("Indicator"),
        _("Counted from"),
        _("Target date"),
        _("Target"),
        _("Actual"),
        _("Reached"),
        _("Expected by now"),
        _("On track"),
    ]


def row_text(row: TargetRow) -> list[str]:
    return [
        row.label,
        date_format(row.start_date, "SHORT_DATE_FORMAT"),
        date_format(row.target_date, "SHORT_DATE_FORMAT"),
        value_text(row.target_value, row.unit),
        value_text(row.actual, row.unit),
        percent_text(row.reached),
        value_text(row.expected, row.unit),
        track_text(row),
    ]
