"""One reading of numbers for every form and the import (core/numbers.py): Finnish and
English writing in either language, and an ambiguous value refused with both readings."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from decimal import Decimal

import pytest
from django import forms
from django.core.exceptions import ValidationError
from django.utils import translation

from core.forms import MoneyField
from core.numbers import NumberProblem, read_number

LANGUAGES = ["fi", "sv", "en"]


def comma_decimal(language: str) -> bool:
    """Finnish and Swedish write 1,25 and 1 250; English 1.25 and 1,250."""
    return language != "en"

ACCEPTED = [
    ("12500", "12500"),
    ("12 500,50", "12500.50"),
    ("12 500,50 €", "12500.50"),
    ("12\u00a0500,50\u00a0€", "12500.50"),  # no-break spaces from a Finnish document
    ("12\u202f500,50", "12500.50"),  # narrow no-break space (Finnish locale)
    ("1\u2009250\u2009000", "1250000"),  # thin spaces
    ("12500,5", "12500.5"),
    ("12500.5", "12500.5"),
    ("12,500.50", "12500.50"),
    ("12.500,50", "12500.50"),
    ("1,250,000", "1250000"),
    ("1.250.000", "1250000"),
    ("1 250 000", "1250000"),
    ("12 500,500", "12500.500"),  # spaces group the thousands: the comma is decimal
    ("0,250", "0.250"),  # no thousands before it
    ("12500,500", "12500.500"),  # five digits are not a thousands group
    ("€ 125", "125"),
    ("125 EUR", "125"),
    ("-1 250,5", "-1250.5"),
    ("\u22121250", "-1250"),  # a minus sign
    ("  42  ", "42"),
]
AMBIGUOUS = ["1,250", "1.250", "12,500", "125.000", "999,999"]
NOT_NUMBERS = ["paljon", "12,50,0", "1 25", "12 5000", "1.250,000.5", "€", "12..5", "1,2,3", "5.", ".5"]


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize(("written", "expected"), ACCEPTED)
def test_finnish_and_english_writing_are_read_alike_in_every_language(
    language, written, expected
):
    with translation.override(language):
        assert read_number(written) == Decimal(expected)


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("written", AMBIGUOUS)
def test_a_value_that_reads_two_ways_is_refused_naming_both(language, written):
    with translation.override(language), pytest.raises(NumberProblem) as refused:
        read_number(written)
    assert refused.value.ambiguous
    message = refused.value.message
    assert written in message
    whole, fraction = written.replace(".", ",").split(",")
    # Both readings, each written so that it reads one way only: the thousands grouped by a
    # space, the decimals in the language's own way, without a third decimal.
    decimals = fraction.rstrip("0") or "0"
    decimals = decimals if len(decimals) < 3 else decimals + "0"
    thousands = f"{whole}\xa0{fraction}"
    decimal = f"{whole}{',' if comma_decimal(language) else '.'}{decimals}"
    assert thousands in message and decimal in message
    assert read_number(thousands) == Decimal(whole + fraction)
    assert read_number(decimal) == Decimal(f"{whole}.{fraction}")


@pytest.mark.parametrize("written", NOT_NUMBERS)
def test_what_is_not_a_number_is_refused(written):
    with pytest.raises(NumberProblem) as refused:
        read_number(written)
    assert not refused.value.ambiguous


def _money_fields() -> list[tuple[str, str, forms.Field]]:
    """Every money or number field of every form in the project's apps."""
    modules = []
    for app in ("portfolio", "funding", "network", "vuosikello", "dashboards"):
        package = importlib.import_module(f"{app}.forms")
        modules.append(package)
        for info in pkgutil.iter_modules(getattr(package, "__path__", [])):
            modules.append(importlib.import_module(f"{app}.forms.{info.name}"))
    found = []
    for module in modules:
        for name, form in inspect.getmembers(module, inspect.isclass):
            if not issubclass(form, forms.BaseForm) or form.__module__ != module.__name__:
                continue
            for field_name, field in form.base_fields.items():
                if isinstance(field, MoneyField):
                    found.append((name, field_name, field))
    return found


MONEY_FIELDS = _money_fields()


def test_the_forms_money_fields_are_found():
    names = {(form, field) for form, field, _f in MONEY_FIELDS}
    assert {("IdeaForm", "estimated_budget"), ("TargetForm", "target_value")} <= names
    assert any(field == "requested" for _form, field in names)
    assert any(field == "granted" for _form, field in names)
    assert any(field == "budget_share" for _form, field in names)


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize(("form", "name", "field"), MONEY_FIELDS)
def test_every_money_field_reads_finnish_and_english_amounts(language, form, name, field):
    with translation.override(language):
        assert field.clean("12 500,50") == Decimal("12500.50")
        assert field.clean("12,500.50") == Decimal("12500.50")
        assert field.clean("12 500,50 €") == Decimal("12500.50")
        with pytest.raises(ValidationError) as refused:
            field.clean("1,250")
        message = " ".join(refused.value.messages)
        readings = ("1\xa0250", "1,25" if comma_decimal(language) else "1.25")
        assert all(reading in message for reading in readings)
        with pytest.raises(ValidationError):
            field.clean("paljon")
