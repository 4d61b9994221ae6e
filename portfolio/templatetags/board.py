"""The board's cards: ``{% load board %}{% board_cards column %}``.

A full board has 300 cards. Written in the template language, each card's two dozen
variable lookups, filters and tags were half of the board's server time at 100 000 ideas;
built here with ``format_html`` the same markup takes a fraction of it. Every value is
escaped by ``format_html``; the words are translated once per column, not once per card.
"""

from __future__ import annotations

from django import template
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core.hyphenation import hyphenate as soft_hyphens
from portfolio.selectors.board import Card, Column

register = template.Library()


class _Words:
    """The card's fixed words, translated once for a column."""

    def __init__(self) -> None:
        self.no_owner = _("No owner")
        self.theme = _("Theme")
        self.region = _("Region")
        self.stalled = _("Stalled")
        self.move_to = _("Move to…")


def _tags(card: Card, words: _Words) -> SafeString | str:
    if not (card.themes or card.regions):
        return ""
    shown = format_html_join(
        "",
        '<li class="tag tag-{}"><span class="visually-hidden">{}: </span>{}</li>',
        [("theme", words.theme, theme.name) for theme in card.shown_themes]
        + [("region", words.region, region.name) for region in card.shown_regions],
    )
    hidden = card.hidden_tags
    more = ""
    if hidden:
        names = ", ".join(hidden)
        more = format_html(
            '<li class="tag tag-more" title="{}">+{}<span class="visually-hidden">: {}</span></li>',
            names,
            len(hidden),
            names,
        )
    return format_html('<ul class="card-tags">{}{}</ul>\n', shown, more)


def _card(card: Card, column: Column, can_edit: bool, words: _Words) -> SafeString:
    idea = card.idea
    url = reverse("idea-detail", args=[idea.pk])
    # Plain numbers in attributes (the script reads them), as {% localize off %} gave.
    budget = str(idea.estimated_budget if idea.estimated_budget is not None else "0")
    drag = (
        format_html(
            ' draggable="true" data-idea-id="{}" data-stage="{}" data-title="{}" data-budget="{}"',
            idea.pk,
            column.stage.value,
            idea.title,
            budget,
        )
        if can_edit
        else ""
    )
    owner = card.owner_name
    owner_html = owner if owner else format_html('<span class="no-owner">{}</span>', words.no_owner)
    days = ngettext(
        "%(days)s day in stage", "%(days)s days in stage", card.days_in_stage
    ) % {"days": card.days_in_stage}
    stalled = (
        format_html(
            ' <span class="badge badge-stalled" data-stalled title="{}">{}'
            '<span class="visually-hidden">: {}</span></span>',
            card.stalled_text,
            words.stalled,
            card.stalled_text,
        )
        if card.stalled
        else ""
    )
    move = (
        format_html(
            '<a class="card-move" href="{}#stage-heading" data-move{}>{}</a>\n',
            url,
            "" if column.moves else mark_safe(" hidden"),
            words.move_to,
        )
        if can_edit
        else ""
    )
    return format_html(
        '<li class="card{}" id="card-{}"{}>\n'
        '<h3 class="card-title"><a href="{}">{}</a></h3>\n'
        '<p class="card-owner">{}</p>\n'
        "{}"
        '<p class="card-meta"><span data-days>{}</span>{}</p>\n'
        "{}"
        "</li>\n",
        " is-stalled" if card.stalled else "",
        idea.pk,
        drag,
        url,
        soft_hyphens(idea.title),
        owner_html,
        _tags(card, words),
        days,
        stalled,
        move,
    )


@register.simple_tag(takes_context=True)
def board_cards(context: template.Context, column: Column) -> SafeString:
    """The ``<li>`` of each of the column's cards; draggable with a "Move to…" link for a
    user who may move ideas (``can_edit``)."""
    can_edit = bool(context.get("can_edit"))
    words = _Words()
    return mark_safe("".join(_card(card, column, can_edit, words) for card in column.cards))
