"""Regions: events hosted, their participants, ideas involving the region and € granted
shared out among the regions (``funding.selectors.region_splits``)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Exists, F, IntegerField, OuterRef, QuerySet, Sum, Value

from dashboards import summaries
from dashboards.filters import Period
from dashboards.selectors import DashboardData
from funding.selectors import NO_REGION
from portfolio.models import Idea, RoadshowEvent

ZERO = Decimal("0.00")


@dataclass(frozen=True)
class RegionRow:
    code: str  # "" for the "no region" row
    name: str
    events: int = 0
    participants: int = 0
    ideas: int = 0  # ideas involving the region: an idea counts in each of its regions
    granted: Decimal = ZERO  # shared out: the rows add up to the total


@dataclass
class Regions:
    period: Period
    rows: list[RegionRow]  # every region, in code order
    # € granted to ideas with no region (and no consortium share placed in one).
    unplaced: Decimal = ZERO
    # € granted in the period to the filtered ideas: the rows and ``unplaced`` add up to it.
    granted: Decimal = ZERO

    @property
    def events(self) -> int:
        return sum(row.events for row in self.rows)

    @property
    def participants(self) -> int:
        return sum(row.participants for row in self.rows)

    @property
    def hosts(self) -> int:
        return sum(1 for row in self.rows if row.events)

    @property
    def is_empty(self) -> bool:
        return not any(row.events or row.ideas or row.granted for row in self.rows) and not (
            self.unplaced
        )

    def top(self, metric: str) -> RegionRow | None:
        """The region with the most of ``metric`` (the first in code order on a tie)."""
        best = max(self.rows, key=lambda row: getattr(row, metric), default=None)
        return best if best is not None and getattr(best, metric) else None


def events_in(data: DashboardData) -> QuerySet[RoadshowEvent]:
    """The roadshow events the regions panel counts: held in the period, hosted in a chosen
    region and with a chosen theme when those filters are set. The stage and instrument
    filters describe ideas, not events, so they leave the events alone."""
    period = data.period
    events = RoadshowEvent.objects.filter(date__gte=period.start, date__lte=period.end)
    if data.chosen_regions:
        events = events.filter(host_region__in=data.chosen_regions)
    if data.chosen_themes:
        through = RoadshowEvent.themes.through
        events = events.filter(
            Exists(
                through.objects.filter(
                    roadshowevent_id=OuterRef("pk"), theme__in=data.chosen_themes
                )
            )
        )
    return events.order_by()


def regions(data: DashboardData) -> Regions:
    """Per region: the events hosted in the period (see ``events_in``) with their
    participants; the filtered ideas created in the period that involve the region; and the
    € granted in approvals decided in the period, shared out among regions by the one rule
    (consortium budget shares by member region, else equally among the idea's regions), so
    the regions and the "no region" remainder add up to the € granted.

    One UNION ALL query for the ideas and the events, beside the money the page reads once
    (``DashboardData.money_cells``)."""
    shared = {
        region: Decimal(granted).scaleb(-2)
        for (theme, region), (_requested, granted) in data.money_cells.items()
        if theme == summaries.ALL
    }
    number = IntegerField()
    none = {"events": Value(0, output_field=number), "participants": Value(0, output_field=number),
            "ideas": Value(0, output_field=number)}
    events = (
        events_in(data)
        .values(region_pk=F("host_region_id"))
        .annotate(
            **{
                **none,
                "events": Count("pk"),
                "participants": Sum(F("participants_onsite") + F("participants_online")),
            }
        )
        .order_by()
    )
    if data.summarised:
        # The ideas involving each region from the summary tables (region rows of every
        # theme), the events from their own small table.
        counted = (
            summaries.idea_counts(data.period.start, data.period.end, data.summary_stages)
            .filter(theme=summaries.ALL)
            .exclude(region=summaries.ALL)
            .values(region_pk=F("region"))
            .annotate(
                row_events=Value(0, output_field=number),
                row_participants=Value(0, output_field=number),
                n=Sum("ideas"),
            )
        )
        # The events' query first: the union's rows take its column names.
        rows = events.union(counted, all=True).order_by()
    else:
        # Each (idea, region) pair is one row of the link table, so a plain count counts
        # ideas.
        involved = (
            Idea.regions.through.objects.filter(idea__in=data.ideas_in_period.values("pk"))
            .values(region_pk=F("region_id"))
            .annotate(**{**none, "ideas": Count("idea_id")})
            .order_by()
        )
        rows = involved.union(events, all=True).order_by()
    by_region: dict[int, dict[str, int]] = {}
    for row in rows:
        totals = by_region.setdefault(row["region_pk"], {"events": 0, "participants": 0, "ideas": 0})
        for name in totals:
            totals[name] += row[name] or 0
    return Regions(
        period=data.period,
        rows=[
            RegionRow(
                code=region.code,
                name=region.name,
                **by_region.get(region.pk, {}),
                granted=shared.get(region.pk, ZERO),
            )
            for region in data.regions
        ],
        unplaced=shared.get(NO_REGION, ZERO),
        granted=shared.get(summaries.ALL, ZERO),
    )
