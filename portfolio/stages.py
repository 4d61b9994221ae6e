"""The idea pipeline: stages, the allowed moves and the guard on each move.

The whole workflow is readable here. ``portfolio.services.idea_move`` is the one place
that performs a move; it asks :func:`unmet_guards` first.

    idea ──► consortium ──► application ──► implementation ──► completed
     ▲          ▲   │            │                 │
     │          │   └────────────┘ (back to revise) │
     └─ dropped ◄───────────── from any open stage ──┘
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
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


@dataclass(frozen=True)
class MoveContext:
    """What a guard may look at: the idea as stored, the note given, and the move's day."""

    idea: Idea
    note: str
    today: date


Guard = Callable[[MoveContext], str | None]


# Each guard returns None when met, or the reason in words when not.
def has_owner(ctx: MoveContext) -> str | None:
    if ctx.idea.owner_id is None:
        return _("The idea has no owner: name the project manager who owns it.")
    return None


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
def has_approved_grant(ctx: MoveContext) -> str | None:
    applications = ctx.idea.funding_applications
    approved = applications.filter(status=applications.model.Status.APPROVED, granted__gt=0)
    if not approved.exists():
        return _("No funding application has been approved with a granted amount.")
    return None


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


def has_drop_reason(ctx: MoveContext) -> str | None:
    if not ctx.note.strip():
        return _("Give the reason for dropping the idea.")
    return None


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


def unmet_guards(from_stage: str, to_stage: str, ctx: MoveContext) -> list[str]:
    """Every reason the move cannot be made now; empty when it can.

    A move that is not in the table at all gets one reason naming the allowed moves.
    """
    guards = TRANSITIONS.get((from_stage, to_stage))
    if guards is None:
        allowed = ", ".join(str(Stage(s).label) for s in next_stages(from_stage)) or "—"
        return [
            _("An idea cannot move from “%(from)s” to “%(to)s”. Allowed next stages: %(allowed)s.")
            % {
                "from": Stage(from_stage).label,
                "to": Stage(to_stage).label,
                "allowed": allowed,
            }
        ]
    return [reason for guard in guards if (reason := guard(ctx)) is not None]
