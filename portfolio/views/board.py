"""The board: a column per stage, filtered like the idea list, cards moved by drag and drop."""

from __future__ import annotations

import json

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portfolio.filters import IdeaFilter
from core.filters import filtered_rows, is_filtered
from portfolio.models import Idea
from accounts.permissions import viewer_required
from portfolio.selectors.board import board_columns
from portfolio.stages import TRANSITIONS, Stage, next_stages

# Every column is one stage already, and the board has its own order and no pages.
IGNORED_FILTERS = ("stage", "ordering", "page")
# These moves need a note (the drop reason, or why the idea is revived); the board asks for it.
NOTE_REQUIRED = {f"{frm}>{to}" for (frm, to) in TRANSITIONS if to == Stage.DROPPED} | {
    f"{Stage.DROPPED}>{Stage.IDEA}"
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


@viewer_required
def board(request: HttpRequest) -> HttpResponse:
    filterset = board_filter(request)
    ideas = filtered_rows(filterset)
    query = filterset.data.urlencode()
    return render(
        request,
        "portfolio/board.html",
        {
            "filter": filterset,
            "columns": board_columns(ideas, now=timezone.now()),
            "list_query": query,
            "is_filtered": is_filtered(filterset),
            # For the script, which rebuilds a card's "Move to…" choices after a move.
            "stage_labels": json.dumps({stage.value: str(stage.label) for stage in Stage}),
            "transitions": json.dumps({stage.value: next_stages(stage) for stage in Stage}),
            "note_required": " ".join(sorted(NOTE_REQUIRED)),
        },
    )
