"""Activity: ideas created, applications submitted and decisions made per quarter."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Case, CharField, Count, IntegerField, Q, Sum, Value, When

from dashboards import summaries
from dashboards.filters import Period
from dashboards.selectors import DashboardData
from funding.models import ApplicationStatus


@dataclass(frozen=True)
class Quarter:
    year: int
    quarter: int  # 1–4
    created: int = 0
    submitted: int = 0
    approved: int = 0
    rejected: int = 0

    @property
    def decided(self) -> int:
        return self.approved + self.rejected


@dataclass
class Activity:
    period: Period
    quarters: list[Quarter]  # every quarter the period touches, oldest first, empty ones too

    @property
    def created(self) -> int:
        return sum(q.created for q in self.quarters)

    @property
    def submitted(self) -> int:
        return sum(q.submitted for q in self.quarters)

    @property
    def approved(self) -> int:
        return sum(q.approved for q in self.quarters)

    @property
    def rejected(self) -> int:
        return sum(q.rejected for q in self.quarters)

    @property
    def decided(self) -> int:
        return self.approved + self.rejected

    @property
    def is_empty(self) -> bool:
        return not (self.created or self.submitted or self.decided)


def quarter_of(day: date) -> tuple[int, int]:
    return day.year, (day.month - 1) // 3 + 1


def next_quarter(year: int, quarter: int) -> tuple[int, int]:
    return (year + 1, 1) if quarter == 4 else (year, quarter + 1)


def quarters_between(start: date, end: date) -> list[tuple[int, int]]:
    """Every quarter from the one holding ``start`` to the one holding ``end``."""
    key, last = quarter_of(start), quarter_of(end)
    keys = []
    while key <= last:
        keys.append(key)
        key = next_quarter(*key)
    return keys


def _buckets(field: str, starts: list[date | datetime]) -> Case:
    """The index of the quarter ``field`` falls in, given where each quarter but the first
    starts (the rows are already within the period).

    Plain comparisons rather than a truncation function: SQLite truncates dates in Python,
    one call per row, which costs several times the whole query at 100 000 ideas. Newest
    quarter first, since most rows are recent and stop at the first comparisons.
    """
    return Case(
        *[
            When(**{f"{field}__gte": start}, then=Value(index))
            for index, start in reversed(list(enumerate(starts, start=1)))
        ],
        default=Value(0),
        output_field=IntegerField(),
    )


def activity(data: DashboardData) -> Activity:
    """One UNION ALL query: ideas created, applications submitted and applications decided
    per quarter (three parts, since the three dates group differently)."""
    keys = quarters_between(data.period.start, data.period.end)
    if not keys:
        return Activity(period=data.period, quarters=[])
    starts = [date(year, 3 * quarter - 2, 1) for year, quarter in keys[1:]]
    # A quarter of ideas starts at midnight in Helsinki, not in UTC.
    zone = ZoneInfo(settings.TIME_ZONE)
    moments = [datetime.combine(day, time.min, tzinfo=zone) for day in starts]
    counts = [{"created": 0, "submitted": 0, "approved": 0, "rejected": 0} for _key in keys]

    if data.summarised:
        _count_from_summaries(data, keys, counts)
        return Activity(
            period=data.period,
            quarters=[
                Quarter(year, quarter, **values) for (year, quarter), values in zip(keys, counts)
            ],
        )
    zero = Value(0, output_field=IntegerField())
    created = (
        data.ideas_in_period.values(quarter=_buckets("created_at", moments))
        .annotate(created=Count("pk"), submitted=zero, approved=zero, rejected=zero)
        .order_by()
    )
    submitted = (
        data.submitted_in_period.values(quarter=_buckets("submitted_on", starts))
        .annotate(created=zero, submitted=Count("pk"), approved=zero, rejected=zero)
        .order_by()
    )
    # The statuses are counted, not filtered on: a status condition in WHERE makes SQLite
    # read through the status index, three times slower than a scan.
    decided = (
        data.decided_in_period.values(quarter=_buckets("decided_on", starts))
        .annotate(
            created=zero,
            submitted=zero,
            approved=Count("pk", filter=Q(status=ApplicationStatus.APPROVED)),
            rejected=Count("pk", filter=Q(status=ApplicationStatus.REJECTED)),
        )
        .order_by()
    )
    for row in created.union(submitted, decided, all=True).order_by():
        for name in ("created", "submitted", "approved", "rejected"):
            counts[row["quarter"]][name] += row[name]

    return Activity(
        period=data.period,
        quarters=[
            Quarter(year, quarter, **values) for (year, quarter), values in zip(keys, counts)
        ],
    )


def _count_from_summaries(
    data: DashboardData, keys: list[tuple[int, int]], counts: list[dict[str, int]]
) -> None:
    """The same counts from the summary tables: rows of months and days (no years, which
    would span several quarters), each in the quarter its first day is in. One query."""
    period, stages = data.period, data.summary_stages
    index = {key: position for position, key in enumerate(keys)}
    text = CharField()
    created = (
        summaries.idea_counts(period.start, period.end, stages, years=False)
        .filter(theme=summaries.ALL, region=summaries.ALL)
        .values("start")
        .annotate(
            row_kind=Value(CREATED, output_field=text),
            row_status=Value("", output_field=text),
            n=Sum("ideas"),
        )
        .values_list("start", "row_kind", "row_status", "n")
    )
    applications = (
        summaries.application_counts(period.start, period.end, stages, years=False)
        .values("start", "kind", "status")
        .annotate(n=Sum("applications"))
        .values_list("start", "kind", "status", "n")
    )
    for start, kind, status, n in created.union(applications, all=True):
        numbers = counts[index[quarter_of(start)]]
        if kind == CREATED:
            numbers["created"] += n
        elif kind == summaries.SUBMITTED:
            numbers["submitted"] += n
        elif status == ApplicationStatus.APPROVED:
            numbers["approved"] += n
        elif status == ApplicationStatus.REJECTED:
            numbers["rejected"] += n


CREATED = "created"
