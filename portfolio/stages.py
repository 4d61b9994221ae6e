"""The idea pipeline: stages, the allowed moves and the guard on each move.

The whole workflow is readable here, and everything else asks it: which moves exist
(:data:`TRANSITIONS`), which need a note (:func:`needs_note`), which way a move goes
(:data:`PIPELINE`, :func:`move_kind`), which stages are open or closed. Each guard says what
it looks at (:class:`About`), so the pages and the import know where it is put right.
``portfolio.services.idea_move`` is the one place that performs a move; it asks
:func:`unmet_guards` first.

    idea ──► consortium ──► application ──► implementation ──► completed
     ▲          ▲   │            │                 │
     │          │   └────────────┘ (back to revise) │
     └─ dropped ◄───────────── from any open stage ──┘
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import TYPE_CHECKING

from django.db import models
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.models import related_model

if TYPE_CHECKING:
    from portfolio.models import Idea


class Stage(models.TextChoices):
    IDEA = "idea", gettext_lazy("Idea")
    CONSORTIUM = "consortium", gettext_lazy("Consortium forming")
    APPLICATION = "application", gettext_lazy("Funding application")
    IMPLEMENTATION = "implementation", gettext_lazy("Implementation")
    COMPLETED = "completed", gettext_lazy("Completed")
    DROPPED = "dropped", gettext_lazy("Dropped")


OPEN_STAGES: tuple[Stage, ...] = (
    Stage.IDEA,
    Stage.CONSORTIUM,
    Stage.APPLICATION,
    Stage.IMPLEMENTATION,
)
CLOSED_STAGES: tuple[Stage, ...] = (Stage.COMPLETED, Stage.DROPPED)
# Every stage in the pipeline's order: the board's columns, lists sorted by stage, and
# which way a move goes.
PIPELINE: tuple[Stage, ...] = (*OPEN_STAGES, *CLOSED_STAGES)


@dataclass(frozen=True)
class MoveContext:
    """What a guard may look at: the idea as stored, the note given, and the move's day."""

    idea: Idea
    note: str
    today: date


class About(StrEnum):
    """What a guard looks at, so a page or the import can say where to put it right."""

    OWNER = "owner"
    LEAD = "lead"
    FUNDING = "funding"
    IMPLEMENTATION_END = "implementation_end"
    NOTE = "note"  # the note given with the move


@dataclass(frozen=True)
class Guard:
    """A condition of a move, called with the move's context like a plain function."""

    about: About
    check: Callable[[MoveContext], str | None]

    def __call__(self, ctx: MoveContext) -> str | None:
        return self.check(ctx)


def guard(about: About) -> Callable[[Callable[[MoveContext], str | None]], Guard]:
    """Declare a function a guard about ``about``."""
    return lambda check: Guard(about=about, check=check)


# Each guard returns None when met, or the reason in words when not.
@guard(About.OWNER)
def has_owner(ctx: MoveContext) -> str | None:
    if ctx.idea.owner_id is None:
        return _("The idea has no owner: name the project manager who owns it.")
    return None


@guard(About.LEAD)
def has_committed_lead(ctx: MoveContext) -> str | None:
    from portfolio.models import ConsortiumMember

    members = ctx.idea.consortium_members.filter(role=ConsortiumMember.Role.LEAD)
    if not members.exists():
        return _("The consortium has no lead organisation.")
    if not members.filter(status=ConsortiumMember.Status.COMMITTED).exists():
        return _("The lead organisation has not committed to the consortium.")
    return None


# Funding lives in a higher layer: the guards read it through the idea's reverse relations
# (applications, implementation), never by importing it.
@guard(About.FUNDING)
def has_approved_grant(ctx: MoveContext) -> str | None:
    applications = ctx.idea.funding_applications
    approved = applications.filter(status=applications.model.Status.APPROVED, granted__gt=0)
    if not approved.exists():
        return _("No funding application has been approved with a granted amount.")
    return None


@guard(About.IMPLEMENTATION_END)
def implementation_ended(ctx: MoveContext) -> str | None:
    implementation = (
        related_model(type(ctx.idea), "implementation").objects.filter(idea=ctx.idea).first()
    )
    if implementation is None:
        return _("The idea has no implementation record with an end date.")
    if implementation.end is None:
        return _("The implementation has no end date.")
    if implementation.end > ctx.today:
        return _("The implementation ends on %(end)s, which is in the future.") % {
            "end": date_format(implementation.end, "SHORT_DATE_FORMAT")
        }
    return None


