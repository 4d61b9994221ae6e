"""Time in stage: how long ideas stay in each open stage, from the stage history, and the
ideas stalled at the end of the period (``portfolio.stalled``: the same rule as the board's)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import (
    BooleanField,
    Case,
    Count,
    DateTimeField,
    F,
    Q,
    QuerySet,
    Value,
    When,
    Window,
)
from django.db.models.functions import Coalesce, Lead
from django.utils import timezone

from core.dates import WholeDays
from dashboards import summaries
from dashboards.models import IdeaFactSummary
from dashboards.selectors import DashboardData
from portfolio import stalled as rule
from portfolio.models import Idea, StageTransition
from portfolio.stages import OPEN_STAGES, Stage

# The page lists the stalled ideas longest in their stage; the caption and the table count
# all of them.
STALLED_LIST_LIMIT = 50


@dataclass(frozen=True)
class StageSpread:
    """The stays in one stage: how many, the box plot's five numbers and the mean, in days."""

    stage: Stage
    stays: int = 0
    # Stays that had not ended when the period did; they count up to its end.
    ongoing: int = 0
    # Ideas in the stage stalled at the end of the period.
    stalled: int = 0
    shortest: int | None = None
    q1: float | None = None
    median: float | None = None
    q3: float | None = None
    longest: int | None = None
    mean: float | None = None


@dataclass(frozen=True)
class StalledIdea:
    idea_id: int
    title: str
    stage: Stage
    days: int  # in the stage at the end of the period
    rule: str  # the portfolio.stalled rule that finds it stalled


@dataclass
class TimeInStage:
    start: date
    # The period's last day, or today when the period has not ended yet.
    end: date
    # STALE_AFTER_DAYS, the limit of the idea, consortium and application stages.
    stale_after_days: int
    stages: list[StageSpread] = field(default_factory=list)
    # The stalled ideas longest in their stage first, at most STALLED_LIST_LIMIT of them.
    stalled: list[StalledIdea] = field(default_factory=list)
    stalled_count: int = 0

    @property
    def stays(self) -> int:
        return sum(spread.stays for spread in self.stages)


def _quantile(histogram: list[tuple[int, int]], total: int, share: float) -> float:
    """The ``share`` quantile of the days, interpolated linearly between neighbouring stays
    (numpy's default), read from (days, number of stays) pairs in ascending days."""
    position = share * (total - 1)
    below = int(position)

    def nth(index: int) -> int:
        seen = 0
        for days, count in histogram:
            seen += count
            if index < seen:
                return days
        return histogram[-1][0]

    low = nth(below)
    if position == below:
        return float(low)
    return low + (nth(below + 1) - low) * (position - below)


def _spread(
    stage: Stage, histogram: list[tuple[int, int]], ongoing: int, stalled: int
) -> StageSpread:
    if not histogram:
        return StageSpread(stage, stalled=stalled)
    histogram.sort()
    total = sum(count for _days, count in histogram)
    return StageSpread(
        stage=stage,
        stays=total,
        ongoing=ongoing,
        stalled=stalled,
        shortest=histogram[0][0],
        q1=_quantile(histogram, total, 0.25),
        median=_quantile(histogram, total, 0.5),
        q3=_quantile(histogram, total, 0.75),
        longest=histogram[-1][0],
        mean=sum(days * count for days, count in histogram) / total,
    )


def time_in_stage(data: DashboardData) -> TimeInStage:
    """Every stay of the filtered ideas in an open stage that overlaps the period: from the
    move into the stage to the next move, or to the end of the period for an idea still
    there. A stay that began before the period counts in full. Two queries: the number of
    stays per stage and length in days, and the stalled ideas longest in their stage at the
    end of the period (or now, when the period has not ended) with the number stalled per
    stage.

    Completed and dropped are left out: an idea is not waiting there, so its "time in
    stage" would only grow with the calendar.
    """
    period = data.period
    now = timezone.now()
    cutoff = min(period.ends_before, now)
    result = TimeInStage(
        start=period.start,
        end=max(period.start, timezone.localdate(cutoff - timedelta(microseconds=1))),
        stale_after_days=rule.idle_days(),
    )
    if cutoff <= period.starts_at:
        result.stages = [StageSpread(stage) for stage in OPEN_STAGES]
        return result

    histograms: dict[str, list[tuple[int, int]]] = {stage: [] for stage in OPEN_STAGES}
    ongoing = dict.fromkeys(OPEN_STAGES, 0)
    rows = _summarised_stays(data, cutoff) if data.summarised else _stays(data, cutoff)
    if rows is None:  # an invalid filter selects no ideas
        result.stages = [StageSpread(stage) for stage in OPEN_STAGES]
        return result
    for stage, still_there, days, count in rows:
        if stage not in histograms:
            continue
        histograms[stage].append((days, count))
        if still_there:
            ongoing[stage] += count
    found = _stalled(data, cutoff, now)
    idea, title = {
        Idea: ("pk", "title"), IdeaFactSummary: ("idea", "title")
    }.get(found.model, ("idea_id", "idea__title"))
    # The longest stalled and, on each of their rows, how many are stalled in each stage:
    # the rule is worked out once for both.
    per_stage = {
        f"stalled_in_{stage}": Window(Count("pk", filter=Q(**{rule.STAGE: stage})))
        for stage in OPEN_STAGES
    }
    rows = list(
        found.annotate(days=WholeDays(Value(cutoff), F(rule.ENTERED)), **per_stage)
        .order_by(rule.ENTERED, title, idea)
        .values_list(idea, title, rule.STAGE, "days", rule.STALLED, *per_stage)[
            :STALLED_LIST_LIMIT
        ]
    )
    counts = dict.fromkeys(OPEN_STAGES, 0)
    if rows:
        counts = dict(zip(OPEN_STAGES, rows[0][5:], strict=True))
    result.stages = [
        _spread(stage, histograms[stage], ongoing[stage], counts[stage]) for stage in OPEN_STAGES
    ]
    result.stalled_count = sum(counts.values())
    result.stalled = [
        StalledIdea(pk, name, Stage(stage), days, why)
        for pk, name, stage, days, why, *_counts in rows
    ]
    return result


