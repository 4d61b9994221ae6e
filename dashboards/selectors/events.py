"""Outcomes per roadshow event on the dashboard: the event pages' selector
(``portfolio.selectors.outcomes.event_outcomes``) over the dashboard's filtered ideas and
applications, and the leverage's window, so € granted over the events adds up to the
leverage's numerator."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from dashboards.selectors import DashboardData
from dashboards.selectors.leverage import DEFAULT_WINDOW, leverage_window
from portfolio.models import RoadshowEvent
from portfolio.selectors.outcomes import OutcomeTotals, Window, event_outcomes, outcome_totals


@dataclass(frozen=True)
class EventOutcome:
    pk: int
    date: date
    title: str
    host_region: str
    born: int
    consortium: int
    applied: int
    requested: Decimal
    funded: int
    granted: Decimal

    @property
    def conversion(self) -> float | None:
        return self.funded / self.born if self.born else None


@dataclass
class EventOutcomes:
    window: Window
    rows: list[EventOutcome] = field(default_factory=list)  # oldest event first

    @property
    def totals(self) -> OutcomeTotals:
        return outcome_totals(self.rows)


def events(data: DashboardData, window: str = DEFAULT_WINDOW) -> EventOutcomes:
    """Every roadshow event with what its ideas (those the filters keep) led to in the
    window (one query)."""
    chosen = leverage_window(window, data.period, period_chosen=data.period_chosen)
    rows = event_outcomes(
        chosen,
        events=RoadshowEvent.objects.select_related("host_region").order_by("date", "title", "pk"),
        ideas=data.ideas,
        applications=data.applications,
    )
    return EventOutcomes(
        window=chosen,
        rows=[
            EventOutcome(
                pk=row.event.pk,
                date=row.date,
                title=row.title,
                host_region=row.event.host_region.name,
                born=row.born,
                consortium=row.consortium,
                applied=row.applied,
                requested=row.requested,
                funded=row.funded,
                granted=row.granted,
            )
            for row in rows
        ],
    )
