"""Outcomes per roadshow event on the dashboard: the event pages' selector
(``portfolio.selectors.outcomes.event_outcomes``) over the dashboard's filtered ideas and
applications, and the leverage's window, so € granted over the events adds up to the
leverage's numerator."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count, Q

from core.dates import end_of_day
from dashboards.models import IdeaFactSummary
from dashboards.selectors import DashboardData
from dashboards.selectors.leverage import DEFAULT_WINDOW, leverage_window
from portfolio.models import RoadshowEvent
from portfolio.selectors.outcomes import (
    REACHED_CONSORTIUM,
    EventOutcome,
    OutcomeTotals,
    Window,
    event_outcomes,
    outcome_totals,
)


@dataclass
class EventOutcomes:
    window: Window
    rows: list[EventOutcome] = field(default_factory=list)  # oldest event first
    as_at: date | None = None  # a chosen period's end; None: to date

    @property
    def totals(self) -> OutcomeTotals:
        return outcome_totals(self.rows)


def events(data: DashboardData, window: str = DEFAULT_WINDOW) -> EventOutcomes:
    """Every roadshow event with what its ideas (those the filters keep) led to in the
    window (one query); under a chosen period, as at its end."""
    chosen = leverage_window(window, data.period, period_chosen=data.period_chosen)
    events = RoadshowEvent.objects.select_related("host_region").order_by("date", "title", "pk")
    # Under a chosen period the figures are as at its end: the events held by then, the
    # ideas born by then and the stages they had reached by then.
    as_at = data.period.end if data.period_chosen else None
    if as_at is not None:
        events = events.filter(date__lte=as_at)
    rows = event_outcomes(
        chosen, events=events, ideas=data.ideas, applications=data.applications, as_at=as_at,
        born=_born(data, as_at) if data.summarised else None,
    )
    return EventOutcomes(window=chosen, as_at=as_at, rows=rows)


def _born(data: DashboardData, as_at: date | None) -> dict[int, tuple[int, int]]:
    """Per event: the ideas born there and those of them that reached consortium forming,
    from the ideas' facts (``dashboards.summaries``) — as ``event_outcomes`` counts them."""
    facts = IdeaFactSummary.objects.filter(origin_event__isnull=False).order_by()
    if data.summary_stages:
        facts = facts.filter(stage__in=data.summary_stages)
    if as_at is None:
        reached = Q(stage__in=REACHED_CONSORTIUM) | Q(reached_consortium_at__isnull=False)
    else:
        moment = end_of_day(as_at)
        facts = facts.filter(created_at__lt=moment)
        reached = Q(reached_consortium_at__lt=moment)
    return {
        event: (born, consortium)
        for event, born, consortium in facts.values("origin_event")
        .annotate(born=Count("pk"), consortium=Count("pk", filter=reached))
        .values_list("origin_event", "born", "consortium")
    }
