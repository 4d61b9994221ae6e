"""Flow: ideas created in the period, from the host region of the roadshow event they were
born at, through the stage they were in at the period's end, to whether they had been
funded by then."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count, F, Q, QuerySet
from django.utils import timezone

from dashboards.models import IdeaFactSummary
from dashboards.selectors import DashboardData
from funding.models import ApplicationStatus, FundingApplication
from portfolio.models import RoadshowEvent
from portfolio.stages import PIPELINE

STAGE_ORDER = {stage.value: index for index, stage in enumerate(PIPELINE)}


@dataclass(frozen=True)
class FlowRow:
    """Ideas of one origin that were in one stage at the end of the period."""

    region_code: str | None  # the origin event's host region; None: no origin event
    region: str | None
    stage: str  # a Stage value
    ideas: int
    funded: int

    @property
    def not_funded(self) -> int:
        return self.ideas - self.funded


@dataclass
class Flow:
    # By origin (the regions' order, ideas without an event last), then by stage order.
    rows: list[FlowRow] = field(default_factory=list)
    as_at: date | None = None  # the day the stages and the funding are as at

    @property
    def ideas(self) -> int:
        return sum(row.ideas for row in self.rows)

    @property
    def funded(self) -> int:
        return sum(row.funded for row in self.rows)

    @property
    def from_events(self) -> int:
        return sum(row.ideas for row in self.rows if row.region_code is not None)


def flow(data: DashboardData) -> Flow:
    """One GROUP BY query over the ideas created in the period (for a period not over yet
    and filters the summary tables answer, over the ideas' facts read ahead).

    Stage and outcome are as at the end of the period, like every figure under a period:
    the stage from the stage history, funded meaning an application approved with a
    decision dated by then (of the chosen instrument, when one is chosen, so the instrument
    filter narrows the outcome the same way it narrows the funding chart).
    """
    end = data.period.end
    if data.summarised and end >= timezone.localdate():
        grouped = _summarised(data)
    else:
        grouped = _grouped(data)
    regions = {region.pk: region for region in data.regions}
    rows = []
    for row in grouped:
        region = regions.get(row["origin_event__host_region"])
        rows.append(
            FlowRow(
                region_code=region.code if region else None,
                region=region.name if region else None,
                stage=row["stage_as_of"],
                ideas=row["ideas"],
                funded=row["funded"],
            )
        )
    rows.sort(key=lambda r: (r.region_code is None, r.region_code or "", STAGE_ORDER[r.stage]))
    return Flow(rows=rows, as_at=data.period.as_at)


def _summarised(data: DashboardData) -> list[dict]:
    """The current period's groups from the ideas' facts (``dashboards.summaries``): grouped
    by origin event, which the events' own small table turns into host regions."""
    period = data.period
    facts = IdeaFactSummary.objects.filter(
        created_at__gte=period.starts_at, created_at__lt=period.ends_before
    )
    if data.summary_stages:
        facts = facts.filter(stage__in=data.summary_stages)
    hosts = dict(RoadshowEvent.objects.values_list("pk", "host_region"))
    grouped: dict[tuple, dict] = {}
    for event, stage, ideas, funded in (
        facts.order_by()
        .values("origin_event", "stage")
        .annotate(n=Count("pk"), funded=Count("pk", filter=Q(funded_on__lte=period.end)))
        .values_list("origin_event", "stage", "n", "funded")
    ):
        key = (hosts.get(event), stage)
        row = grouped.setdefault(key, {"origin_event__host_region": key[0], "stage_as_of": stage,
                                       "ideas": 0, "funded": 0})
        row["ideas"] += ideas
        row["funded"] += funded
    return list(grouped.values())


def _grouped(data: DashboardData) -> QuerySet:
    """The groups from the ideas and their stage history, in one query."""
    end = data.period.end
    approved = FundingApplication.objects.filter(
        status=ApplicationStatus.APPROVED, decided_on__lte=end
    )
    if data.instrument is not None:
        approved = approved.filter(instrument=data.instrument)
    if end < timezone.localdate():
        ideas = data.ideas_in_period.as_of(end)
    else:
        # A period not over yet is as at today: the ideas' own stage, which the stage
        # service writes with every move, saves searching the history.
        ideas = data.ideas_in_period.annotate(stage_as_of=F("stage"))
    return (
        ideas.values("origin_event__host_region", "stage_as_of")
        .annotate(
            ideas=Count("pk"),
            funded=Count("pk", filter=Q(pk__in=approved.values("idea_id"))),
        )
        .order_by()
    )
