"""Network leverage: € granted (approved applications, by decision date) to ideas born at
the network's events ÷ the network's own funding, over a window that is always stated.

The grants counted are ``portfolio.selectors.outcomes.leverage_grants``: the same ones the
per-event outcomes sum, so the two agree for the same window.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal

from django.conf import settings
from django.db.models import Count, Q, Sum
from django.utils import timezone

from core.formatting import share_of
from dashboards.filters import Period
from dashboards.selectors import DashboardData
from portfolio.selectors.outcomes import (
    ALL,
    FOLLOW_ON,
    FUNDING,
    PERIOD,
    Window,
    leverage_grants,
    network_window,
    network_window_keys,
)
from portfolio.stages import Stage

ZERO = Decimal(0)
# The largest grants listed, so that one outlier is visible.
TOP_GRANTS = 5
DEFAULT_WINDOW = FUNDING


def window_keys() -> list[str]:
    """The windows the leverage can be read over, in the order the switch offers them."""
    keys = network_window_keys()
    return [*keys[:-1], PERIOD, ALL]


def default_window(period_chosen: bool) -> str:
    """With a period chosen the leverage is the period's own; without one, the funding
    period's."""
    return PERIOD if period_chosen else DEFAULT_WINDOW


def leverage_window(key: str, period: Period, *, period_chosen: bool = False) -> Window:
    """The window ``key`` names: the dashboard's period for ``PERIOD``, else one of the
    network's (the funding period for an unknown key).

    Under a chosen period every figure is as at the period's end, so a network window is
    cut there too: the funding period's leverage under Q2/2023 counts the decisions made by
    30.6.2023, not those made later."""
    if key == PERIOD:
        return Window(PERIOD, period.start, period.end)
    window = network_window(key if key in (FOLLOW_ON, ALL) else FUNDING)
    if period_chosen and window.end > period.end:
        window = replace(window, end=period.end)
    return window


@dataclass(frozen=True)
class GrantDay:
    """The approved decisions of one day and the running total up to that day."""

    day: date
    decisions: int
    granted: Decimal
    cumulative: Decimal


@dataclass(frozen=True)
class TopGrant:
    """One of the largest grants counted, with what the leverage would be without it."""

    idea: str
    instrument: str
    decided_on: date
    granted: Decimal
    share: Decimal | None  # of all € counted
    ratio_without: Decimal | None  # € counted without this grant ÷ own funding
    dropped: bool  # the idea has been dropped since


@dataclass
class Leverage:
    window: Window
    # The line runs from ``start`` to ``end``: the window, cut at today so a window that has
    # not ended yet does not draw a flat future; all to date starts at the first decision.
    start: date
    end: date
    own_funding: Decimal
    budget: Decimal
    days: list[GrantDay] = field(default_factory=list)
    top: list[TopGrant] = field(default_factory=list)
    # Grants to ideas dropped since: counted in ``granted``, shown apart.
    dropped_granted: Decimal = ZERO
    dropped_decisions: int = 0

    @property
    def granted(self) -> Decimal:
        return self.days[-1].cumulative if self.days else ZERO

    @property
    def decisions(self) -> int:
        return sum(day.decisions for day in self.days)

    @property
    def ratio(self) -> Decimal | None:
        """€ granted per € of the network's own funding; None when there is no own funding."""
        return share_of(self.granted, self.own_funding)

    @property
    def ratio_over_budget(self) -> Decimal | None:
        """€ granted per € of the network's total budget; None when there is no budget."""
        return share_of(self.granted, self.budget)


def leverage(data: DashboardData, window: str = DEFAULT_WINDOW) -> Leverage:
    """The grants counted in the window, per decision day, the largest of them and those to
    ideas dropped since (two queries). The dashboard's filters apply: with an instrument
    chosen only its grants count; with themes, regions or stages, only their ideas'."""
    chosen = leverage_window(window, data.period, period_chosen=data.period_chosen)
    grants = leverage_grants(data.applications, chosen)
    dropped = Q(idea__stage=Stage.DROPPED)
    per_day = (
        grants.values("decided_on")
        .annotate(
            n_decisions=Count("pk"),
            total=Sum("granted"),
            n_dropped=Count("pk", filter=dropped),
            to_dropped=Sum("granted", filter=dropped),
        )
        .order_by("decided_on")
    )
    days: list[GrantDay] = []
    running = dropped_granted = ZERO
    dropped_decisions = 0
    for row in per_day:
        granted = row["total"] or ZERO
        running += granted
        days.append(GrantDay(row["decided_on"], row["n_decisions"], granted, running))
        dropped_granted += row["to_dropped"] or ZERO
        dropped_decisions += row["n_dropped"]
    own = Decimal(settings.NETWORK_OWN_FUNDING)
    top = []
    for application in grants.filter(granted__gt=0).select_related("idea", "instrument").order_by(
        "-granted", "decided_on", "pk"
    )[:TOP_GRANTS]:
        top.append(
            TopGrant(
                idea=application.idea.title,
                instrument=application.instrument.name,
                decided_on=application.decided_on,
                granted=application.granted,
                share=share_of(application.granted, running),
                ratio_without=share_of(running - application.granted, own),
                dropped=application.idea.stage == Stage.DROPPED,
            )
        )
    today = timezone.localdate()
    start = chosen.start or (days[0].day if days else today)
    end = max(start, min(chosen.end, today))
    return Leverage(
        window=chosen,
        start=start,
        end=max(end, days[-1].day) if days else end,
        own_funding=own,
        budget=Decimal(settings.NETWORK_BUDGET),
        days=days,
        top=top,
        dropped_granted=dropped_granted,
        dropped_decisions=dropped_decisions,
    )
