"""The pipeline funnel: how many ideas reached each stage, and the drops (dropped now, ever
dropped and why, as ``portfolio.selectors.drops`` defines them), as at the period's end."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.db.models import CharField, Count, F, Q, Value
from django.utils import timezone

from dashboards import summaries
from dashboards.selectors import DashboardData
from portfolio.models import StageTransition
from portfolio.selectors.drops import Drops, drop_groups, drops_from_rows
from portfolio.stages import Stage, path

# The stages an idea passes through on its way to completion, in order.
PATH = [Stage.IDEA, *path(Stage.IDEA, Stage.COMPLETED)]
# Which grouping a row of the funnel's one query belongs to.
STAGE, DROP = "stage", "drop"


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
    """Ideas created in the period, by the stages their history reached by its end, and
    their drops as at its end — in one query (a UNION ALL of the two groupings); the stages
    reached from the summary tables when they answer the filters."""
    ideas = data.ideas_in_period
    stages = (
        StageTransition.objects.filter(
            idea__in=ideas.values("pk"), at__lt=data.period.ends_before
        )
        .order_by()
        .values(key=F("to_stage"))
        .annotate(
            ideas=Count("idea", distinct=True),
            # The drops' columns, in the same order: (key, ideas, now, kind).
            now=Value(0),
            kind=Value(STAGE, output_field=CharField()),
        )
    )
    dropped = drop_groups(ideas, day=data.period.end).annotate(
        kind=Value(DROP, output_field=CharField())
    )
    if data.summarised:
        # The first stay of each idea in each stage (``dashboards.summaries``): the ideas
        # that reached a stage, counted without DISTINCT over the whole history.
        stages = (
            summaries.stays(data.summary_stages)
            .filter(
                first=True,
                idea_created_at__gte=data.period.starts_at,
                idea_created_at__lt=data.period.ends_before,
                entered_at__lt=data.period.ends_before,
            )
            .values(key=F("stage"))
            .annotate(
                ideas=Count("pk"), now=Value(0), kind=Value(STAGE, output_field=CharField())
            )
        )
        if data.period.end >= timezone.localdate():
            # Today's drops (``drop_groups``' rule): each idea's last stay in "dropped"
            # under its note, dropped now when its stage now is.
            dropped = (
                summaries.stays(data.summary_stages)
                .filter(
                    stage=Stage.DROPPED,
                    last=True,
                    idea_created_at__gte=data.period.starts_at,
                    idea_created_at__lt=data.period.ends_before,
                )
                .values(key=F("note"))
                .annotate(
                    ideas=Count("pk"),
                    now=Count("pk", filter=Q(idea_stage=Stage.DROPPED)),
                    kind=Value(DROP, output_field=CharField()),
                )
            )
    reached: dict[str, int] = {}
    drop_rows: list[dict] = []
    for row in stages.union(dropped, all=True).order_by():
        if row["kind"] == STAGE:
            reached[row["key"]] = row["ideas"]
        else:
            drop_rows.append({"note": row["key"], "ideas": row["ideas"], "now": row["now"]})
    return Funnel(
        reached={stage: reached.get(stage, 0) for stage in Stage},
        drops=drops_from_rows(drop_rows),
        as_at=data.period.as_at,
    )
