"""The quarterly report's reads: every figure as it stood at the end of the period.

What is read as of the period's end, and from where:

- an idea's existence, stage and time in stage: the stage history (``Idea.objects.as_of``);
- an idea's title, owner, origin event, estimated budget, themes and regions, and an
  application's or implementation's fields: the record's last version saved before the
  period ended (simple-history). A record first written after the period (entered late,
  or loaded without history) is read as it was first recorded, or as it is when it has no
  history at all;
- whether an application was submitted or decided by then: its dates. An application
  submitted after the period is not yet submitted; a decision dated after the period is not
  yet made (the application counts as submitted, nothing granted).

Roadshow events and stage moves are counted by their own dates: they have no other history.
The numbers are the dashboard's for the same period when nothing was changed afterwards.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from decimal import Decimal
from itertools import islice
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Count, OuterRef, Q, Subquery, Sum
from django.utils import timezone
from django.utils.formats import date_format

from core.dates import end_of_day
from core.formatting import share_of, user_display
from dashboards.filters import Period
from dashboards.selectors import DashboardData
from dashboards.selectors.funnel import Funnel, funnel
from funding.models import (
    ApplicationStatus,
    FundingApplication,
    FundingCall,
    FundingInstrument,
    Implementation,
)
from funding.selectors import NO_REGION, Splits, region_splits, share_out
from portfolio.models import Idea, Organisation, Region, RoadshowEvent, StageTransition, Theme
from portfolio.selectors.drops import Drops, drops
from portfolio.stages import Stage

ZERO = Decimal(0)
# Ideas read per query when the Ideas sheet is written.
CHUNK_SIZE = 2000


def quarter_period(year: int, quarter: int) -> Period:
    start = date(year, 3 * quarter - 2, 1)
    next_start = date(year + 1, 1, 1) if quarter == 4 else date(year, 3 * quarter + 1, 1)
    return Period(start, next_start - timedelta(days=1))


@dataclass(frozen=True)
class Columns:
    """The Summary's columns: the period, the two it is compared with (the period before and
    the same period a year earlier), the year to date and the time since the network
    started. The last two end where the period ends. Every column is counted from what was
    known at the end of the period, so a comparison column may differ from that period's own
    report where records were corrected since."""

    period: Period
    previous: Period
    year_earlier: Period
    year_to_date: Period
    since_start: Period

    @classmethod
    def of(cls, period: Period) -> Columns:
        january = date(period.end.year, 1, 1)
        # A period before the network started still covers itself.
        start = min(settings.NETWORK_START_DATE, period.start)
        return cls(
            period,
            period.previous(),
            period.year_earlier(),
            Period(january, period.end),
            Period(start, period.end),
        )

    @property
    def all(self) -> tuple[Period, ...]:
        return (
            self.period, self.previous, self.year_earlier, self.year_to_date, self.since_start
        )

    @property
    def earliest(self) -> date:
        return min(column.start for column in self.all)

    @property
    def whole(self) -> Period:
        """From the earliest column's first day to the period's end: every column within."""
        return Period(self.earliest, self.period.end)


# --- versions ---------------------------------------------------------------------------


def _chosen_versions(rows: Iterable[dict], moment: datetime) -> dict[int, dict]:
    """Per record, its last version dated before ``moment``, else its first version.
    ``rows`` are one record's versions after another, oldest first."""
    chosen: dict[int, dict] = {}
    for row in rows:
        pk = row["id"]
        if pk not in chosen or row["history_date"] < moment:
            chosen[pk] = row
    return chosen


APPLICATION_FIELDS = (
    "idea_id", "instrument_id", "call_id", "applicant_id", "reference", "total_budget",
    "requested", "granted", "status", "submitted_on", "decided_on",
)


@dataclass(frozen=True, slots=True)
class ApplicationAsOf:
    pk: int
    idea_id: int
    instrument_id: int
    call_id: int | None
    applicant_id: int
    reference: str
    total_budget: Decimal
    requested: Decimal
    granted: Decimal | None
    status: str
    submitted_on: date | None
    decided_on: date | None

    def submitted_in(self, period: Period) -> bool:
        return self.submitted_on is not None and period.start <= self.submitted_on <= period.end

    def decided_in(self, period: Period) -> bool:
        return (
            self.status in FundingApplication.DECIDED
            and self.decided_on is not None
            and period.start <= self.decided_on <= period.end
        )

    def approved_in(self, period: Period) -> bool:
        return self.status == ApplicationStatus.APPROVED and self.decided_in(period)


