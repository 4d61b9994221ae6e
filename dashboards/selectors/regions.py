"""Regions: events hosted, their participants, ideas involving the region and € granted."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, DecimalField, F, IntegerField, Q, Sum, Value

from dashboards.filters import Period
from dashboards.selectors import DashboardData
from funding.models import ApplicationStatus
from portfolio.models import MONEY, Idea, RoadshowEvent

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
    """Two queries: the events hosted in the period per host region, and (one UNION ALL)
    the ideas created in the period and the € granted in it per involved region.

    Events are not ideas, so the theme, region, instrument and stage filters leave them
    alone; only the period chooses them. An idea involving several regions counts in each.
    """
    period = data.period
    events = (
        RoadshowEvent.objects.filter(date__gte=period.start, date__lte=period.end)
        .values("host_region_id")
        .annotate(
            events=Count("pk"),
            participants=Sum(F("participants_onsite") + F("participants_online")),
        )
        .order_by()
    )
    by_region: dict[int, dict] = {
        row["host_region_id"]: {"events": row["events"], "participants": row["participants"] or 0}
        for row in events
    }

    money = DecimalField(**MONEY)
    # The granted sums come first: a UNION's columns take their types from its first part.
    # The status is a condition of the sum, not of WHERE: filtering on it makes SQLite read
    # through the status index, slower than a scan.
    granted = (
        data.decided_in_period.values(region_pk=F("idea__regions"))
        .annotate(
            ideas=Value(0, output_field=IntegerField()),
            granted=Sum("granted", filter=Q(status=ApplicationStatus.APPROVED)),
        )
        .order_by()
    )
    # Each (idea, region) pair is one row of the link table, so a plain count counts ideas.
    involved = (
        Idea.regions.through.objects.filter(idea__in=data.ideas_in_period.values("pk"))
        .values(region_pk=F("region_id"))
        .annotate(ideas=Count("idea_id"), granted=Value(ZERO, output_field=money))
        .order_by()
    )
    for row in granted.union(involved, all=True).order_by():
        if row["region_pk"] is None:  # applications of ideas with no region
            continue
        totals = by_region.setdefault(row["region_pk"], {})
        totals["ideas"] = totals.get("ideas", 0) + row["ideas"]
        totals["granted"] = totals.get("granted", ZERO) + (row["granted"] or ZERO)

    return Regions(
        period=period,
        rows=[
            RegionRow(code=region.code, name=region.name, **by_region.get(region.pk, {}))
            for region in data.regions
        ],
    )
