"""Targets against the network's plan: each target's actual as at a day, beside the value to
reach and where a straight line from its start to its target date says it should be by then.

Every computed indicator has one written definition, the docstring of its method on
:class:`Actuals`; the README repeats them. Each counts from the target's start date to the
end of the day asked ("as at"), by the records' own dates, as the report's Summary counts
its "since the network started" column. The figures are the whole network's: the dashboard's
filters do not narrow them, since the plan's targets are the network's.

Queries: one for the targets with the entered indicators' actuals, and one per group of computed indicators asked for (events, organisations, ideas, consortia,
applications, regions, platforms, needs) per distinct start date — at most nine when the
targets share one start date, however many records there are.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import cached_property

from django.conf import settings
from django.db.models import Count, Exists, F, Min, OuterRef, Q, Sum
from django.utils import timezone

from core.formatting import share_of
from dashboards import summaries
from dashboards.filters import Period
from dashboards.models import IdeaCountSummary, Indicator, SummarySpan, Target
from funding.models import ApplicationStatus, FundingApplication
from network.models import DevelopmentNeed, NeedStatus, Platform
from portfolio.models import (
    ConsortiumMember,
    Idea,
    Organisation,
    RoadshowEvent,
)
from portfolio.selectors.outcomes import PERIOD, REACHED_CONSORTIUM, Window, leverage_grant_q

ZERO = Decimal(0)

# How a figure is written: a count, euros, or a multiple (leverage).
COUNT, EUROS, RATIO = "count", "euros", "ratio"
UNITS = {Indicator.APPLIED: EUROS, Indicator.GRANTED: EUROS, Indicator.LEVERAGE: RATIO}

# A company of these size classes is an SME (the EU's definition: micro, small, medium).
SME_SIZES = (
    Organisation.Size.MICRO,
    Organisation.Size.SMALL,
    Organisation.Size.MEDIUM,
)
# A development need has been communicated once it has moved on from "open".
COMMUNICATED = (
    NeedStatus.COMMUNICATED,
    NeedStatus.IN_PROGRESS,
    NeedStatus.ADDRESSED,
    NeedStatus.CLOSED,
)


def unit_of(indicator: str) -> str:
    return UNITS.get(indicator, COUNT)


class Actuals:
    """The computed indicators over one window of days (a target's start date to the day
    asked), each a method whose docstring is its definition. Indicators that come from the
    same rows share one query, read the first time one of them is asked for."""

    def __init__(self, window: Period) -> None:
        self.window = window

    def value(self, indicator: str) -> Decimal:
        return Decimal(getattr(self, indicator)())

    # --- roadshow events (one query) --------------------------------------------------

    @cached_property
    def _events(self) -> dict:
        within = Q(date__gte=self.window.start, date__lte=self.window.end)
        return RoadshowEvent.objects.filter(within).aggregate(
            events=Count("pk"),
            onsite=Sum("participants_onsite", default=0),
            remote=Sum("participants_online", default=0),
        )

    def events(self) -> int:
        """Roadshow events held: events dated in the window."""
        return self._events["events"]

    def participants(self) -> int:
        """Participants: on-site and remote participants of the events held in the window."""
        return self._events["onsite"] + self._events["remote"]

    def participants_onsite(self) -> int:
        """Participants on site at the events held in the window."""
        return self._events["onsite"]

    def participants_remote(self) -> int:
        """Participants who took part online (remotely) in the events held in the window."""
        return self._events["remote"]

    # --- organisations reached (one query) --------------------------------------------

    @cached_property
    def _organisations(self) -> dict:
        attended = RoadshowEvent.organisations.through.objects.filter(
            roadshowevent__date__gte=self.window.start, roadshowevent__date__lte=self.window.end
        )
        kind = "organisation__kind"
        Kind = Organisation.Kind

        def distinct(condition: Q | None = None) -> Count:
            return Count("organisation", distinct=True, filter=condition)

        return attended.aggregate(
            organisations=distinct(),
            companies=distinct(Q(**{kind: Kind.COMPANY})),
            smes=distinct(Q(**{kind: Kind.COMPANY}, organisation__size__in=SME_SIZES)),
            research=distinct(Q(**{kind: Kind.RESEARCH})),
            education=distinct(Q(**{kind: Kind.EDUCATION})),
            public=distinct(Q(**{kind: Kind.PUBLIC})),
        )

    def organisations(self) -> int:
        """Organisations reached: different organisations recorded as attending an event held
        in the window (an organisation at several events counts once), as the report counts
        attending organisations."""
        return self._organisations["organisations"]

    def companies(self) -> int:
        """Companies reached: organisations reached whose kind is company."""
        return self._organisations["companies"]

    def smes(self) -> int:
        """SMEs reached: companies reached whose size class is micro, small or medium-sized
        (a company of unknown size is not counted as an SME)."""
        return self._organisations["smes"]

    def research(self) -> int:
        """Research organisations reached."""
        return self._organisations["research"]

    def education(self) -> int:
        """Education institutions reached."""
        return self._organisations["education"]

    def public(self) -> int:
        """Public organisations reached."""
        return self._organisations["public"]

    # --- ideas and consortia ----------------------------------------------------------

    def new_ideas(self) -> int:
        """New ideas: ideas created in the window (as the report's "new ideas")."""
        window = self.window
        return Idea.objects.filter(
            created_at__gte=window.starts_at, created_at__lt=window.ends_before
        ).count()

    def consortia(self) -> int:
        """Consortia formed: ideas whose stage history first reached consortium forming (or a
        later stage) in the window, and whose consortium has a lead organisation with a
        committed membership. An idea counts once, on the day it first got there, even if
        it was sent back or dropped since."""
        window = self.window
        committed_lead = ConsortiumMember.objects.filter(
            idea=OuterRef("pk"),
            role=ConsortiumMember.Role.LEAD,
            status=ConsortiumMember.Status.COMMITTED,
        )
        return (
            Idea.objects.annotate(
                formed_at=Min(
                    "transitions__at", filter=Q(transitions__to_stage__in=REACHED_CONSORTIUM)
                )
            )
            .filter(
                Exists(committed_lead),
                formed_at__gte=window.starts_at,
                formed_at__lt=window.ends_before,
            )
            .count()
        )

    # --- applications and money (one query) ------------------------------------------

    @cached_property
    def _applications(self) -> dict:
        start, end = self.window.start, self.window.end
        submitted = Q(submitted_on__gte=start, submitted_on__lte=end)
        approved = Q(status=ApplicationStatus.APPROVED, decided_on__gte=start, decided_on__lte=end)
        return FundingApplication.objects.aggregate(
            n_submitted=Count("pk", filter=submitted),
            applied_sum=Sum("requested", filter=submitted, default=ZERO),
            granted_sum=Sum("granted", filter=approved, default=ZERO),
            leverage_sum=Sum(
                "granted", filter=leverage_grant_q(Window(PERIOD, start, end)), default=ZERO
            ),
        )

    def applications(self) -> int:
        """Applications submitted: funding applications whose submission day is in the
        window."""
        return self._applications["n_submitted"]

    def applied(self) -> Decimal:
        """€ applied: the € requested in the applications submitted in the window."""
        return self._applications["applied_sum"]

    def granted(self) -> Decimal:
        """€ granted: the € granted in approvals decided in the window, to any idea."""
        return self._applications["granted_sum"]

    def leverage(self) -> Decimal:
        """Leverage: the € granted in approvals decided in the window to ideas born at the
        network's events (the dashboard's leverage rule, ``leverage_grant_q``) ÷ the
        network's own funding (``NETWORK_OWN_FUNDING``)."""
        own = Decimal(settings.NETWORK_OWN_FUNDING)
        return share_of(self._applications["leverage_sum"], own) or ZERO

    # --- regions ------------------------------------------------------------------------

    def new_regions(self) -> int:
        """Regions newly linked (the plan's "new regions join"): regions whose first link to
        the network in all the data — the first event they hosted, or the first idea that
        involves them — falls in the window."""
        # Grouped, not a subquery per region: PostgreSQL sorted every idea's regions once
        # per region for the latter.
        first: dict[int, list[date]] = defaultdict(list)
        for region, day in (
            RoadshowEvent.objects.filter(host_region__isnull=False)
            .order_by()
            .values_list("host_region")
            .annotate(Min("date"))
        ):
            first[region].append(day)
        if summaries.summaries_ready():
            # The first day with an idea in the region's rows: a few thousand rows, not
            # every idea's regions.
            first_days = (
                IdeaCountSummary.objects.filter(
                    span=SummarySpan.DAY, theme=summaries.ALL
                )
                .exclude(region=summaries.ALL)
                .order_by()
                .values_list("region")
                .annotate(Min("start"))
            )
        else:
            first_days = (
                (region, timezone.localdate(moment))
                for region, moment in Idea.regions.through.objects.order_by()
                .values_list("region")
                .annotate(Min("idea__created_at"))
            )
        for region, day in first_days:
            first[region].append(day)
        return sum(self.window.start <= min(days) <= self.window.end for days in first.values())

    # --- the network's own records ----------------------------------------------------

    def platforms(self) -> int:
        """Shared platforms identified: platforms recorded in the window, whether or not they
        are still available."""
        window = self.window
        return Platform.objects.filter(
            created_at__gte=window.starts_at, created_at__lt=window.ends_before
        ).count()

    def needs(self) -> int:
        """Development needs communicated to national bodies: needs recorded in the window
        that name the national body they are taken to and have moved on from "open"
        (communicated, in progress, addressed or closed). No day of communication is kept, so
        a need counts by the day it was recorded."""
        window = self.window
        return (
            DevelopmentNeed.objects.filter(
                created_at__gte=window.starts_at,
                created_at__lt=window.ends_before,
                status__in=COMMUNICATED,
            )
            .exclude(addressed_to="")
            .count()
        )


def manual_actual_sum(as_at: date) -> Sum:
    """An entered indicator's actual, as an aggregate over its targets' values: the sum of
    its values for periods that ended from the target's start to ``as_at``. Each period's
    value counts once the period is over, so a value for a quarter still running does not
    count yet; periods never overlap (``ManualValue.clean``), so nothing counts twice."""
    return Sum(
        "manual_values__value",
        filter=Q(
            manual_values__period_end__gte=F("start_date"),
            manual_values__period_end__lte=as_at,
        ),
        default=ZERO,
    )


def expected_at(target_value: Decimal, start: date, target_date: date, as_at: date) -> Decimal:
    """Where a straight line from nothing on ``start`` to ``target_value`` on ``target_date``
    is on ``as_at``: nothing before the start, the whole target from the target date on."""
    if as_at <= start:
        return ZERO
    if as_at >= target_date:
        return target_value
    return target_value * Decimal((as_at - start).days) / Decimal((target_date - start).days)


@dataclass(frozen=True)
class TargetRow:
    target: Target
    label: str
    unit: str  # COUNT, EUROS or RATIO
    actual: Decimal
    target_value: Decimal
    start_date: date
    target_date: date
    as_at: date
    expected: Decimal  # on the straight line from the start to the target, at as_at

    @property
    def reached(self) -> Decimal | None:
        """Actual ÷ target, unrounded (the page and the sheet round it as every share is)."""
        return share_of(self.actual, self.target_value)

    @property
    def on_track(self) -> bool:
        """At or above the straight line from the start date to the target date."""
        return self.actual >= self.expected

    @property
    def is_manual(self) -> bool:
        return self.target.is_manual


def target_progress(as_at: date) -> list[TargetRow]:
    """Every target of the plan with its actual as at the end of ``as_at``, counted from the
    target's start date, in the plan's order (computed indicators first, then those
    entered per period by name)."""
    # The entered indicators' actuals come with the targets, in the same query.
    targets = list(Target.objects.annotate(entered=manual_actual_sum(as_at)).in_plan_order())
    # Targets counted from the same day share their queries.
    actuals: dict[date, Actuals] = {}
    rows = []
    for target in targets:
        window = Period(target.start_date, max(as_at, target.start_date))
        if as_at < target.start_date:
            actual = ZERO
        elif target.is_manual:
            actual = target.entered
        else:
            counted = actuals.setdefault(target.start_date, Actuals(window))
            actual = counted.value(target.indicator)
        rows.append(
            TargetRow(
                target=target,
                label=target.label,
                unit=COUNT if target.is_manual else unit_of(target.indicator),
                actual=actual,
                target_value=target.target_value,
                start_date=target.start_date,
                target_date=target.target_date,
                as_at=as_at,
                expected=expected_at(
                    target.target_value, target.start_date, target.target_date, as_at
                ),
            )
        )
    return rows
