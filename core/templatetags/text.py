"""Text in narrow columns: ``{% load text %}{{ idea.title|hyphenate }}`` lets long Finnish
words break at their syllables, with a hyphen, in any browser (core.hyphenation)."""

from __future__ import annotations

from django import template

from core.hyphenation import hyphenate as soft_hyphens

register = template.Library()


@register.filter
def hyphenate(text: object) -> str:
    return soft_hyphens(str(text)) if text is not None else ""
