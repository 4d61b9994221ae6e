"""When an idea is stalled: one rule per stage, written once, that the board, the home page,
the dashboard and the reminders all ask.

- In the idea, consortium and application stages an idea is stalled when nothing has
  happened to it for ``STALE_AFTER_DAYS``: no stage move and no edit (of the idea itself,
  its consortium or its funding applications, as their history records them).
- In implementation the 60 days mean nothing: a project runs for years. An implementation
  is stalled when its planned end has passed and the idea has not been moved to completed;
  and, when ``IMPLEMENTATION_STALE_AFTER_DAYS`` is set (0, the default, leaves it off), when
  its implementation record has not changed for that many days.
- Completed and dropped ideas are never stalled: nobody is waiting on them.

The rule is one database expression (:func:`stalled_rule`) over five named values; the
idea's present state gives them (:func:`current_basis`), or the history as it stood at a
past moment (:func:`stalled_moves_as_at`), so "stalled at the end of the period" follows
the same rule as "stalled now".
"""

from __future__ import annotations

from datetime import datetime, timedelta
from enum import StrEnum
from typing import TYPE_CHECKING

from django.conf import settings
from django.db.models import (
    Case,
    CharField,
    DateTimeField,
    Exists,
    Expression,
    F,
    Max,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Greatest
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core.models import related_model
from portfolio.stages import Stage

if TYPE_CHECKING:
    from portfolio.models import IdeaQuerySet

# The stages where an idea waits on someone's next step, judged by STALE_AFTER_DAYS.
WAITING_STAGES: tuple[Stage, ...] = (Stage.IDEA, Stage.CONSORTIUM, Stage.APPLICATION)

# The names the rule reads; each basis annotates them.
STAGE, ENTERED, EDITED, PLANNED_END, PROGRESSED = (
    "stalled_stage",
    "stalled_entered_at",
    "stalled_edited_at",
    "stalled_planned_end",
    "stalled_progressed_at",
)
# The annotation that holds the answer: a :class:`StalledRule` value, or NULL.
STALLED = "stalled_rule"


class StalledRule(StrEnum):
    """Which rule found the idea stalled."""

    IDLE = "idle"  # idea, consortium, application: no move or edit for STALE_AFTER_DAYS
    PAST_END = "past_end"  # implementation past its planned end
    NO_PROGRESS = "no_progress"  # implementation record unchanged for the set days


def idle_days() -> int:
    return settings.STALE_AFTER_DAYS


def progress_days() -> int:
    """Days without a change to the implementation record that make it stalled; 0: never."""
    return settings.IMPLEMENTATION_STALE_AFTER_DAYS


def stalled_rule(now: datetime) -> Case:
    """The rule as one expression over the basis' names: the :class:`StalledRule` that
    applies at ``now``, or NULL when the idea is not stalled."""
    idle_before = now - timedelta(days=idle_days())
    whens = [
        When(
            Q(**{f"{STAGE}__in": WAITING_STAGES})
            & Q(**{f"{ENTERED}__lt": idle_before})
            & Q(**{f"{EDITED}__lt": idle_before}),
            then=Value(StalledRule.IDLE.value),
        ),
        # The planned end is a day: the implementation is past it once that day is over.
        When(
            Q(**{STAGE: Stage.IMPLEMENTATION, f"{PLANNED_END}__lt": timezone.localdate(now)}),
            then=Value(StalledRule.PAST_END.value),
        ),
    ]
    if progress_days():
        whens.append(
            When(
                Q(**{
                    STAGE: Stage.IMPLEMENTATION,
                    f"{PROGRESSED}__lt": now - timedelta(days=progress_days()),
                }),
                then=Value(StalledRule.NO_PROGRESS.value),
            )
        )
    return Case(*whens, default=Value(None), output_field=CharField())


def may_be_stalled(now: datetime) -> Q:
    """A cheap condition on the idea's own columns that every stalled idea meets (the rule
    implies it): it narrows the rows before the history is read for each."""
    idle_before = now - timedelta(days=idle_days())
    return Q(stage__in=WAITING_STAGES, stage_entered_at__lt=idle_before) | Q(
        stage=Stage.IMPLEMENTATION
    )


def _last_change(model, link: str, idea: str, before: datetime | None) -> Subquery:
    """The latest history time of ``model``'s rows that belong to the idea: ``link`` on
    their side, the outer query's ``idea`` on the other."""
    rows = model.history.model.objects.filter(**{link: OuterRef(idea)})
    if before is not None:
        rows = rows.filter(history_date__lt=before)
    return Subquery(
        rows.order_by().values(link).annotate(last=Max("history_date")).values("last")[:1],
        output_field=DateTimeField(),
    )


def _edited_at(
    idea_model, idea: str, entered: Expression, before: datetime | None
) -> Expression:
    """The latest edit of the idea, its consortium or its applications; the stage entry when
    none is recorded (ideas imported in bulk have no field history)."""
    member = related_model(idea_model, "consortium_members")
    application = related_model(idea_model, "funding_applications")
    return Greatest(
        Coalesce(_last_change(idea_model, "id", idea, before), entered),
        Coalesce(_last_change(member, "idea_id", idea, before), entered),
        Coalesce(_last_change(application, "idea_id", idea, before), entered),
    )


def current_basis(ideas: IdeaQuerySet) -> dict[str, Expression]:
    """The rule's names from the idea as it is now."""
    implementation = related_model(ideas.model, "implementation")
    entered = F("stage_entered_at")
    return {
        STAGE: F("stage"),
        ENTERED: entered,
        EDITED: _edited_at(ideas.model, "pk", entered, None),
        PLANNED_END: F("implementation__end"),
        PROGRESSED: Coalesce(_last_change(implementation, "idea_id", "pk", None), entered),
    }


def stalled_facts(facts: QuerySet, *, now: datetime) -> QuerySet:
    """The rows of ``facts`` stalled at ``now``, annotated: any rows that carry the rule's
    basis in columns of the same names as ``current_basis`` reads from an idea (``stage``,
    ``stage_entered_at``, ``edited_at``, ``planned_end``, ``progressed_at``) — the
    dashboards' facts read ahead."""
    basis = {
        STAGE: F("stage"),
        ENTERED: F("stage_entered_at"),
        EDITED: F("edited_at"),
        PLANNED_END: F("planned_end"),
        PROGRESSED: F("progressed_at"),
    }
    return (
        facts.filter(may_be_stalled(now))
        .annotate(**basis)
        .annotate(**{STALLED: stalled_rule(now)})
        .filter(**{f"{STALLED}__isnull": False})
    )


def stalled_moves_as_at(ideas: IdeaQuerySet, moment: datetime) -> QuerySet:
    """The ideas stalled just before ``moment``, by the same rule, read from the history as
    it stood then: each one's last stage move before ``moment`` (a StageTransition: the
    stage and when it was entered), annotated with the rule's names and ``stalled_rule``;
    edits and the planned end come from the records' history.

    Rows of the stage history rather than ideas, so the stage and its entry are plain
    columns the rule reads many times, not a search of the history each time.
    """
    from portfolio.models import StageTransition

    implementation = related_model(ideas.model, "implementation")
    later = StageTransition.objects.filter(idea=OuterRef("idea"), at__lt=moment).filter(
        Q(at__gt=OuterRef("at")) | Q(at=OuterRef("at"), pk__gt=OuterRef("pk"))
    )
    idle_before = moment - timedelta(days=idle_days())
    entered = F("at")
    planned = (
        implementation.history.model.objects.filter(
            idea_id=OuterRef("idea_id"), history_date__lt=moment
        )
        .order_by("-history_date", "-history_id")
        .values("end")[:1]
    )
    basis = {
        STAGE: F("to_stage"),
        ENTERED: entered,
        EDITED: _edited_at(ideas.model, "idea_id", entered, moment),
        # Records written in bulk have no history: their end as it is now.
        PLANNED_END: Coalesce(Subquery(planned), F("idea__implementation__end")),
        PROGRESSED: Coalesce(_last_change(implementation, "idea_id", "idea_id", moment), entered),
    }
    return (
        StageTransition.objects.filter(idea__in=ideas.values("pk"), at__lt=moment)
        # What the rule implies, on the move's own columns, before any history is read.
        .filter(
            Q(to_stage__in=WAITING_STAGES, at__lt=idle_before)
            | Q(to_stage=Stage.IMPLEMENTATION)
        )
        .filter(~Exists(later))
        .annotate(**basis)
        .annotate(**{STALLED: stalled_rule(moment)})
        .filter(**{f"{STALLED}__isnull": False})
    )


def rule_text(rule: str) -> str:
    """What a stalled mark means, in words, for a badge's title, a list or a caption."""
    if rule == StalledRule.PAST_END:
        return _("implementation past its planned end")
    if rule == StalledRule.NO_PROGRESS:
        days = progress_days()
        return ngettext(
            "implementation: no recorded progress for %(days)s day",
            "implementation: no recorded progress for %(days)s days",
            days,
        ) % {"days": days}
    days = idle_days()
    return ngettext(
        "stalled: no move or edit for %(days)s day",
        "stalled: no move or edit for %(days)s days",
        days,
    ) % {"days": days}


def definition_text() -> str:
    """The whole rule in one sentence, for the pages that count stalled ideas."""
    days = idle_days()
    text = ngettext(
        "Stalled: an idea, consortium or application with no move or edit for %(days)s day; "
        "an implementation past its planned end.",
        "Stalled: an idea, consortium or application with no move or edit for %(days)s days; "
        "an implementation past its planned end.",
        days,
    ) % {"days": days}
    if progress_days():
        text += " " + ngettext(
            "An implementation with no recorded progress for %(days)s day is stalled too.",
            "An implementation with no recorded progress for %(days)s days is stalled too.",
            progress_days(),
        ) % {"days": progress_days()}
    return text

