"""Long Finnish words break at their syllables, with a hyphen, in any browser."""

from __future__ import annotations

import pytest
from django.template import Context, Template

from core.hyphenation import SOFT_HYPHEN, hyphenate


@pytest.mark.parametrize(
    ("word", "broken"),
    [
        ("kemianteollisuudessa", "ke-mian-teol-li-suu-des-sa"),
        ("rakennustuoteteollisuudessa", "ra-ken-nus-tuo-te-teol-li-suu-des-sa"),
        ("komposiittiteollisuudessa", "kom-po-siit-ti-teol-li-suu-des-sa"),
        ("strategiatyöskentely", "stra-te-gia-työs-ken-te-ly"),
        ("Energiatehokas", "Ener-gia-te-ho-kas"),  # no line of one letter
    ],
)
def test_long_words_break_at_syllables(word, broken):
    assert hyphenate(word).replace(SOFT_HYPHEN, "-") == broken


def test_short_words_numbers_and_spaces_are_left_as_they_are():
    text = "Robotti 5G-verkko ja data 2030 — lyhyet sanat"
    assert hyphenate(text) == text


def test_the_board_card_title_carries_the_breaks_and_stays_escaped():
    rendered = Template("{% load text %}{{ title|hyphenate }}").render(
        Context({"title": "<b>kemianteollisuudessa</b>"})
    )
    assert rendered == "&lt;b&gt;ke\xadmian\xadteol\xadli\xadsuu\xaddes\xadsa&lt;/b&gt;"