@guard(About.NOTE)
def has_drop_reason(ctx: MoveContext) -> str | None:
    if not ctx.note.strip():
        return _("Give the reason for dropping the idea.")
    return None


@guard(About.NOTE)
def has_revival_note(ctx: MoveContext) -> str | None:
    if not ctx.note.strip():
        return _("Write a note saying why the idea is revived.")
    return None


TRANSITIONS: dict[tuple[Stage, Stage], tuple[Guard, ...]] = {
    (Stage.IDEA, Stage.CONSORTIUM): (has_owner,),
    (Stage.CONSORTIUM, Stage.APPLICATION): (has_committed_lead,),
    (Stage.APPLICATION, Stage.CONSORTIUM): (),
    (Stage.APPLICATION, Stage.IMPLEMENTATION): (has_approved_grant,),
    (Stage.IMPLEMENTATION, Stage.COMPLETED): (implementation_ended,),
    **{(stage, Stage.DROPPED): (has_drop_reason,) for stage in OPEN_STAGES},
    (Stage.DROPPED, Stage.IDEA): (has_revival_note,),
}


def next_stages(stage: str) -> list[Stage]:
    """The stages an idea in ``stage`` may move to, in pipeline order."""
    return [to for (frm, to) in TRANSITIONS if frm == stage]


def is_allowed(from_stage: str, to_stage: str) -> bool:
    return (from_stage, to_stage) in TRANSITIONS


def needs_note(from_stage: str, to_stage: str) -> bool:
    """Whether the move asks for a note (the reason for dropping, why a revival)."""
    return any(g.about == About.NOTE for g in TRANSITIONS.get((from_stage, to_stage), ()))


class MoveKind(StrEnum):
    """Which way a move goes; the idea page shows each kind's button its own way."""

    FORWARD = "forward"
    BACK = "back"
    DROP = "drop"
    REVIVE = "revive"


def move_kind(from_stage: str, to_stage: str) -> MoveKind:
    """Which way a move goes: dropping and reviving leave and rejoin the pipeline; any
    other move goes forward or back along it."""
    if to_stage == Stage.DROPPED:
        return MoveKind.DROP
    if from_stage == Stage.DROPPED:
        return MoveKind.REVIVE
    if PIPELINE.index(Stage(to_stage)) < PIPELINE.index(Stage(from_stage)):
        return MoveKind.BACK
    return MoveKind.FORWARD


def path(from_stage: str, to_stage: str) -> list[Stage]:
    """The stages entered, in order, on the fewest moves from one stage to another; empty
    when they are the same. ``ValueError`` when no moves lead there."""
    start = Stage(from_stage)
    ways: dict[Stage, list[Stage]] = {start: []}
    queue = deque([start])
    while queue:
        stage = queue.popleft()
        if stage == to_stage:
            return ways[stage]
        for nxt in next_stages(stage):
            if nxt not in ways:
                ways[nxt] = [*ways[stage], nxt]
                queue.append(nxt)
    raise ValueError(f"No moves lead from {from_stage!r} to {to_stage!r}.")


def unmet_conditions(
    from_stage: str, to_stage: str, ctx: MoveContext
) -> list[tuple[About | None, str]]:
    """Every unmet condition of the move, as (what it is about, the reason in words): a page
    can then offer where to put each right. A move that is not in the table at all gets one
    reason naming the allowed moves, about nothing that can be put right."""
    guards = TRANSITIONS.get((from_stage, to_stage))
    if guards is None:
        allowed = ", ".join(str(Stage(s).label) for s in next_stages(from_stage)) or "—"
        return [(
            None,
            _("An idea cannot move from “%(from)s” to “%(to)s”. Allowed next stages: %(allowed)s.")
            % {
                "from": Stage(from_stage).label,
                "to": Stage(to_stage).label,
                "allowed": allowed,
            },
        )]
    return [(each.about, reason) for each in guards if (reason := each(ctx)) is not None]


def unmet_guards(from_stage: str, to_stage: str, ctx: MoveContext) -> list[str]:
    """Every reason the move cannot be made now; empty when it can."""
    return [reason for _about, reason in unmet_conditions(from_stage, to_stage, ctx)]