def _merged_versions(
    current: Iterable[dict], versions: Iterable[dict], moment: datetime
) -> Iterator[dict]:
    """Each record of ``current`` (ordered by id) as it stood at ``moment``: its last
    version dated before ``moment``, else its first version, else the record itself.
    ``versions`` are the records' versions ordered by id, then oldest first. Both are read
    once, side by side, so only one record's versions are held at a time."""
    versions = iter(versions)
    pending = next(versions, None)
    for row in current:
        pk = row["id"]
        while pending is not None and pending["id"] < pk:  # a deleted record's versions
            pending = next(versions, None)
        chosen = None
        while pending is not None and pending["id"] == pk:
            if chosen is None or pending["history_date"] < moment:
                chosen = pending
            pending = next(versions, None)
        yield chosen or row


def iter_applications_as_of(end: date) -> Iterator[ApplicationAsOf]:
    """Every application as it stood at the end of ``end``, by id, streamed: two queries
    read side by side in chunks, so memory does not grow with the number of applications."""
    moment = end_of_day(end)
    current = (
        FundingApplication.objects.order_by("id")
        .values("id", *APPLICATION_FIELDS)
        .iterator(chunk_size=CHUNK_SIZE)
    )
    versions = (
        FundingApplication.history.filter(id__in=FundingApplication.objects.values("id"))
        .order_by("id", "history_date", "history_id")
        .values("id", "history_date", *APPLICATION_FIELDS)
        .iterator(chunk_size=CHUNK_SIZE)
    )
    for row in _merged_versions(current, versions, moment):
        application = ApplicationAsOf(
            pk=row["id"], **{name: row[name] for name in APPLICATION_FIELDS}
        )
        if application.submitted_on and application.submitted_on > end:
            application = replace(
                application, status=ApplicationStatus.DRAFT, submitted_on=None,
                decided_on=None, granted=None,
            )
        elif application.decided_on and application.decided_on > end:
            application = replace(
                application, status=ApplicationStatus.SUBMITTED, decided_on=None, granted=None
            )
        yield application


def applications_as_of(end: date) -> list[ApplicationAsOf]:
    """Every application as it stood at the end of ``end``, in submission order."""
    return sorted(iter_applications_as_of(end), key=submission_order)


def submission_order(application: ApplicationAsOf) -> tuple[date, int]:
    return (application.submitted_on or date.max, application.pk)


@dataclass(frozen=True)
class IdeaAsOf:
    title: str
    owner_id: int | None
    origin_event_id: int | None
    estimated_budget: Decimal | None
    theme_ids: frozenset[int]
    region_ids: frozenset[int]


IDEA_FIELDS = ("title", "owner_id", "origin_event_id", "estimated_budget")


def ideas_as_of(current: dict[int, dict], moment: datetime) -> dict[int, IdeaAsOf]:
    """The ideas of ``current`` (id → their present IDEA_FIELDS) as they stood at
    ``moment``: five queries per :data:`CHUNK_SIZE` ideas, so no query lists more ids."""
    if len(current) <= CHUNK_SIZE:
        return _ideas_as_of(current, moment)
    ids = sorted(current)
    found: dict[int, IdeaAsOf] = {}
    for start in range(0, len(ids), CHUNK_SIZE):
        chunk = ids[start:start + CHUNK_SIZE]
        found.update(_ideas_as_of({pk: current[pk] for pk in chunk}, moment))
    return found


def _ideas_as_of(current: dict[int, dict], moment: datetime) -> dict[int, IdeaAsOf]:
    ids = list(current)
    versions = _chosen_versions(
        Idea.history.filter(id__in=ids)
        .order_by("id", "history_date", "history_id")
        .values("id", "history_id", "history_date", *IDEA_FIELDS),
        moment,
    )
    history = Idea.history.model
    by_version = {row["history_id"]: row["id"] for row in versions.values()}
    themes: dict[int, set[int]] = defaultdict(set)
    regions: dict[int, set[int]] = defaultdict(set)
    for relation, name, found in (
        ("historicalidea_themes", "theme_id", themes),
        ("historicalidea_regions", "region_id", regions),
    ):
        model = history._meta.get_field(relation).related_model
        for version, target in model.objects.filter(history_id__in=list(by_version)).values_list(
            "history_id", name
        ):
            found[by_version[version]].add(target)
    unversioned = [pk for pk in ids if pk not in versions]
    for through, name, found in (
        (Idea.themes.through, "theme_id", themes),
        (Idea.regions.through, "region_id", regions),
    ):
        for idea_id, target in through.objects.filter(idea_id__in=unversioned).values_list(
            "idea_id", name
        ):
            found[idea_id].add(target)
    return {
        pk: IdeaAsOf(
            **{name: versions.get(pk, row)[name] for name in IDEA_FIELDS},
            theme_ids=frozenset(themes[pk]),
            region_ids=frozenset(regions[pk]),
        )
        for pk, row in current.items()
    }


