"""The board's cards: ``{% load board %}{% board_cards column %}``.

A full board has 300 cards. Written in the template language, each card's two dozen
variable lookups, filters and tags were half of the board's server time at 100 000 ideas;
built here as plain strings the same markup takes a fraction of it. Every value from the
data or a translation passes through ``esc``; the words are translated once per column.
"""

from __future__ import annotations

from html import escape

from django import template
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core.hyphenation import hyphenate as soft_hyphens
from portfolio.models import Region, Theme
from portfolio.selectors.board import Card, Column

register = template.Library()


def esc(value: object) -> str:
    """``value`` escaped for HTML text or a quoted attribute, as Django's ``escape`` does
    (which is this same function behind a wrapper for lazy strings that costs more than the
    escaping when called 5 000 times a page)."""
    return escape(str(value))


# A stand-in idea id: the detail page's address is reversed once and each card's id put in.
_ANY_ID = 987654321


class _Words:
    """What every card of a column shares, worked out once: the translated words, the
    detail page's address, and each tag's markup (names are looked up in the language)."""

    def __init__(self) -> None:
        self.no_owner = _("No owner")
        self.theme = _("Theme")
        self.region = _("Region")
        self.stalled = _("Stalled")
        self.move_to = _("Move to…")
        self.detail_url = reverse("idea-detail", args=[_ANY_ID])
        self.tag_html: dict[tuple[str, int], str] = {}

    def url(self, pk: int) -> str:
        return self.detail_url.replace(str(_ANY_ID), str(pk))

    def tag(self, kind: str, tag: Theme | Region) -> str:
        key = (kind, tag.pk)
        if key not in self.tag_html:
            label = self.theme if kind == "theme" else self.region
            self.tag_html[key] = (
                f'<li class="tag tag-{kind}"><span class="visually-hidden">{esc(label)}: </span>'
                f"{esc(tag.name)}</li>"
            )
        return self.tag_html[key]


def _tags(card: Card, words: _Words) -> str:
    if not (card.themes or card.regions):
        return ""
    shown = "".join(
        [words.tag("theme", theme) for theme in card.shown_themes]
        + [words.tag("region", region) for region in card.shown_regions]
    )
    hidden = card.hidden_tags
    more = ""
    if hidden:
        names = esc(", ".join(hidden))
        more = (
            f'<li class="tag tag-more" title="{names}">+{len(hidden)}'
            f'<span class="visually-hidden">: {names}</span></li>'
        )
    return f'<ul class="card-tags">{shown}{more}</ul>\n'


def _card(card: Card, column: Column, can_edit: bool, words: _Words) -> str:
    idea = card.idea
    url = esc(words.url(idea.pk))
    drag = ""
    if can_edit:
        # Plain numbers in attributes (the script reads them), as {% localize off %} gave.
        budget = idea.estimated_budget if idea.estimated_budget is not None else "0"
        drag = (
            f' draggable="true" data-idea-id="{idea.pk}" data-stage="{esc(column.stage.value)}"'
            f' data-title="{esc(idea.title)}" data-budget="{esc(budget)}"'
        )
    owner = esc(card.owner_name) or f'<span class="no-owner">{esc(words.no_owner)}</span>'
    days = ngettext(
        "%(days)s day in stage", "%(days)s days in stage", card.days_in_stage
    ) % {"days": card.days_in_stage}
    stalled = ""
    if card.stalled:
        why = esc(card.stalled_text)
        stalled = (
            f' <span class="badge badge-stalled" data-stalled title="{why}">{esc(words.stalled)}'
            f'<span class="visually-hidden">: {why}</span></span>'
        )
    move = ""
    if can_edit:
        hidden = "" if column.moves else " hidden"
        move = (
            f'<a class="card-move" href="{url}#stage-heading" data-move{hidden}>'
            f"{esc(words.move_to)}</a>\n"
        )
    return (
        f'<li class="card{" is-stalled" if card.stalled else ""}" id="card-{idea.pk}"{drag}>\n'
        f'<h3 class="card-title"><a href="{url}">{esc(soft_hyphens(idea.title))}</a></h3>\n'
        f'<p class="card-owner">{owner}</p>\n'
        f"{_tags(card, words)}"
        f'<p class="card-meta"><span data-days>{esc(days)}</span>{stalled}</p>\n'
        f"{move}"
        "</li>\n"
    )


@register.simple_tag(takes_context=True)
def board_cards(context: template.Context, column: Column) -> SafeString:
    """The ``<li>`` of each of the column's cards; draggable with a "Move to…" link for a
    user who may move ideas (``can_edit``)."""
    can_edit = bool(context.get("can_edit"))
    # Shared by the page's columns: tags recur across them.
    words = context.render_context.setdefault("board_card_words", _Words())
    return mark_safe("".join(_card(card, column, can_edit, words) for card in column.cards))
