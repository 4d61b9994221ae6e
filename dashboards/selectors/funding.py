"""Funding by instrument: € requested and € granted in the period, and the success rate by
count and by €, per instrument and per level."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Q, Sum

from dashboards import summaries
from dashboards.selectors import DashboardData
from funding.models import ApplicationStatus, FundingApplication, Level

ZERO = Decimal("0")


@dataclass(frozen=True)
class FundingRow:
    """One instrument's (or one level's) applications in the period."""

    label: str
    level: str  # a Level value
    color_index: int | None  # the instrument's place in data.instruments; None for a level
    submitted: int  # applications submitted in the period
    requested: Decimal  # € requested in them
    decided: int  # decisions (approved or rejected) made in the period
    approved: int
    decided_requested: Decimal  # € requested in the decided applications
    granted: Decimal  # € granted in the approvals

    @property
    def rate_by_count(self) -> Decimal | None:
        """Approved / decided; None without decisions."""
        return Decimal(self.approved) / self.decided if self.decided else None

    @property
    def rate_by_money(self) -> Decimal | None:
        """€ granted / € requested of the decided applications; None without decisions."""
        return self.granted / self.decided_requested if self.decided_requested else None


@dataclass
class Funding:
    instruments: list[FundingRow] = field(default_factory=list)  # data.instruments order
    levels: list[FundingRow] = field(default_factory=list)  # as their instruments come
    total: FundingRow | None = None


def _summed(label: str, level: str, rows: list[FundingRow]) -> FundingRow:
    return FundingRow(
        label=label,
        level=level,
        color_index=None,
        submitted=sum(r.submitted for r in rows),
        requested=sum((r.requested for r in rows), ZERO),
        decided=sum(r.decided for r in rows),
        approved=sum(r.approved for r in rows),
        decided_requested=sum((r.decided_requested for r in rows), ZERO),
        granted=sum((r.granted for r in rows), ZERO),
    )


def funding(data: DashboardData) -> Funding:
    """One GROUP BY query over the applications of the filtered ideas; an application counts
    as requested when it was submitted in the period and as decided when its decision was
    made in the period. Levels and the total add up the (at most a few dozen) instrument
    rows."""
    period = data.period
    submitted = Q(submitted_on__gte=period.start, submitted_on__lte=period.end)
    decided = Q(
        status__in=FundingApplication.DECIDED,
        decided_on__gte=period.start,
        decided_on__lte=period.end,
    )
    approved = decided & Q(status=ApplicationStatus.APPROVED)
    grouped = (
        data.applications.filter(submitted | decided)
        .values("instrument")
        # Aliases differ from the field names: a Sum("requested") after an annotation called
        # "requested" would sum the annotation.
        .annotate(
            n_submitted=Count("pk", filter=submitted),
            sum_requested=Sum("requested", filter=submitted),
            n_decided=Count("pk", filter=decided),
            n_approved=Count("pk", filter=approved),
            sum_decided_requested=Sum("requested", filter=decided),
            sum_granted=Sum("granted", filter=approved),
        )
        .order_by()
    )
    by_instrument = (
        _from_summaries(data) if data.summarised else {row["instrument"]: row for row in grouped}
    )
    result = Funding()
    for position, instrument in enumerate(data.instruments):
        row = by_instrument.get(instrument.pk)
        if row is None:
            continue
        result.instruments.append(
            FundingRow(
                label=instrument.name,
                level=instrument.level,
                color_index=position,
                submitted=row["n_submitted"],
                requested=row["sum_requested"] or ZERO,
                decided=row["n_decided"],
                approved=row["n_approved"],
                decided_requested=row["sum_decided_requested"] or ZERO,
                granted=row["sum_granted"] or ZERO,
            )
        )
    # Levels in the order their instruments come, so the chart reads the same way down.
    for level in dict.fromkeys(row.level for row in result.instruments):
        members = [r for r in result.instruments if r.level == level]
        result.levels.append(_summed(str(Level(level).label), level, members))
    if result.instruments:
        result.total = _summed("", "", result.instruments)
    return result


def _from_summaries(data: DashboardData) -> dict[int, dict]:
    """The grouped query's rows from the summary tables (one query): an instrument has a
    row when an application of it was submitted or decided in the period."""
    found: dict[int, dict] = {}
    rows = (
        summaries.application_counts(data.period.start, data.period.end, data.summary_stages)
        .values_list("instrument", "kind", "status")
        .annotate(n=Sum("applications"), req=Sum("requested"), gr=Sum("granted"))
    )
    for instrument, kind, status, n, requested, granted in rows:
        if kind == summaries.DECIDED and status not in FundingApplication.DECIDED:
            continue
        row = found.setdefault(
            instrument,
            {
                "n_submitted": 0, "sum_requested": 0, "n_decided": 0, "n_approved": 0,
                "sum_decided_requested": 0, "sum_granted": 0,
            },
        )
        if kind == summaries.SUBMITTED:
            row["n_submitted"] += n
            row["sum_requested"] += requested
        else:
            row["n_decided"] += n
            row["sum_decided_requested"] += requested
            if status == ApplicationStatus.APPROVED:
                row["n_approved"] += n
                row["sum_granted"] += granted
    for row in found.values():
        for name in ("sum_requested", "sum_decided_requested", "sum_granted"):
            row[name] = summaries.euros(row[name])
    return found