def _current_ideas(ids: Iterable[int]) -> dict[int, dict]:
    """The present IDEA_FIELDS of the ideas ``ids``, read :data:`CHUNK_SIZE` at a time."""
    ids = sorted(set(ids))
    found: dict[int, dict] = {}
    for start in range(0, len(ids), CHUNK_SIZE):
        for row in Idea.objects.filter(pk__in=ids[start:start + CHUNK_SIZE]).values(
            "id", *IDEA_FIELDS
        ):
            found[row["id"]] = row
    return found


# --- the Summary ------------------------------------------------------------------------


@dataclass
class Figures:
    """One column of the Summary."""

    events: int = 0
    participants_onsite: int = 0
    participants_online: int = 0
    organisations: int = 0
    new_ideas: int = 0
    stage_moves: int = 0
    submitted: int = 0
    requested: Decimal = ZERO
    approved: int = 0
    rejected: int = 0
    granted: Decimal = ZERO
    granted_from_events: Decimal = ZERO
    # Of granted_from_events, the grants to ideas dropped by the end of the period: counted
    # as won, shown apart.
    granted_to_dropped: Decimal = ZERO

    @property
    def leverage(self) -> Decimal | None:
        """€ granted to ideas born at the network's events per € of its own funding."""
        return share_of(self.granted_from_events, Decimal(settings.NETWORK_OWN_FUNDING))

    @property
    def leverage_over_budget(self) -> Decimal | None:
        """€ granted to ideas born at the network's events per € of its total budget."""
        return share_of(self.granted_from_events, Decimal(settings.NETWORK_BUDGET))


@dataclass
class InstrumentFigures:
    submitted: int = 0
    requested: Decimal = ZERO
    approved: int = 0
    rejected: int = 0
    granted: Decimal = ZERO


@dataclass
class Summary:
    columns: Columns
    figures: list[Figures]  # one per column
    # Instruments with any application in any column, in the dashboard's order, each with
    # one InstrumentFigures per column.
    instruments: list[tuple[FundingInstrument, list[InstrumentFigures]]]
    stages: dict[str, int]  # every stage → ideas in it at the period's end
    # Every idea's drops as at the period's end: "dropped now" is stages[dropped].
    drops: Drops = field(default_factory=Drops)
    # The ideas created in the period as at its end: the dashboard's funnel, unfiltered.
    funnel: Funnel | None = None
    own_funding: Decimal = field(default_factory=lambda: Decimal(settings.NETWORK_OWN_FUNDING))

    @property
    def in_implementation(self) -> int:
        return self.stages[Stage.IMPLEMENTATION]

    @property
    def ideas_at_end(self) -> int:
        return sum(self.stages.values())


def _per_column(columns: Columns, field_name: str, **sums: Any) -> dict[str, Any]:
    """Aggregates named ``<name>_<column index>`` with each column's range as a filter."""
    aggregates = {}
    for index, column in enumerate(columns.all):
        within = Q(**{f"{field_name}__gte": column.start, f"{field_name}__lte": column.end})
        for name, make in sums.items():
            aggregates[f"{name}_{index}"] = make(within)
    return aggregates


