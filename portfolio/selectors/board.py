"""The board: per stage the count, the € sum and the newest cards of a filtered set of ideas."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal

from django.conf import settings
from django.db.models import Count, Model, Q, QuerySet, Sum
from django.utils import timezone

from portfolio.models import Idea, Region, Theme
from portfolio.stages import CLOSED_STAGES, OPEN_STAGES, Stage, next_stages

PER_COLUMN = 50
# What a card shows; the summary and the timestamps would only cost reading and converting.
CARD_FIELDS = (
    "title",
    "stage",
    "stage_entered_at",
    "estimated_budget",
    "owner__username",
    "owner__first_name",
    "owner__last_name",
)


@dataclass(frozen=True)
class Card:
    idea: Idea
    days_in_stage: int
    stale: bool
    # Plain lists: a template asking idea.themes.all per card builds a queryset each time.
    themes: list[Theme] = field(default_factory=list)
    regions: list[Region] = field(default_factory=list)


@dataclass(frozen=True)
class Column:
    stage: Stage
    count: int
    budget: Decimal
    cards: list[Card] = field(default_factory=list)
    has_more: bool = False
    # Where a card of this column may go, as (value, label): the same for every card.
    moves: list[tuple[str, str]] = field(default_factory=list)

    @property
    def closed(self) -> bool:
        return self.stage in CLOSED_STAGES


def _tags(through: type[Model], name: str, ids: list[int], order: str) -> dict[int, list]:
    """Each idea's themes or regions in one query. prefetch_related gives the same rows but
    builds a related manager and a queryset per idea: 40 % slower on a full board."""
    if not ids:
        return {}
    rows = through.objects.filter(idea_id__in=ids).select_related(name).order_by(order)
    tags: dict[int, list] = defaultdict(list)
    for row in rows:
        tags[row.idea_id].append(getattr(row, name))
    return tags


def board_columns(
    ideas: QuerySet[Idea], *, per_column: int = PER_COLUMN, now: datetime | None = None
) -> list[Column]:
    """Every stage in pipeline order with the newest ``per_column`` cards of ``ideas``.

    Newest means most recently entered the stage, which the (stage, -stage_entered_at)
    index answers with a short range scan per column, however many ideas there are.
    The query count is bounded: one aggregate, one per non-empty column, one each for the
    cards' themes and regions.
    """
    now = now or timezone.now()
    stale_before = now - timedelta(days=settings.STALE_AFTER_DAYS)
    # One row of per-stage aggregates rather than GROUP BY stage: grouping makes SQLite walk
    # the stage index and fetch every row from the table in index order (about 380 ms at
    # 100 000 ideas), while this reads the table once in storage order (about 140 ms).
    row = ideas.order_by().aggregate(
        **{
            f"{key}_{stage.value}": aggregate
            for stage in Stage
            for key, aggregate in (
                ("count", Count("pk", filter=Q(stage=stage))),
                ("budget", Sum("estimated_budget", filter=Q(stage=stage))),
            )
        }
    )
    counts = {stage: row[f"count_{stage.value}"] or 0 for stage in Stage}

    shown: dict[str, list[Idea]] = {}
    for stage in Stage:
        if not counts[stage]:
            continue
        shown[stage] = list(
            ideas.filter(stage=stage)
            .select_related("owner")
            .only(*CARD_FIELDS)
            .order_by("-stage_entered_at", "-pk")[:per_column]
        )
    ids = [idea.pk for cards in shown.values() for idea in cards]
    themes = _tags(Idea.themes.through, "theme", ids, "theme__name_fi")
    regions = _tags(Idea.regions.through, "region", ids, "region__code")

    columns = []
    for stage in Stage:
        cards = [
            Card(
                idea=idea,
                days_in_stage=max((now - idea.stage_entered_at).days, 0),
                stale=stage in OPEN_STAGES and idea.stage_entered_at < stale_before,
                themes=themes.get(idea.pk, []),
                regions=regions.get(idea.pk, []),
            )
            for idea in shown.get(stage, [])
        ]
        columns.append(
            Column(
                stage=stage,
                count=counts[stage],
                budget=row[f"budget_{stage.value}"] or Decimal("0"),
                cards=cards,
                has_more=counts[stage] > len(cards),
                moves=[(to.value, str(to.label)) for to in next_stages(stage)],
            )
        )
    return columns
