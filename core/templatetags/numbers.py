"""Percentages and ratios in templates, rounded as everywhere else (core.formatting):
``{% load numbers %}{{ share|percent }}`` → "66,7 %", ``{{ times|ratio }}`` → "123,9 ×"."""

from __future__ import annotations

from decimal import Decimal

from django import template

from core.formatting import percent_text, ratio_text

register = template.Library()


@register.filter
def percent(share: Decimal | float | None) -> str:
    """A share (0.6667) as "66,7 %"; "—" for none or a value that is not a number."""
    try:
        return percent_text(share)
    except (ArithmeticError, TypeError, ValueError):
        return "—"


@register.filter
def ratio(times: Decimal | float | None) -> str:
    """A multiple (123.94) as "123,9 ×"; "—" for none or a value that is not a number."""
    try:
        return ratio_text(times)
    except (ArithmeticError, TypeError, ValueError):
        return "—"