def summary(period: Period, applications: Iterable[ApplicationAsOf]) -> Summary:
    """The Summary's figures; ``applications`` (as at the period's end) are read once, so
    they may be streamed."""
    columns = Columns.of(period)
    figures = [Figures() for _column in columns.all]
    earliest, end = columns.earliest, period.end

    events = RoadshowEvent.objects.filter(date__gte=earliest, date__lte=end).aggregate(
        **_per_column(
            columns,
            "date",
            events=lambda q: Count("pk", filter=q),
            onsite=lambda q: Sum("participants_onsite", filter=q),
            online=lambda q: Sum("participants_online", filter=q),
        )
    )
    attended = RoadshowEvent.organisations.through.objects.filter(
        roadshowevent__date__gte=earliest, roadshowevent__date__lte=end
    ).aggregate(
        **_per_column(
            columns,
            "roadshowevent__date",
            organisations=lambda q: Count("organisation", distinct=True, filter=q),
        )
    )
    zone_start = columns.whole.starts_at
    moment = end_of_day(end)
    ideas = Idea.objects.filter(created_at__gte=zone_start, created_at__lt=moment).aggregate(
        **{
            f"ideas_{index}": Count(
                "pk",
                filter=Q(created_at__gte=column.starts_at, created_at__lt=column.ends_before),
            )
            for index, column in enumerate(columns.all)
        }
    )
    moves = (
        StageTransition.objects.filter(at__gte=zone_start, at__lt=moment)
        .exclude(from_stage="")  # an idea's creation is not a move
        .aggregate(
            **{
                f"moves_{index}": Count(
                    "pk", filter=Q(at__gte=column.starts_at, at__lt=column.ends_before)
                )
                for index, column in enumerate(columns.all)
            }
        )
    )
    for index, numbers in enumerate(figures):
        numbers.events = events[f"events_{index}"]
        numbers.participants_onsite = events[f"onsite_{index}"] or 0
        numbers.participants_online = events[f"online_{index}"] or 0
        numbers.organisations = attended[f"organisations_{index}"]
        numbers.new_ideas = ideas[f"ideas_{index}"]
        numbers.stage_moves = moves[f"moves_{index}"]

    by_instrument: dict[int, list[InstrumentFigures]] = {}
    # The grants of the whole span, as (idea, column, amount): whether each idea was born
    # at an event and dropped by the end is read afterwards, a chunk of ideas at a time.
    grants: list[tuple[int, int, Decimal]] = []
    for application in applications:
        for index, column in enumerate(columns.all):
            numbers = figures[index]
            submitted = application.submitted_in(column)
            decided = application.decided_in(column)
            if not (submitted or decided):
                continue
            per = by_instrument.setdefault(
                application.instrument_id, [InstrumentFigures() for _c in columns.all]
            )[index]
            if submitted:
                numbers.submitted += 1
                numbers.requested += application.requested
                per.submitted += 1
                per.requested += application.requested
            if decided and application.status == ApplicationStatus.APPROVED:
                numbers.approved += 1
                numbers.granted += application.granted or ZERO
                per.approved += 1
                per.granted += application.granted or ZERO
                grants.append((application.idea_id, index, application.granted or ZERO))
            elif decided:
                numbers.rejected += 1
                per.rejected += 1
    grants.sort()
    for start in range(0, len(grants), CHUNK_SIZE):
        chunk = grants[start:start + CHUNK_SIZE]
        idea_ids = sorted({idea_id for idea_id, _index, _amount in chunk})
        origins = ideas_as_of(_current_ideas(idea_ids), moment)
        dropped = set(
            Idea.objects.as_of(end)
            .filter(pk__in=idea_ids, stage_as_of=Stage.DROPPED)
            .values_list("pk", flat=True)
        )
        for idea_id, index, amount in chunk:
            if origins[idea_id].origin_event_id is not None:
                figures[index].granted_from_events += amount
                if idea_id in dropped:
                    figures[index].granted_to_dropped += amount

    stages = dict.fromkeys(Stage.values, 0)
    for row in Idea.objects.as_of(end).order_by().values("stage_as_of").annotate(n=Count("pk")):
        stages[row["stage_as_of"]] = row["n"]
    instruments = DashboardData(ideas=Idea.objects.none(), period=period).instruments
    return Summary(
        columns=columns,
        figures=figures,
        instruments=[(i, by_instrument[i.pk]) for i in instruments if i.pk in by_instrument],
        stages=stages,
        drops=drops(Idea.objects.all(), day=end),
        funnel=funnel(DashboardData(ideas=Idea.objects.all(), period=period)),
    )


# --- the list sheets --------------------------------------------------------------------


