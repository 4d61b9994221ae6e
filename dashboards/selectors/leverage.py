"""Network leverage: € granted to ideas born at the network's events, day by day, against
the network's own funding."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.conf import settings
from django.db.models import Count, Sum
from django.utils import timezone

from dashboards.selectors import DashboardData
from funding.models import ApplicationStatus

ZERO = Decimal("0")


@dataclass(frozen=True)
class GrantDay:
    """The approved decisions of one day and the running total up to that day."""

    day: date
    decisions: int
    granted: Decimal
    cumulative: Decimal


@dataclass
class Leverage:
    # The line runs from ``start`` to ``end``: the period, cut at today so a period that
    # has not ended yet does not draw a flat future.
    start: date
    end: date
    own_funding: Decimal
    days: list[GrantDay] = field(default_factory=list)

    @property
    def granted(self) -> Decimal:
        return self.days[-1].cumulative if self.days else ZERO

    @property
    def decisions(self) -> int:
        return sum(day.decisions for day in self.days)

    @property
    def ratio(self) -> Decimal | None:
        """€ granted per € of the network's own funding; None when there is no own funding."""
        if not self.own_funding:
            return None
        return self.granted / self.own_funding


def leverage(data: DashboardData) -> Leverage:
    """Approved decisions made in the period on applications of ideas that have an origin
    event, summed per decision day (one query). The instrument filter applies: with an
    instrument chosen, only its grants count."""
    period = data.period
    end = max(period.start, min(period.end, timezone.localdate()))
    per_day = (
        data.applications.filter(
            status=ApplicationStatus.APPROVED,
            decided_on__gte=period.start,
            decided_on__lte=period.end,
            idea__origin_event__isnull=False,
        )
        .values("decided_on")
        .annotate(decisions=Count("pk"), granted=Sum("granted"))
        .order_by("decided_on")
    )
    days: list[GrantDay] = []
    running = ZERO
    for row in per_day:
        granted = row["granted"] or ZERO
        running += granted
        days.append(GrantDay(row["decided_on"], row["decisions"], granted, running))
    return Leverage(
        start=period.start,
        end=max(end, days[-1].day) if days else end,
        own_funding=Decimal(settings.NETWORK_OWN_FUNDING),
        days=days,
    )
