"""The template filters write percentages and ratios as every other place does."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.template import Context, Template
from django.utils import translation

from core.formatting import whole_text


def render(text: str, **context) -> str:
    return Template("{% load numbers %}" + text).render(Context(context))


def test_percent_and_ratio_filters_round_half_up_in_the_active_language():
    with translation.override("fi"):
        assert render("{{ s|percent }}", s=Decimal(2) / 3) == "66,7\xa0%"
        assert render("{{ s|percent }}", s=0.0005) == "0,1\xa0%"
        assert render("{{ r|ratio }}", r=Decimal("123.95")) == "124,0\xa0×"
    with translation.override("en"):
        assert render("{{ s|percent }}", s=Decimal(49) / 150) == "32.7\xa0%"


def test_nothing_or_not_a_number_is_a_dash():
    assert render("{{ s|percent }}", s=None) == "—"
    assert render("{{ s|percent }}", s="abc") == "—"
    assert render("{{ r|ratio }}", r=None) == "—"


@pytest.mark.parametrize(
    ("value", "text"),
    [(Decimal("29584101.50"), "29,584,102"), (Decimal("0.49"), "0"), (2.5, "3"), (-1.5, "-2"), (7, "7")],
)
def test_whole_numbers_are_rounded_half_up_never_cut(value, text):
    with translation.override("en"):
        assert whole_text(value) == text
