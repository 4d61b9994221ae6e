"""Reading one cell's value the ways people write it in Finland: euros such as
``12 500,00 €`` (also with no-break or narrow spaces) or ``12500,5``, dates such as
``31.12.2023`` or ``2023-12-31``, and Excel's own number and date cells."""

from __future__ import annotations

import re
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _

from core.numbers import NumberProblem, read_number
from portfolio.imports.reading import ErrorValue, Formula

MONEY_MAX = Decimal("9999999999.99")  # DecimalField(12, 2)
CENT = Decimal("0.01")
# Every kind of space a copy from a document or a Finnish-locale number may bring.
SPACES = re.compile(r"[\s\u00a0\u2007\u2009\u202f]+")
FINNISH_DATE = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})$")
ISO_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
FIRST_YEAR, LAST_YEAR = 1900, 2100


class CellProblem(ValueError):
    """The cell cannot be read; the message says how to write it."""

    def __init__(self, message: str):
        self.message = message
        super().__init__(message)


def check_plain(value: Any) -> Any:
    """Refuse what is not a plain value: formulas are never computed here."""
    if isinstance(value, Formula):
        raise CellProblem(
            _("The cell holds a formula (%(formula)s); formulas are not computed. Type the "
              "value itself.") % {"formula": value.text[:60]}
        )
    if isinstance(value, ErrorValue):
        raise CellProblem(_("The cell holds an error value (%(error)s).") % {"error": value.text})
    return value


def text(value: Any) -> str:
    value = check_plain(value)
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, datetime | date):
        value = value.isoformat()
    return str(value).strip()


def amount(value: Any) -> Decimal | None:
    """Euros with at most two decimals, not negative and within the database's range."""
    value = check_plain(value)
    if value is None:
        return None
    if isinstance(value, bool) or isinstance(value, datetime | date):
        raise CellProblem(_("Write an amount in euros, for example 12 500,00 €."))
    if isinstance(value, int | float | Decimal):
        try:
            # Through str: a float cell such as 12500.1 becomes 12500.1, not its binary twin.
            number = Decimal(str(value))
        except InvalidOperation:
            raise CellProblem(_("Write an amount in euros, for example 12 500,00 €.")) from None
        if not number.is_finite():
            raise CellProblem(_("Write an amount in euros, for example 12 500,00 €."))
        number = number.quantize(CENT, rounding=ROUND_HALF_UP)
    else:
        # Read as the forms read it (core.numbers): 12 500,00 €, 12500,5 or 12,500.00, and
        # refused when it reads two ways (1,250).
        try:
            number = read_number(str(value))
        except NumberProblem as problem:
            if problem.ambiguous:
                raise CellProblem(problem.message) from None
            raise CellProblem(
                _("“%(value)s” cannot be read as an amount. Write euros with a decimal comma "
                  "and spaces between thousands if you like, for example 12 500,00 € or "
                  "12500,5.") % {"value": str(value)[:40]}
            ) from None
        if -number.as_tuple().exponent > 2:
            raise CellProblem(
                _("“%(value)s” has more than two decimals; write whole cents.")
                % {"value": str(value)[:40]}
            )
        number = number.quantize(CENT)
    if number < 0:
        raise CellProblem(_("The amount cannot be negative."))
    if number > MONEY_MAX:
        raise CellProblem(_("The amount is too large; at most 9 999 999 999,99 €."))
    return number


def day(value: Any) -> date | None:
    """A date cell, or text as 31.12.2023 or 2023-12-31. A bare number is refused rather
    than guessed at: it may be a serial number or a year."""
    value = check_plain(value)
    if value is None:
        return None
    if isinstance(value, datetime):
        result = value.date()
    elif isinstance(value, date):
        result = value
    elif isinstance(value, str):
        written = SPACES.sub("", value)
        if match := FINNISH_DATE.match(written):
            parts = int(match.group(3)), int(match.group(2)), int(match.group(1))
        elif match := ISO_DATE.match(written):
            parts = int(match.group(1)), int(match.group(2)), int(match.group(3))
        else:
            raise CellProblem(_date_help(value))
        try:
            result = date(*parts)
        except ValueError:
            raise CellProblem(
                _("%(value)s is not a date in the calendar.") % {"value": value[:40]}
            ) from None
    else:
        raise CellProblem(_date_help(value))
    if not FIRST_YEAR <= result.year <= LAST_YEAR:
        raise CellProblem(
            _("The year must be between %(first)s and %(last)s.")
            % {"first": FIRST_YEAR, "last": LAST_YEAR}
        )
    return result


def _date_help(value: Any) -> str:
    return _(
        "“%(value)s” cannot be read as a date. Write it as 31.12.2023 or 2023-12-31, or use "
        "a date cell."
    ) % {"value": str(value)[:40]}


def names(value: Any, separator: str) -> list[str]:
    """The names in a cell that lists several, without empty ones."""
    return [part.strip() for part in text(value).split(separator) if part.strip()]
