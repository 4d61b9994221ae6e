"""The board: a column per stage, filtered like the idea list, cards moved by drag and drop."""

from __future__ import annotations

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.permissions import viewer_required
from core.filters import filtered_rows, is_filtered
from portfolio.filters import IdeaFilter
from portfolio.models import Idea
from portfolio.selectors.board import board_columns
from portfolio.stages import PIPELINE, TRANSITIONS, MoveKind, move_kind, needs_note, next_stages

# Every column is one stage already, and the board has its own order and no pages.
IGNORED_FILTERS = ("stage", "ordering", "page")
# The question the board asks for a move's note, by the kind of move that needs one.
NOTE_TITLES = {
    MoveKind.DROP: _("Why is the idea dropped?"),
    MoveKind.REVIVE: _("Why is the idea revived?"),
}


def stage_machine() -> dict[str, dict]:
    """What the board's script needs to rebuild a card's "Move to…" choices after a move
    and to ask for a note where the move needs one ("from>to" → the question)."""
    return {
        "labels": {stage.value: str(stage.label) for stage in PIPELINE},
        "transitions": {stage.value: next_stages(stage) for stage in PIPELINE},
        "notes": {
            f"{frm}>{to}": str(NOTE_TITLES.get(move_kind(frm, to), _("Note")))
            for (frm, to) in TRANSITIONS
            if needs_note(frm, to)
        },
    }


def board_filter(request: HttpRequest) -> IdeaFilter:
    """The idea list's FilterSet without the filters that make no sense on the board."""
    data = request.GET.copy()
    for name in IGNORED_FILTERS:
        data.pop(name, None)
    filterset = IdeaFilter(data, queryset=Idea.objects.all(), request=request)
    for name in IGNORED_FILTERS:
        filterset.filters.pop(name, None)
    for name in ("owner", "origin_event", "instrument"):
        filterset.form.fields[name].empty_label = _("All")
    # Checkboxes inside a disclosure read better than a tall multi-select list.
    for name in ("theme", "region"):
        filterset.form.fields[name].widget = forms.CheckboxSelectMultiple(
            choices=filterset.form.fields[name].choices
        )
    return filterset


def listed_tags(filterset: IdeaFilter, name: str) -> list:
    """Every theme or region, read once: the filter's checkboxes list them and the cards'
    tags are looked up in them, rather than a query for each."""
    field = filterset.form.fields[name]
    tags = list(field.queryset)
    field.widget.choices = [(tag.pk, field.label_from_instance(tag)) for tag in tags]
    return tags


@viewer_required
def board(request: HttpRequest) -> HttpResponse:
    filterset = board_filter(request)
    ideas = filtered_rows(filterset)
    query = filterset.data.urlencode()
    columns = board_columns(
        ideas,
        now=timezone.now(),
        themes=listed_tags(filterset, "theme"),
        regions=listed_tags(filterset, "region"),
    )
    return render(
        request,
        "portfolio/board.html",
        {
            "filter": filterset,
            "columns": columns,
            "list_query": query,
            "is_filtered": is_filtered(filterset),
            "stage_machine": stage_machine(),
        },
    )