class Names:
    """Display names of the reference rows the sheets mention, read once per report, in
    the active language."""

    def __init__(self) -> None:
        self.themes = {t.pk: t.name for t in Theme.objects.all()}
        self.regions = {r.pk: r.name for r in Region.objects.all()}
        self.users = {u.pk: user_display(u) for u in get_user_model().objects.all()}
        # An event as its title and day, the day as every date written in the report's
        # text is: in the active language's short form (1.4.2023 in Finnish).
        self.events = {
            pk: f"{title} ({date_format(day, 'SHORT_DATE_FORMAT')})"
            for pk, title, day in RoadshowEvent.objects.values_list("pk", "title", "date")
        }
        self.instruments = {i.pk: i.name for i in FundingInstrument.objects.all()}

    @staticmethod
    def joined(names: dict[int, str], ids: Iterable[int]) -> str:
        return ", ".join(sorted((names[pk] for pk in ids if pk in names), key=str.casefold))


@dataclass(frozen=True)
class EventRow:
    date: date
    title: str
    host_region: str
    city: str
    venue: str
    format: str
    onsite: int
    online: int
    organisations: int
    themes: str
    ideas: int  # ideas born at the event that existed at the period's end


def event_rows(period: Period, names: Names) -> list[EventRow]:
    events = list(
        RoadshowEvent.objects.filter(date__gte=period.start, date__lte=period.end)
        .annotate(n_organisations=Count("organisations", distinct=True))
        .order_by("date", "title", "pk")
    )
    themes: dict[int, list[int]] = defaultdict(list)
    for event_id, theme_id in RoadshowEvent.themes.through.objects.filter(
        roadshowevent__in=events
    ).values_list("roadshowevent_id", "theme_id"):
        themes[event_id].append(theme_id)
    # The ideas born at each event: those whose origin was the event at the period's end,
    # found among the ideas that name one of the events now or in their history.
    moment = end_of_day(period.end)
    candidates = Idea.objects.filter(created_at__lt=moment).filter(
        Q(origin_event__in=events)
        | Q(pk__in=Idea.history.filter(origin_event__in=events).values("id"))
    )
    born: dict[int, int] = defaultdict(int)
    for idea in ideas_as_of(_current_ideas(candidates.values_list("pk", flat=True)), moment).values():
        born[idea.origin_event_id] += 1
    return [
        EventRow(
            date=event.date,
            title=event.title,
            host_region=names.regions[event.host_region_id],
            city=event.city,
            venue=event.venue,
            format=event.get_format_display(),
            onsite=event.participants_onsite,
            online=event.participants_online,
            organisations=event.n_organisations,
            themes=names.joined(names.themes, themes[event.pk]),
            ideas=born[event.pk],
        )
        for event in events
    ]


@dataclass(frozen=True)
class IdeaRow:
    title: str
    stage: str
    stage_since: date
    owner: str | None
    themes: str
    regions: str
    origin_event: str | None
    estimated_budget: Decimal | None
    created: date


def idea_rows(end: date, names: Names) -> Iterator[IdeaRow]:
    """Every idea that existed at the end of ``end``, oldest first, read a chunk at a time
    (six queries per chunk), so memory does not grow with the number of ideas."""
    moment = end_of_day(end)
    since = (
        StageTransition.objects.filter(idea=OuterRef("pk"), at__lt=moment)
        .order_by("-at", "-pk")
        .values("at")[:1]
    )
    ideas = (
        Idea.objects.as_of(end)
        .annotate(stage_since=Subquery(since))
        .order_by("pk")
        .values("id", "created_at", "stage_as_of", "stage_since", *IDEA_FIELDS)
    )
    labels = dict(Stage.choices)
    last = 0
    while chunk := list(ideas.filter(pk__gt=last)[:CHUNK_SIZE]):
        last = chunk[-1]["id"]
        as_of = ideas_as_of({row["id"]: row for row in chunk}, moment)
        for row in chunk:
            idea = as_of[row["id"]]
            yield IdeaRow(
                title=idea.title,
                stage=str(labels[row["stage_as_of"]]),
                stage_since=timezone.localdate(row["stage_since"]),
                owner=names.users.get(idea.owner_id),
                themes=names.joined(names.themes, idea.theme_ids),
                regions=names.joined(names.regions, idea.region_ids),
                origin_event=names.events.get(idea.origin_event_id),
                estimated_budget=idea.estimated_budget,
                created=timezone.localdate(row["created_at"]),
            )



