"""The pipeline funnel: how many ideas reached each stage, and the drops (dropped now, ever
dropped and why, as ``portfolio.selectors.drops`` defines them), as at the period's end."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count

from dashboards.selectors import DashboardData
from portfolio.models import StageTransition
from portfolio.selectors.drops import Drops, drops
from portfolio.stages import Stage, path

# The stages an idea passes through on its way to completion, in order.
PATH = [Stage.IDEA, *path(Stage.IDEA, Stage.COMPLETED)]


@dataclass
class Funnel:
    reached: dict[str, int]  # stage → ideas that reached it by the end of the period
    drops: Drops = field(default_factory=Drops)
    as_at: date | None = None  # the day the figures are as at

    def conversion(self, stage: str) -> float | None:
        """Share of the ideas that reached the stage before ``stage`` and reached it too."""
        index = PATH.index(stage)
        if index == 0:
            return None
        before = self.reached.get(PATH[index - 1], 0)
        return self.reached.get(stage, 0) / before if before else None


def funnel(data: DashboardData) -> Funnel:
    """Ideas created in the period, by the stages their history reached by its end (one
    query), and their drops as at its end (two)."""
    ideas = data.ideas_in_period
    reached = {
        row["to_stage"]: row["ideas"]
        for row in StageTransition.objects.filter(
            idea__in=ideas.values("pk"), at__lt=data.period.ends_before
        )
        .order_by()
        .values("to_stage")
        .annotate(ideas=Count("idea", distinct=True))
    }
    return Funnel(
        reached={stage: reached.get(stage, 0) for stage in Stage},
        drops=drops(ideas, day=data.period.end),
        as_at=data.period.as_at,
    )