Stays = list[tuple[str, bool, int, int]]  # (stage, still there, days, number of stays)


def _summarised_stays(data: DashboardData, cutoff: datetime) -> Stays:
    """The stays from the summary tables: those ended before the cutoff with the days
    stored for them, those still open then (their next move at the cutoff or later) counted
    up to it — one UNION ALL."""
    ongoing = BooleanField()
    in_stages = summaries.stays(data.summary_stages).filter(
        stage__in=OPEN_STAGES, entered_at__lt=cutoff
    )
    ended = (
        in_stages.filter(left_at__gt=data.period.starts_at, left_at__lt=cutoff)
        .annotate(ongoing=Value(False, output_field=ongoing))
        .values_list("stage", "ongoing", "days")
        .annotate(Count("pk"))
    )
    still_open = (
        in_stages.filter(Q(left_at__isnull=True) | Q(left_at__gte=cutoff))
        .annotate(
            ongoing=Value(True, output_field=ongoing),
            open_days=WholeDays(Value(cutoff, output_field=DateTimeField()), "entered_at"),
        )
        .values_list("stage", "ongoing", "open_days")
        .annotate(Count("pk"))
    )
    return list(ended.union(still_open, all=True).order_by())


def _stays(data: DashboardData, cutoff: datetime) -> Stays | None:
    """The stays from the stage history itself; None when the filters select no ideas."""
    period = data.period
    # Only moves before the cutoff are read, so a stay whose next move is later is still
    # open at the cutoff and counts up to it.
    next_move = Window(
        Lead("at"), partition_by=[F("idea_id")], order_by=[F("at").asc(), F("pk").asc()]
    )
    stays = (
        StageTransition.objects.filter(idea__in=data.ideas, at__lt=cutoff)
        .annotate(next_at=next_move)
        .annotate(left_at=Coalesce("next_at", Value(cutoff)))
        .filter(left_at__gt=period.starts_at)
        .annotate(
            days=WholeDays("left_at", "at"),
            ongoing=Case(
                When(next_at__isnull=True, then=Value(True)),
                default=Value(False),
                output_field=BooleanField(),
            ),
        )
        .values("to_stage", "ongoing", "days")
        .order_by()
    )
    # The ORM cannot group rows by a value computed with a window function, so the
    # grouping wraps the ORM's own query.
    connection = connections[stays.db]
    try:
        inner, params = stays.query.get_compiler(connection=connection).as_sql()
    except EmptyResultSet:
        return None
    columns = ", ".join(
        connection.ops.quote_name(name) for name in ("to_stage", "ongoing", "days")
    )
    grouped = f"SELECT {columns}, COUNT(*) FROM ({inner}) stays GROUP BY {columns}"
    with connection.cursor() as cursor:
        cursor.execute(grouped, params)
        return cursor.fetchall()


def _stalled(data: DashboardData, cutoff: datetime, now: datetime) -> QuerySet:
    """The filtered ideas stalled at the cutoff, with the rule's names annotated. Today the
    ideas themselves, from their own stage and entry time (the stage service writes them
    with every move, so they equal the last history row); at a past cutoff their last stage
    moves before it, from the history as it stood then."""
    if cutoff == now:
        if data.summarised:
            return rule.stalled_facts(summaries.idea_facts(data.summary_stages), now=cutoff)
        return data.ideas.stalled(now=cutoff)
    return rule.stalled_moves_as_at(data.ideas, cutoff)
