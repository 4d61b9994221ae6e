"""Reads that combine filters, joins and aggregates for portfolio pages."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Count, Sum
from django.utils import timezone

from portfolio.models import Idea, IdeaQuerySet
from portfolio.stages import CLOSED_STAGES, PIPELINE, Stage
from portfolio.stalled import STALLED, rule_text


@dataclass(frozen=True)
class StageSummary:
    stage: Stage
    count: int
    budget: Decimal

    @property
    def closed(self) -> bool:
        return self.stage in CLOSED_STAGES

    @property
    def dropped(self) -> bool:
        """The dropped column counts the ideas dropped now, and is named so."""
        return self.stage == Stage.DROPPED


def pipeline_summary(ideas: IdeaQuerySet | None = None) -> list[StageSummary]:
    """Number of ideas and € of estimated budgets per stage, every stage present, in order."""
    ideas = Idea.objects.all() if ideas is None else ideas
    rows = {
        row["stage"]: row
        for row in ideas.order_by().values("stage").annotate(
            count=Count("pk"), budget=Sum("estimated_budget")
        )
    }
    return [
        StageSummary(
            stage=stage,
            count=rows.get(stage, {}).get("count", 0),
            budget=rows.get(stage, {}).get("budget") or Decimal("0"),
        )
        for stage in PIPELINE
    ]


def stalled_ideas(ideas: IdeaQuerySet | None = None) -> IdeaQuerySet:
    """Ideas stalled now (``portfolio.stalled``), the longest in their stage first."""
    ideas = Idea.objects.all() if ideas is None else ideas
    return ideas.stalled().select_related("owner").order_by("stage_entered_at", "pk")


def stalled_ideas_owned_by(user: AbstractBaseUser) -> IdeaQuerySet:
    """The stalled ideas a project manager owns: what their home page asks them to look at."""
    return stalled_ideas(Idea.objects.filter(owner=user))


@dataclass(frozen=True)
class WaitingIdea:
    idea: Idea
    days_in_stage: int

    @property
    def stalled_text(self) -> str:
        """Why the idea counts as stalled, when the rows came annotated by the rule."""
        rule = getattr(self.idea, STALLED, None)
        return rule_text(rule) if rule else ""


def with_days_in_stage(ideas: Iterable[Idea], *, now: datetime | None = None) -> list[WaitingIdea]:
    """Each idea with the whole days it has spent in its current stage."""
    now = now or timezone.now()
    return [
        WaitingIdea(idea=idea, days_in_stage=(now - idea.stage_entered_at).days) for idea in ideas
    ]
