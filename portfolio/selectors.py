"""Reads that combine filters, joins and aggregates for portfolio pages."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Sum

from portfolio.models import Idea, IdeaQuerySet
from portfolio.stages import Stage


@dataclass(frozen=True)
class StageSummary:
    stage: Stage
    count: int
    budget: Decimal


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
        for stage in Stage
    ]


def stale_ideas(ideas: IdeaQuerySet | None = None) -> IdeaQuerySet:
    """Open ideas past the stale limit, the longest-waiting first."""
    ideas = Idea.objects.all() if ideas is None else ideas
    return ideas.stale().select_related("owner").order_by("stage_entered_at")
