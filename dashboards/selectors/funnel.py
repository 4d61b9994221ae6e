"""The pipeline funnel: how many ideas reached each stage, and why ideas were dropped."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import CharField, Count, Exists, F, OuterRef, Value

from dashboards.selectors import DashboardData
from portfolio.models import StageTransition
from portfolio.stages import Stage, path

# The stages an idea passes through on its way to completion, in order.
PATH = [Stage.IDEA, *path(Stage.IDEA, Stage.COMPLETED)]
TOP_REASONS = 8
# Which grouping a row of the funnel's one query belongs to.
STAGE, REASON = "stage", "reason"


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
    """Ideas created in the period, by the stages their history reached by its end, and
    the reasons of the dropped — in one query (a UNION ALL of the two groupings)."""
    ideas = data.ideas_in_period
    moves = StageTransition.objects.filter(
        idea__in=ideas.values("pk"), at__lt=data.period.ends_before
    ).order_by()
    # The reason given when each idea was last dropped by the end of the period: an idea
    # dropped, revived and dropped again counts once, under its latest reason.
    later_drop = StageTransition.objects.filter(
        idea=OuterRef("idea"),
        to_stage=Stage.DROPPED,
        at__gt=OuterRef("at"),
        at__lt=data.period.ends_before,
    )
    stages = moves.annotate(kind=Value(STAGE, output_field=CharField()), key=F("to_stage")).values("kind", "key")
    notes = (
        moves.filter(to_stage=Stage.DROPPED)
        .filter(~Exists(later_drop))
        .annotate(kind=Value(REASON, output_field=CharField()), key=F("note"))
        .values("kind", "key")
    )
    reached: dict[str, int] = {}
    reasons: list[tuple[str, int]] = []
    counted = Count("idea", distinct=True)
    both = stages.annotate(ideas=counted).union(notes.annotate(ideas=counted), all=True)
    for row in both.order_by():
        if row["kind"] == STAGE:
            reached[row["key"]] = row["ideas"]
        else:
            reasons.append((row["key"], row["ideas"]))
    reasons.sort(key=lambda reason: (-reason[1], reason[0]))
    return Funnel(
        reached={stage: reached.get(stage, 0) for stage in Stage},
        dropped=reached.get(Stage.DROPPED, 0),
        reasons=reasons[:TOP_REASONS],
    )
