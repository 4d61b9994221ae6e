"""Reads of the idea pages: the filtered list (the export's too) and one idea's page."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import (
    Case,
    F,
    IntegerField,
    OrderBy,
    Q,
    QuerySet,
    Value,
    When,
)
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from core.filters import filtered_rows
from core.models import related_model
from portfolio.filters import IdeaFilter
from portfolio.models import (
    ConsortiumMember,
    Idea,
    IdeaQuerySet,
    StageTransition,
    Theme,
)
from portfolio.stages import (
    PIPELINE,
    MoveContext,
    MoveKind,
    Stage,
    move_kind,
    needs_note,
    next_stages,
    unmet_guards,
)


def idea_rows() -> IdeaQuerySet:
    """The list's rows with what each row shows: a fixed number of queries per page."""
    return Idea.objects.select_related("owner", "origin_event").prefetch_related(
        "themes", "regions"
    )


def idea_api_rows() -> IdeaQuerySet:
    """The API's idea rows: the owner with each idea, and only the ids of its themes and
    regions as plain lists (``prefetched_themes``, ``prefetched_regions``, see
    ``IdeaQuerySet.with_tag_ids``), which is all the API answers with."""
    # Of the owner only what the answer shows (its name), not the password or the dates.
    return (
        Idea.objects.select_related("owner")
        .defer(*(f"owner__{name}" for name in OWNER_UNUSED))
        .with_tag_ids()
    )


# The owner's columns the API's idea rows never read.
OWNER_UNUSED = ("password", "last_login", "is_superuser", "email", "is_staff", "date_joined")


def idea_filter(data: QueryDict) -> IdeaFilter:
    """The shared FilterSet over the list's rows; unbound when there is no query string,
    so a first visit shows no errors."""
    return IdeaFilter(data or None, queryset=idea_rows())


STAGE_ORDER = Case(
    *(When(stage=stage.value, then=Value(index)) for index, stage in enumerate(PIPELINE)),
    output_field=IntegerField(),
)


ROLE_ORDER = Case(
    *(When(role=role, then=Value(index)) for index, role in enumerate(ConsortiumMember.Role)),
    output_field=IntegerField(),
).asc()


def _order_term(term: str) -> OrderBy:
    descending = term.startswith("-")
    name = term.lstrip("-")
    # Stages sort in pipeline order rather than by their stored words; ideas without a
    # budget go last whichever way the budget is sorted.
    expression = STAGE_ORDER if name == "stage" else F(name)
    if name != "stage" and not Idea._meta.get_field(name).null:
        # No NULLS LAST on a column that has no nulls: PostgreSQL's index on created_at DESC
        # holds nulls first, so "DESC NULLS LAST" sorted all 100 000 ideas for a page of 50
        # (250 ms) where the index gives them in order (under 1 ms).
        return expression.desc() if descending else expression.asc()
    if descending:
        return expression.desc(nulls_last=True)
    return expression.asc(nulls_last=True)


def themes_offered(idea: Idea | None) -> QuerySet[Theme]:
    """The themes an idea may be given: the active ones, and any it already has."""
    active = Q(is_active=True)
    if idea is not None and idea.pk:
        active |= Q(ideas=idea)
    return Theme.objects.filter(active).distinct().order_by("name_fi")


def filtered_ideas(filterset: IdeaFilter) -> IdeaQuerySet:
    """The ideas the filter selects, in the chosen order; none when the filter is invalid,
    so an export never contains rows the user did not ask for."""
    ideas = filtered_rows(filterset)
    ordering = (filterset.form.cleaned_data.get("ordering") if filterset.is_bound else None) or []
    terms = [_order_term(term) for term in ordering if term] or [F("created_at").desc()]
    # The primary key last keeps pages stable when many ideas share a title or a date.
    return ideas.order_by(*terms, "-pk")


# One idea's page ---------------------------------------------------------------------------

# What the note the form asks for is called, by the kind of move that needs one.
NOTE_LABELS = {
    MoveKind.DROP: _("Reason for dropping"),
    MoveKind.REVIVE: _("Why is it revived?"),
}


@dataclass(frozen=True)
class MoveOption:
    """One stage the idea may move to next, and why it cannot move there yet (if so)."""

    stage: Stage
    reasons: list[str]
    note_label: str | None  # the moves that need a note say so here
    kind: MoveKind  # how the page shows the button

    @property
    def blocked(self) -> bool:
        return bool(self.reasons)


def move_options(idea: Idea, *, today: date) -> list[MoveOption]:
    """Every allowed next stage with its unmet guards: forward moves first, dropping last.

    A note the form requires is not reported as missing: the form asks for it.
    """
    options = []
    for to_stage in next_stages(idea.stage):
        kind = move_kind(idea.stage, to_stage)
        note_label = NOTE_LABELS.get(kind, _("Note")) if needs_note(idea.stage, to_stage) else None
        ctx = MoveContext(idea=idea, note="given in the form" if note_label else "", today=today)
        options.append(
            MoveOption(
                stage=to_stage,
                reasons=unmet_guards(idea.stage, to_stage, ctx),
                note_label=note_label,
                kind=kind,
            )
        )
    rank = {MoveKind.FORWARD: 0, MoveKind.REVIVE: 0, MoveKind.BACK: 1, MoveKind.DROP: 2}
    return sorted(options, key=lambda option: rank[option.kind])


@dataclass(frozen=True)
class IdeaSections:
    members: list[ConsortiumMember]
    # Funding is a higher layer's: read through the idea's reverse relations.
    applications: list
    implementation: Any | None
    transitions: list[StageTransition]


def idea_sections(idea: Idea) -> IdeaSections:
    """The consortium, the applications, the implementation and the stage moves of one idea:
    one query each, whatever their number."""
    members = list(
        ConsortiumMember.objects.filter(idea=idea)
        .select_related("organisation", "contact")
        .order_by(ROLE_ORDER, "organisation__name")
    )
    applications = list(
        idea.funding_applications.select_related("instrument", "call", "applicant")
    )
    implementation = (
        related_model(Idea, "implementation").objects.filter(idea=idea)
        .select_related("lead_organisation")
        .first()
    )
    transitions = list(StageTransition.objects.filter(idea=idea).select_related("by"))
    return IdeaSections(
        members=members,
        applications=applications,
        implementation=implementation,
        transitions=transitions,
    )


def idea_platforms(idea: Idea) -> list:
    """The shared platforms the idea plans to use, by name (the network's, read through the
    idea's reverse relation)."""
    return list(idea.platforms.select_related("host_organisation").order_by("name"))
