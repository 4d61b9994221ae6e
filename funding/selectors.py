"""Reads for the funding pages: the application list with totals, instruments, calls."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from django.db.models import Count, F, QuerySet, Sum
from django.utils import timezone

from funding.models import FundingApplication, FundingCall, FundingInstrument, Level
from portfolio.models import Idea

PAST_CALLS = 20


def applications_for_table(applications: QuerySet[FundingApplication]) -> QuerySet:
    """Rows of the application list: newest submission first, drafts (no date) last."""
    return applications.select_related("idea", "instrument", "applicant").order_by(
        F("submitted_on").desc(nulls_last=True), "-created_at", "-pk"
    )


@dataclass(frozen=True)
class ApplicationTotals:
    count: int
    requested: Decimal
    granted: Decimal


def application_totals(applications: QuerySet[FundingApplication]) -> ApplicationTotals:
    row = applications.order_by().aggregate(
        count=Count("pk"), requested=Sum("requested"), granted=Sum("granted")
    )
    return ApplicationTotals(
        count=row["count"],
        requested=row["requested"] or Decimal("0"),
        granted=row["granted"] or Decimal("0"),
    )


@dataclass(frozen=True)
class InstrumentGroup:
    level: Level
    instruments: list[FundingInstrument]


def instruments_by_level() -> list[InstrumentGroup]:
    """Instruments grouped regional → national → EU, each annotated with its number of
    applications and the € granted to them (one query)."""
    instruments = FundingInstrument.objects.select_related("funder").annotate(
        application_count=Count("applications"), granted=Sum("applications__granted")
    )
    groups: dict[str, list[FundingInstrument]] = {level: [] for level in Level}
    # Sorted by the name in the reader's language, which SQL does not know.
    for instrument in sorted(instruments, key=lambda row: row.name.casefold()):
        groups.setdefault(instrument.level, []).append(instrument)
    return [
        InstrumentGroup(level=Level(level), instruments=rows)
        for level, rows in groups.items()
        if rows
    ]


@dataclass(frozen=True)
class CallRow:
    call: FundingCall
    days_left: int | None


def _calls() -> QuerySet[FundingCall]:
    return FundingCall.objects.select_related("instrument", "instrument__funder")


def open_calls(now: datetime | None = None) -> list[CallRow]:
    """Calls open now, the nearest deadline first, with whole calendar days left (Helsinki)."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    return [
        CallRow(call=call, days_left=(timezone.localdate(call.deadline) - today).days)
        for call in _calls().open_on(now).order_by("deadline", "pk")
    ]


def upcoming_calls(now: datetime | None = None) -> QuerySet[FundingCall]:
    """Calls announced but not yet open: the complement of ``open_on`` among future deadlines,
    with the same day boundary, so no call is listed twice or lost between the lists."""
    now = now or timezone.now()
    return (
        _calls()
        .filter(opens__gt=now.date(), deadline__gte=now)
        .order_by("opens", "deadline", "pk")
    )


def past_calls(now: datetime | None = None, limit: int = PAST_CALLS) -> QuerySet[FundingCall]:
    """The most recently closed calls."""
    now = now or timezone.now()
    return _calls().filter(deadline__lt=now).order_by("-deadline", "-pk")[:limit]


def idea_applications(idea: Idea) -> QuerySet[FundingApplication]:
    """The idea's funding applications, newest submission first."""
    return FundingApplication.objects.filter(idea=idea).select_related(
        "instrument", "call", "applicant"
    )
