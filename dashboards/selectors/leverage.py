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
from django.db.models import CharField, Count, F, IntegerField, Q, QuerySet, Sum, Value
from django.utils import timezone

from core.formatting import share_of
from core.models import localized_column
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


def _grant_rows(grants: QuerySet) -> QuerySet:
    """The grants per decision day and the largest grants, in one query (UNION ALL).

    A day's row has ``top`` 0 and its sums; a grant among the ``TOP_GRANTS`` largest has
    ``top`` 1, its own € in ``total`` and its idea's and instrument's names. The columns the
    other kind does not use are typed NULLs. Neither part's order survives the union: the
    caller sorts."""
    dropped = Q(idea__stage=Stage.DROPPED)
    text, number = CharField(), IntegerField()
    per_day = (
        grants.order_by()
        .values("decided_on")
        .annotate(
            top=Value(0, output_field=number),
            n_decisions=Count("pk"),
            total=Sum("granted"),
            n_dropped=Count("pk", filter=dropped),
            to_dropped=Sum("granted", filter=dropped),
            grant_pk=Value(None, output_field=number),
            idea_title=Value(None, output_field=text),
            instrument_name=Value(None, output_field=text),
            idea_stage=Value(None, output_field=text),
        )
    )
    # The largest grants: most € first, then the earlier decision, then the lower pk.
    ranked = grants.filter(granted__gt=0).order_by("-granted", "decided_on", "pk")
    largest = (
        grants.filter(pk__in=ranked.values("pk")[:TOP_GRANTS])
        .order_by()
        .values(
            "decided_on",
            top=Value(1, output_field=number),
            n_decisions=Value(None, output_field=number),
            total=F("granted"),
            n_dropped=Value(None, output_field=number),
            to_dropped=Value(None, output_field=per_day.query.annotations["total"].output_field),
            grant_pk=F("pk"),
            idea_title=F("idea__title"),
            # The instrument's name in the active language, by the model's own rule.
            instrument_name=localized_column("instrument__name"),
            idea_stage=F("idea__stage"),
        )
    )
    return per_day.union(largest, all=True).order_by()


def leverage(data: DashboardData, window: str = DEFAULT_WINDOW) -> Leverage:
    """The grants counted in the window, per decision day, the largest of them and those to
    ideas dropped since (one query). The dashboard's filters apply: with an instrument
    chosen only its grants count; with themes, regions or stages, only their ideas'."""
    chosen = leverage_window(window, data.period, period_chosen=data.period_chosen)
    found = list(_grant_rows(leverage_grants(data.applications, chosen)))
    per_day = sorted((row for row in found if not row["top"]), key=lambda row: row["decided_on"])
    largest = sorted(
        (row for row in found if row["top"]),
        key=lambda row: (-row["total"], row["decided_on"], row["grant_pk"]),
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
    top = [
        TopGrant(
            idea=row["idea_title"],
            instrument=row["instrument_name"],
            decided_on=row["decided_on"],
            granted=row["total"],
            share=share_of(row["total"], running),
            ratio_without=share_of(running - row["total"], own),
            dropped=row["idea_stage"] == Stage.DROPPED,
        )
        for row in largest
    ]
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
