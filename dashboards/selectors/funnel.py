"""The pipeline funnel: how many ideas reached each stage, and why ideas were dropped."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef

from dashboards.selectors import DashboardData
from portfolio.models import StageTransition
from portfolio.stages import Stage

# The stages an idea passes through on its way to completion, in order.
PATH = [Stage.IDEA, Stage.CONSORTIUM, Stage.APPLICATION, Stage.IMPLEMENTATION, Stage.COMPLETED]
TOP_REASONS = 8


@dataclass
class Funnel:
    reached: dict[str, int]  # stage → ideas that reached it by the end of the period
    dropped: int
    reasons: list[tuple[str, int]]  # the most common drop reasons, most common first

    def conversion(self, stage: str) -> float | None:
        """Share of the ideas that reached the stage before ``stage`` and reached it too."""
        index = PATH.index(stage)
        if index == 0:
            return None
        before = self.reached.get(PATH[index - 1], 0)
        return self.reached.get(stage, 0) / before if before else None


def funnel(data: DashboardData) -> Funnel:
    """Ideas created in the period, by the stages their history reached by its end (two
    queries: the stages reached, and the reasons of the dropped)."""
    ideas = data.ideas_in_period
    moves = StageTransition.objects.filter(
        idea__in=ideas.values("pk"), at__lt=data.period.ends_before
    ).order_by()
    reached = {
        row["to_stage"]: row["ideas"]
        for row in moves.values("to_stage").annotate(ideas=Count("idea", distinct=True))
    }
    # The reason given when each idea was last dropped by the end of the period: an idea
    # dropped, revived and dropped again counts once, under its latest reason.
    later_drop = StageTransition.objects.filter(
        idea=OuterRef("idea"),
        to_stage=Stage.DROPPED,
        at__gt=OuterRef("at"),
        at__lt=data.period.ends_before,
    )
    reasons = list(
        moves.filter(to_stage=Stage.DROPPED)
        .filter(~Exists(later_drop))
        .values("note")
        .annotate(ideas=Count("idea", distinct=True))
        .order_by("-ideas", "note")
    )
    return Funnel(
        reached={stage: reached.get(stage, 0) for stage in Stage},
        dropped=reached.get(Stage.DROPPED, 0),
        reasons=[(row["note"], row["ideas"]) for row in reasons[:TOP_REASONS]],
    )