@dataclass(frozen=True)
class ApplicationRow:
    idea: str
    instrument: str
    call: str | None
    applicant: str
    reference: str
    total_budget: Decimal
    requested: Decimal
    status: str
    submitted_on: date | None
    decided_on: date | None
    granted: Decimal | None


def application_rows(
    period: Period, applications: list[ApplicationAsOf], names: Names
) -> list[ApplicationRow]:
    """The applications submitted or decided in the period, as they stood at its end."""
    chosen = [a for a in applications if a.submitted_in(period) or a.decided_in(period)]
    ideas = ideas_as_of(_current_ideas(a.idea_id for a in chosen), end_of_day(period.end))
    calls = dict(
        FundingCall.objects.filter(
            pk__in={a.call_id for a in chosen if a.call_id}
        ).values_list("pk", "title")
    )
    applicants = dict(
        Organisation.objects.filter(
            pk__in={a.applicant_id for a in chosen}
        ).values_list("pk", "name")
    )
    statuses = dict(ApplicationStatus.choices)
    return [
        ApplicationRow(
            idea=ideas[a.idea_id].title,
            instrument=names.instruments[a.instrument_id],
            call=calls.get(a.call_id),
            applicant=applicants[a.applicant_id],
            reference=a.reference,
            total_budget=a.total_budget,
            requested=a.requested,
            status=str(statuses[a.status]),
            submitted_on=a.submitted_on,
            decided_on=a.decided_on,
            granted=a.granted,
        )
        for a in chosen
    ]


IMPLEMENTATION_FIELDS = (
    "idea_id", "lead_organisation_id", "start", "end", "total_budget", "health",
    "final_report_date",
)


@dataclass(frozen=True)
class ImplementationRow:
    idea: str
    stage: str
    lead_organisation: str
    start: date
    end: date | None
    total_budget: Decimal | None
    health: str
    final_report_date: date | None


def implementation_rows(end: date) -> list[ImplementationRow]:
    """Implementations of the ideas that had reached implementation by the end of ``end``
    (in implementation or completed then), as they stood then.

    The implementations and their versions are read side by side in chunks, and the
    ideas' titles a chunk at a time, so no query lists every idea."""
    moment = end_of_day(end)
    stage_then = (
        StageTransition.objects.filter(idea=OuterRef("idea_id"), at__lt=moment)
        .order_by("-at", "-pk")
        .values("to_stage")[:1]
    )
    reached = Implementation.objects.annotate(stage_as_of=Subquery(stage_then)).filter(
        stage_as_of__in=[Stage.IMPLEMENTATION, Stage.COMPLETED]
    )
    current = (
        reached.order_by("id")
        .values("id", "stage_as_of", *IMPLEMENTATION_FIELDS)
        .iterator(chunk_size=CHUNK_SIZE)
    )
    versions = (
        Implementation.history.filter(id__in=reached.values("id"))
        .order_by("id", "history_date", "history_id")
        .values("id", "history_date", *IMPLEMENTATION_FIELDS)
        .iterator(chunk_size=CHUNK_SIZE)
    )
    stages: dict[int, str] = {}

    def chosen() -> Iterator[dict]:
        for row in current:
            stages[row["id"]] = row["stage_as_of"]
            yield row

    organisations = dict(Organisation.objects.values_list("pk", "name"))
    labels, health = dict(Stage.choices), dict(Implementation.Health.choices)
    result: list[ImplementationRow] = []
    merged = _merged_versions(chosen(), versions, moment)
    while chunk := list(islice(merged, CHUNK_SIZE)):
        ideas = ideas_as_of(_current_ideas(row["idea_id"] for row in chunk), moment)
        result.extend(
            ImplementationRow(
                idea=ideas[row["idea_id"]].title,
                stage=str(labels[stages.pop(row["id"])]),
                lead_organisation=organisations[row["lead_organisation_id"]],
                start=row["start"],
                end=row["end"],
                total_budget=row["total_budget"],
                health=str(health[row["health"]]),
                # A final report dated after the period had not been delivered then.
                final_report_date=(
                    row["final_report_date"]
                    if row["final_report_date"] and row["final_report_date"] <= end
                    else None
                ),
            )
            for row in chunk
        )
    result.sort(key=lambda row: (row.start, row.idea.casefold()))
    return result


BALANCE_METRICS = ("ideas", "requested", "granted")


