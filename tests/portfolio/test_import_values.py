"""Reading amounts and dates the ways Finnish spreadsheets hold them."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import pytest

from portfolio.imports import values
from portfolio.imports.reading import ErrorValue, Formula


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("12 500,00 €", Decimal("12500.00")),
        ("12\u00a0500,00\u00a0€", Decimal("12500.00")),  # no-break spaces
        ("12\u202f500,00 €", Decimal("12500.00")),  # narrow no-break space (Finnish locale)
        ("1 234 567,50", Decimal("1234567.50")),
        ("12500,5", Decimal("12500.50")),
        ("12500.5", Decimal("12500.50")),
        ("12500", Decimal("12500.00")),
        ("12500 EUR", Decimal("12500.00")),
        ("€12500", Decimal("12500.00")),
        ("0,05", Decimal("0.05")),
        ("12,500.00", Decimal("12500.00")),  # English writing, read as the forms read it
        ("12.500,00", Decimal("12500.00")),
        (12500, Decimal("12500.00")),
        (12500.5, Decimal("12500.50")),
        (12500.1, Decimal("12500.10")),  # a float cell, not its binary approximation
        (Decimal("99.999"), Decimal("100.00")),
        (None, None),
    ],
)
def test_amounts_are_read(written, expected):
    assert values.amount(written) == expected


@pytest.mark.parametrize(
    ("written", "words"),
    [
        ("12,500", "can be read two ways"),
        ("kaksitoista", "cannot be read as an amount"),
        ("12500,555", "more than two decimals"),
        ("-100", "cannot be negative"),
        (-5, "cannot be negative"),
        ("10000000000", "too large"),
        (float("nan"), "Write an amount"),
        (True, "Write an amount"),
        (Formula("=A1*2"), "formula"),
        (ErrorValue("#DIV/0!"), "error value"),
    ],
)
def test_unreadable_amounts_say_how_to_write_them(written, words):
    with pytest.raises(values.CellProblem) as problem:
        values.amount(written)
    assert words in problem.value.message


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("31.12.2023", date(2023, 12, 31)),
        ("1.2.2023", date(2023, 2, 1)),
        ("01.02.2023", date(2023, 2, 1)),
        ("2023-12-31", date(2023, 12, 31)),
        (" 31.12.2023 ", date(2023, 12, 31)),
        (datetime(2023, 12, 31, 0, 0), date(2023, 12, 31)),  # an Excel date cell
        (date(2023, 6, 30), date(2023, 6, 30)),
        (None, None),
    ],
)
def test_dates_are_read(written, expected):
    assert values.day(written) == expected


@pytest.mark.parametrize(
    ("written", "words"),
    [
        ("31.13.2023", "not a date in the calendar"),
        ("29.2.2023", "not a date in the calendar"),
        ("2023/12/31", "cannot be read as a date"),
        ("12/31/2023", "cannot be read as a date"),
        ("31.12.23", "cannot be read as a date"),
        (45291, "cannot be read as a date"),  # a bare serial number is not guessed at
        ("1.1.1850", "between 1900 and 2100"),
        (Formula("=TODAY()"), "formula"),
    ],
)
def test_unreadable_dates_say_how_to_write_them(written, words):
    with pytest.raises(values.CellProblem) as problem:
        values.day(written)
    assert words in problem.value.message


def test_names_in_one_cell_are_split_at_semicolons():
    assert values.names(" Pirkanmaa ;06;; Keski-Suomi ", ";") == ["Pirkanmaa", "06", "Keski-Suomi"]
