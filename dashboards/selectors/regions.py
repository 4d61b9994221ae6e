"""Regions: events hosted, their participants, ideas involving the region and € granted."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, DecimalField, F, IntegerField, Q, Sum, Value

from core.models import MONEY
from dashboards.filters import Period
from dashboards.selectors import DashboardData
from funding.models import ApplicationStatus
from portfolio.models import Idea, RoadshowEvent

ZERO = Decimal("0.00")


@dataclass(frozen=True)
class RegionRow:
    code: str
    name: str
    events: int = 0
    participants: int = 0
    ideas: int = 0
    granted: Decimal = ZERO


@dataclass
class Regions:
    period: Period
    rows: list[RegionRow]  # every region, in code order

    @property
    def events(self) -> int:
        return sum(row.events for row in self.rows)

    @property
    def participants(self) -> int:
        return sum(row.participants for row in self.rows)

    @property
    def is_empty(self) -> bool:
        return not any(row.events or row.ideas or row.granted for row in self.rows)

    def top(self, metric: str) -> RegionRow | None:
        """The region with the most of ``metric`` (the first in code order on a tie)."""
        best = max(self.rows, key=lambda row: getattr(row, metric), default=None)
        return best if best is not None and getattr(best, metric) else None


def regions(data: DashboardData) -> Regions:
    """One UNION ALL query: the € granted in the period per involved region, the ideas
    created in the period per involved region, and the events hosted in the period per
    host region with their participants.

    Events are not ideas, so the theme, region, instrument and stage filters leave them
    alone; only the period chooses them. An idea involving several regions counts in each.
    """
    period = data.period
    money = DecimalField(**MONEY)
    number = IntegerField()
    none = {
        "events": Value(0, output_field=number),
        "participants": Value(0, output_field=number),
        "ideas": Value(0, output_field=number),
        "granted": Value(ZERO, output_field=money),
    }
    # The granted sums come first: a UNION's columns take their types from its first part.
    # The status is a condition of the sum, not of WHERE: filtering on it makes SQLite read
    # through the status index, slower than a scan.
    granted = (
        data.decided_in_period.values(region_pk=F("idea__regions"))
        .annotate(
            **{
                **none,
                "granted": Sum("granted", filter=Q(status=ApplicationStatus.APPROVED)),
            }
        )
        .order_by()
    )
    # Each (idea, region) pair is one row of the link table, so a plain count counts ideas.
    involved = (
        Idea.regions.through.objects.filter(idea__in=data.ideas_in_period.values("pk"))
        .values(region_pk=F("region_id"))
        .annotate(**{**none, "ideas": Count("idea_id")})
        .order_by()
    )
    events = (
        RoadshowEvent.objects.filter(date__gte=period.start, date__lte=period.end)
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
    by_region: dict[int, dict] = {}
    for row in granted.union(involved, events, all=True).order_by():
        if row["region_pk"] is None:  # applications of ideas with no region
            continue
        totals = by_region.setdefault(
            row["region_pk"], {"events": 0, "participants": 0, "ideas": 0, "granted": ZERO}
        )
        for name in ("events", "participants", "ideas"):
            totals[name] += row[name] or 0
        totals["granted"] += row["granted"] or ZERO

    return Regions(
        period=period,
        rows=[
            RegionRow(code=region.code, name=region.name, **by_region.get(region.pk, {}))
            for region in data.regions
        ],
    )