@dataclass
class ThemesRegions:
    """The dashboard's portfolio balance for the period, as it stood at the period's end."""

    themes: list[Theme]
    regions: list[Region]
    # Keyed by region id, or NO_REGION (None) for ideas with no region.
    cells: dict[tuple[int, int | None], dict[str, int | Decimal]]
    theme_totals: dict[int, dict[str, int | Decimal]]
    region_totals: dict[int | None, dict[str, int | Decimal]]
    total: dict[str, int | Decimal]

    def value(self, theme: Theme, region: Region | None, metric: str) -> int | Decimal:
        key = region.pk if region is not None else NO_REGION
        return self.cells.get((theme.pk, key), {}).get(metric, 0)

    def region_total(self, region: Region | None, metric: str) -> int | Decimal:
        key = region.pk if region is not None else NO_REGION
        return self.region_totals.get(key, {}).get(metric, 0)


def themes_regions(period: Period, applications: list[ApplicationAsOf]) -> ThemesRegions:
    """Ideas created in the period, € requested in applications submitted in it and €
    granted in approvals decided in it, per theme × region of the ideas; totals count each
    idea and application once, as the dashboard does.

    Ideas count in each region they involve (and under ``NO_REGION`` when they involve
    none). The euros are shared out among regions by the one rule
    (``funding.selectors.region_splits``), with the ideas' regions and consortia as they
    stood at the period's end, so each theme's regions and the "no region" column add up
    to the theme's total, and the region totals to the whole. A theme's total counts each
    of its ideas in full: an idea with two themes counts in both."""
    moment = end_of_day(period.end)
    created = list(
        Idea.objects.filter(created_at__gte=period.starts_at, created_at__lt=moment).values_list(
            "pk", flat=True
        )
    )
    money = [a for a in applications if a.submitted_in(period) or a.approved_in(period)]
    ideas = ideas_as_of(_current_ideas({*created, *(a.idea_id for a in money)}), moment)
    funded = sorted({a.idea_id for a in money})
    splits = Splits()
    for start in range(0, len(funded), CHUNK_SIZE):  # no query lists more ids than a chunk
        chunk = funded[start:start + CHUNK_SIZE]
        splits.update(region_splits(
            chunk, moment=moment, idea_regions={pk: ideas[pk].region_ids for pk in chunk}
        ))
    cells: dict[tuple[int, int | None], dict] = {}
    theme_totals: dict[int, dict] = {}
    region_totals: dict[int | None, dict] = {}
    total = _no_numbers()

    def add(idea: IdeaAsOf, metric: str, by_region: dict[int | None, int | Decimal]) -> None:
        total[metric] += sum(by_region.values())
        for theme in idea.theme_ids:
            theme_totals.setdefault(theme, _no_numbers())[metric] += sum(by_region.values())
            for region, amount in by_region.items():
                cells.setdefault((theme, region), _no_numbers())[metric] += amount
        for region, amount in by_region.items():
            region_totals.setdefault(region, _no_numbers())[metric] += amount

    for pk in created:
        involved = ideas[pk].region_ids or {NO_REGION}
        total["ideas"] += 1
        for theme in ideas[pk].theme_ids:
            theme_totals.setdefault(theme, _no_numbers())["ideas"] += 1
            for region in involved:
                cells.setdefault((theme, region), _no_numbers())["ideas"] += 1
        for region in involved:
            region_totals.setdefault(region, _no_numbers())["ideas"] += 1
    # Each idea's euros are added up before they are shared out, as on the dashboard, so
    # the cents fall the same way.
    amounts: dict[tuple[int, str], Decimal] = defaultdict(Decimal)
    for application in money:
        if application.submitted_in(period):
            amounts[(application.idea_id, "requested")] += application.requested
        if application.approved_in(period):
            amounts[(application.idea_id, "granted")] += application.granted or ZERO
    for (idea_id, metric), amount in sorted(amounts.items()):
        if amount:
            add(ideas[idea_id], metric, share_out(amount, splits[idea_id]))
    data = DashboardData(ideas=Idea.objects.none(), period=period)
    return ThemesRegions(
        themes=data.themes,
        regions=data.regions,
        cells=cells,
        theme_totals=theme_totals,
        region_totals=region_totals,
        total=total,
    )


def _no_numbers() -> dict[str, int | Decimal]:
    return {"ideas": 0, "requested": ZERO, "granted": ZERO}
