"""The board: per stage the count, the € sum and the newest cards of a filtered set of ideas."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from django.db.models import Count, Model, Q, QuerySet, Sum
from django.utils import timezone

from portfolio.models import Idea, Region, Theme
from portfolio.stages import CLOSED_STAGES, OPEN_STAGES, PIPELINE, Stage, next_stages
from portfolio.stalled import STALLED, rule_text

PER_COLUMN = 50
# Themes and regions shown on a card; the rest are counted, so a card stays short.
TAGS_SHOWN = 2
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
    # The rule of portfolio.stalled that finds the idea stalled, or None, and its words.
    stalled: str | None = None
    stalled_text: str = ""
    # Plain lists: a template asking idea.themes.all per card builds a queryset each time.
    themes: list[Theme] = field(default_factory=list)
    regions: list[Region] = field(default_factory=list)

    @property
    def shown_themes(self) -> list[Theme]:
        return self.themes[:TAGS_SHOWN]

    @property
    def shown_regions(self) -> list[Region]:
        return self.regions[:TAGS_SHOWN]

    @property
    def hidden_tags(self) -> list[str]:
        return [tag.name for tag in self.themes[TAGS_SHOWN:] + self.regions[TAGS_SHOWN:]]


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


def _tags(model: type[Model], name: str, ids: list[int], order: str) -> dict[int, list]:
    """Each idea's themes or regions, in ``order``, in two queries: the idea–tag pairs as
    plain values and the tags themselves. Themes and regions are short reference lists,
    while a full board has about 1 500 pairs: building a model instance for each pair
    (select_related or prefetch_related) was a third of the board's server time."""
    if not ids:
        return {}
    through = getattr(Idea, f"{name}s").through
    pairs = list(through.objects.filter(idea_id__in=ids).values_list("idea_id", f"{name}_id"))
    tags_by_id = {tag.pk: tag for tag in model.objects.filter(pk__in={pk for _, pk in pairs})}
    rank = {pk: index for index, pk in enumerate(
        sorted(tags_by_id, key=lambda pk: getattr(tags_by_id[pk], order))
    )}
    tags: dict[int, list] = defaultdict(list)
    for idea_id, tag_id in sorted(pairs, key=lambda pair: rank[pair[1]]):
        tags[idea_id].append(tags_by_id[tag_id])
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
    # One row of per-stage aggregates rather than GROUP BY stage. Measured on SQLite at
    # 100 000 ideas: this form reads the (stage, estimated_budget) index or the filtered rows
    # once (23–36 ms, filtered or not); a GROUP BY with a text filter walks the stage index
    # and fetches each row from the table in index order (about 145 ms).
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
        cards = ideas.filter(stage=stage).select_related("owner").only(*CARD_FIELDS)
        if stage in OPEN_STAGES:
            # Whether each card is stalled, by the one rule, in the same query.
            cards = cards.with_stalled(now=now)
        shown[stage] = list(cards.order_by("-stage_entered_at", "-pk")[:per_column])
    ids = [idea.pk for cards in shown.values() for idea in cards]
    themes = _tags(Theme, "theme", ids, "name_fi")
    regions = _tags(Region, "region", ids, "code")

    # Each rule's words once, not once per card: a full board has 300 cards.
    said: dict[str | None, str] = {None: ""}

    def words(rule: str | None) -> str:
        if rule not in said:
            said[rule] = rule_text(rule)
        return said[rule]

    columns = []
    for stage in PIPELINE:
        cards = [
            Card(
                idea=idea,
                days_in_stage=max((now - idea.stage_entered_at).days, 0),
                stalled=getattr(idea, STALLED, None),
                stalled_text=words(getattr(idea, STALLED, None)),
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
