"""Portfolio balance: ideas, € requested and € granted per theme × region."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Q, Sum

from dashboards.selectors import DashboardData
from funding.models import ApplicationStatus
from portfolio.models import Region, Theme

METRICS = ("ideas", "requested", "granted")
ZERO = Decimal("0")
Numbers = dict[str, int | Decimal]


@dataclass
class Balance:
    themes: list[Theme]
    regions: list[Region]
    # (theme id, region id) → numbers; a pair with no numbers is a gap.
    cells: dict[tuple[int, int], Numbers] = field(default_factory=dict)
    # Totals count each idea and application once, however many themes or regions it has.
    theme_totals: dict[int, Numbers] = field(default_factory=dict)
    region_totals: dict[int, Numbers] = field(default_factory=dict)
    total: Numbers = field(default_factory=dict)

    def value(self, theme: Theme, region: Region, metric: str) -> int | Decimal:
        return self.cells.get((theme.pk, region.pk), {}).get(metric, 0)


def _metrics(data: DashboardData) -> dict:
    period = data.period
    applications = Q()
    if data.instrument is not None:
        applications = Q(funding_applications__instrument=data.instrument)
    return {
        "ideas": Count(
            "pk",
            distinct=True,
            filter=Q(created_at__gte=period.starts_at, created_at__lt=period.ends_before),
        ),
        "requested": Sum(
            "funding_applications__requested",
            filter=applications
            & Q(
                funding_applications__submitted_on__gte=period.start,
                funding_applications__submitted_on__lte=period.end,
            ),
        ),
        "granted": Sum(
            "funding_applications__granted",
            filter=applications
            & Q(
                funding_applications__status=ApplicationStatus.APPROVED,
                funding_applications__decided_on__gte=period.start,
                funding_applications__decided_on__lte=period.end,
            ),
        ),
    }


def _numbers(row: dict) -> Numbers:
    return {
        "ideas": row["ideas"] or 0,
        "requested": row["requested"] or ZERO,
        "granted": row["granted"] or ZERO,
    }


def balance(data: DashboardData) -> Balance:
    """Per theme × region of the filtered ideas: ideas created in the period, € requested
    in applications submitted in it, € granted in approvals decided in it. Four queries:
    the cells, the theme totals, the region totals and the whole."""
    metrics = _metrics(data)
    ideas = data.ideas.order_by()
    result = Balance(themes=data.themes, regions=data.regions)
    for row in ideas.values("themes", "regions").annotate(**metrics):
        numbers = _numbers(row)
        if row["themes"] and row["regions"] and any(numbers.values()):
            result.cells[(row["themes"], row["regions"])] = numbers
    result.theme_totals = {
        row["themes"]: _numbers(row)
        for row in ideas.values("themes").annotate(**metrics)
        if row["themes"]
    }
    result.region_totals = {
        row["regions"]: _numbers(row)
        for row in ideas.values("regions").annotate(**metrics)
        if row["regions"]
    }
    result.total = _numbers(ideas.aggregate(**metrics))
    return result
