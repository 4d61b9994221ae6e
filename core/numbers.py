"""Reading a number as people in Finland write it, whatever the page's language: the one
parser behind every money and number field and the Excel import.

Accepted: ``12500``, ``12 500,50`` and ``12 500,50 €`` (ordinary, no-break, narrow or thin
spaces between thousands), ``12500,5``, ``12,500.50``, ``12.500,50`` and ``1,250,000``. A
space between thousands or two different separators settle which is the decimal one. A value
that reads two ways — ``1,250`` or ``1.250``: one thousand two hundred and fifty, or one and a
quarter — is refused with both readings named: a guess would store an amount a thousand times
too large or too small, and nobody would notice.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from django.utils.formats import number_format
from django.utils.translation import gettext as _

# Every kind of space a copy from a document or a Finnish-locale number may bring.
SPACE = re.compile(r"[\s\u00a0\u2007\u2009\u202f]+")
MINUS_SIGNS = ("-", "\u2212")
PLAIN = re.compile(r"^\d+$")
# Thousands grouped by spaces (already made single ordinary spaces), with an optional
# decimal part after either separator.
SPACED = re.compile(r"^(\d{1,3}(?: \d{3})+)(?:[.,](\d+))?$")
# One separator for thousands, the other for decimals.
ENGLISH = re.compile(r"^(\d{1,3}(?:,\d{3})+)\.(\d+)$")
CONTINENTAL = re.compile(r"^(\d{1,3}(?:\.\d{3})+),(\d+)$")
# One kind of separator only: a single one is a decimal separator unless it is followed by
# exactly three digits (then it may be either); several are thousands separators.
SINGLE = re.compile(r"^(\d+)([.,])(\d+)$")
GROUPED = re.compile(r"^\d{1,3}(?:([.,])\d{3})(?:\1\d{3})*$")


class NumberProblem(ValueError):
    """The text cannot be read as a number (``ambiguous``: it reads two ways); the message
    says why, in the active language. A form or the import may say "not a number" in its
    own words; an ambiguity is told in these, which name both readings."""

    def __init__(self, message: str, *, ambiguous: bool = False) -> None:
        self.message = message
        self.ambiguous = ambiguous
        super().__init__(message)


def read_number(text: str) -> Decimal:
    """The number ``text`` writes, with an optional € (or EUR) and sign.

    Raises NumberProblem for text that is not a number, and for a value that reads two ways.
    """
    written = SPACE.sub(" ", str(text)).strip()
    for currency in ("€", "EUR", "eur"):
        written = written.removeprefix(currency).removesuffix(currency).strip()
    negative = written.startswith(MINUS_SIGNS)
    if negative:
        written = written[1:].strip()
    number = _unsigned(written, shown=str(text).strip())
    return -number if negative else number


def _unsigned(written: str, *, shown: str) -> Decimal:
    if PLAIN.match(written):
        return _decimal(written, "")
    match = SPACED.match(written)
    if match:
        return _decimal(match.group(1).replace(" ", ""), match.group(2) or "")
    if " " in written:
        raise NumberProblem(_not_a_number(shown))
    match = ENGLISH.match(written) or CONTINENTAL.match(written)
    if match:
        return _decimal(re.sub(r"[.,]", "", match.group(1)), match.group(2))
    match = SINGLE.match(written)
    if match:
        whole, _separator, fraction = match.groups()
        # 0,250 has no thousands to group, and 12500,500 groups no thousands either.
        if len(fraction) == 3 and whole != "0" and len(whole) <= 3:
            raise NumberProblem(_ambiguous(shown, whole, fraction), ambiguous=True)
        return _decimal(whole, fraction)
    if GROUPED.match(written):
        return _decimal(re.sub(r"[.,]", "", written), "")
    raise NumberProblem(_not_a_number(shown))


def _decimal(whole: str, fraction: str) -> Decimal:
    try:
        return Decimal(f"{whole}.{fraction}" if fraction else whole)
    except InvalidOperation:  # pragma: no cover - the patterns admit only digits
        raise NumberProblem(_not_a_number(whole)) from None


def _not_a_number(shown: str) -> str:
    return _(
        "“%(value)s” is not a number. Write it with a decimal comma and spaces between "
        "thousands, for example 12 500,50, or as 12,500.50."
    ) % {"value": shown[:40]}


def _unambiguous_fraction(fraction: str) -> str:
    """The three decimals written so that they cannot be taken for thousands: 250 → 25,
    000 → 0, 999 → 9990."""
    trimmed = fraction.rstrip("0") or "0"
    return trimmed if len(trimmed) < 3 else trimmed + "0"


def _ambiguous(shown: str, whole: str, fraction: str) -> str:
    # Each reading written so that it reads one way only, in any language: the thousands
    # grouped by a space (1 250), the decimals in the language's own way (1,25 or 1.25).
    decimals = _unambiguous_fraction(fraction)
    return _(
        "“%(value)s” can be read two ways: %(thousands)s or %(decimal)s. "
        "Write the one you mean."
    ) % {
        "value": shown[:40],
        "thousands": f"{whole}\xa0{fraction}",
        "decimal": number_format(Decimal(f"{whole}.{decimals}"), len(decimals)),
    }
