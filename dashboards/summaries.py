"""The dashboards' summary tables: what each idea contributes to them, keeping them current
through every write, rebuilding them from scratch, and reading a period from them.

An idea contributes to ``IdeaCountSummary`` one idea on the day it was created (in the site's
time zone), under its stage now, once for all themes and regions, once per theme, once per
region and once per theme × region pair; and through each of its funding applications to
``ApplicationSummary`` on the day the application was submitted and on the day it was
decided. Each of those days is counted in its day, its month and its year rows
(``dashboards.models``), so any period of whole days is read as few rows.

Writes go through the services of portfolio and funding, which sit below the dashboards
in the import layers; they announce the ideas they change (``portfolio.changes``), and
``track`` — registered in ``DashboardsConfig.ready`` — reads those ideas' contributions
before and after the write and applies the difference, in the write's transaction. Any
change that touches an idea re-derives that idea, so no write has to know which figure it
changes.
"""

from __future__ import annotations

import logging
from collections import Counter, defaultdict
from collections.abc import Collection, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.db.models import (
    CharField,
    DateField,
    DateTimeField,
    F,
    Max,
    Q,
    QuerySet,
    Sum,
    Value,
)
from django.db.models.functions import Cast
from django.utils import timezone

from core.dates import WholeDays
from dashboards.models import (
    ApplicationSummary,
    IdeaCountSummary,
    IdeaFactSummary,
    MoneySummary,
    SharedMoneySummary,
    SplitSummary,
    StaySummary,
    SummarySpan,
    SummaryState,
)
from funding.models import ApplicationStatus, FundingApplication, Implementation
from funding.selectors import NO_REGION, NOWHERE, Weights, current_weights, share_cents
from portfolio.models import ConsortiumMember, Idea, StageTransition
from portfolio.selectors.outcomes import REACHED_CONSORTIUM
from portfolio.stages import Stage

logger = logging.getLogger(__name__)

# ``ApplicationSummary.kind``: which of the application's days a row counts it on.
SUBMITTED, DECIDED = "submitted", "decided"
# Theme or region 0: every theme or region (the totals that count an idea once).
ALL = 0
# ``SharedMoneySummary.region`` of the € no region is found for (NO_REGION).
NO_REGION_ID = -1

IdeaKey = tuple[str, date, str, int, int]  # span, start, stage, theme, region
ApplicationKey = tuple[str, date, str, str, int, str]  # span, start, kind, status, instrument, stage
APPLICATION_VALUES = ("applications", "requested", "granted")
SharedKey = tuple[str, int, int]  # stage, theme, region
MONEY_VALUES = ("requested", "granted")
# (theme, region) → [€ requested, € granted] in whole cents; theme and region ALL are the
# totals, region NO_REGION the € shared to no region.
MoneyCells = dict[tuple[int, int | None], list[int]]


@dataclass
class Contributions:
    """What some ideas contribute to the summary tables, row key → numbers."""

    ideas: Counter = field(default_factory=Counter)  # IdeaKey → ideas
    # ApplicationKey → [applications, requested cents, granted cents]
    applications: dict = field(default_factory=lambda: defaultdict(lambda: [0, 0, 0]))
    # Per idea, not added up: (idea, day) → (stage, requested cents, granted cents), and
    # idea → (weights, their sum, themes) as ``SplitSummary`` stores them.
    money: dict = field(default_factory=dict)
    splits: dict = field(default_factory=dict)
    # SharedKey → [requested cents, granted cents]: each idea's money of all days, shared.
    shared: dict = field(default_factory=lambda: defaultdict(lambda: [0, 0]))
    # (idea, position) → STAY_FIELDS
    stays: dict = field(default_factory=dict)
    # idea → FACT_FIELDS
    facts: dict = field(default_factory=dict)


def spans_of(day: date) -> tuple[tuple[str, date], ...]:
    """The three rows a day is counted in: its day, its month and its year."""
    return (
        (SummarySpan.DAY, day),
        (SummarySpan.MONTH, day.replace(day=1)),
        (SummarySpan.YEAR, day.replace(month=1, day=1)),
    )


def _cents(amount: Decimal | None) -> int:
    return int((amount * 100).to_integral_value()) if amount else 0


def _by_idea(queryset: QuerySet, idea_ids: Collection[int] | None) -> QuerySet:
    return queryset if idea_ids is None else queryset.filter(idea_id__in=idea_ids)


def contributions(idea_ids: Collection[int] | None = None) -> Contributions:
    """What the ideas ``idea_ids`` (None: every idea) contribute, read from the data itself.

    Added up per day first and spread over the day's month and year at the end: a rebuild
    of 100 000 ideas then does a few hundred thousand additions, not millions."""
    found = Contributions()
    if idea_ids is not None and not idea_ids:
        return found
    zone = ZoneInfo(settings.TIME_ZONE)
    ideas = Idea.objects.order_by()
    if idea_ids is not None:
        ideas = ideas.filter(pk__in=idea_ids)
    themes: dict[int, list[int]] = defaultdict(list)
    for idea_id, theme_id in _by_idea(Idea.themes.through.objects.order_by(), idea_ids).values_list(
        "idea_id", "theme_id"
    ):
        themes[idea_id].append(theme_id)
    regions: dict[int, list[int]] = defaultdict(list)
    for idea_id, region_id in _by_idea(
        Idea.regions.through.objects.order_by(), idea_ids
    ).values_list("idea_id", "region_id"):
        regions[idea_id].append(region_id)

    per_day: Counter = Counter()
    stages: dict[int, str] = {}
    created: dict[int, datetime] = {}
    origins: dict[int, int | None] = {}
    entered: dict[int, datetime] = {}
    titles: dict[int, str] = {}
    for pk, created_at, stage, origin, entered_at, title in ideas.values_list(
        "pk", "created_at", "stage", "origin_event_id", "stage_entered_at", "title"
    ).iterator(chunk_size=5000):
        stages[pk] = stage
        created[pk] = created_at
        origins[pk] = origin
        entered[pk] = entered_at
        titles[pk] = title
        day = timezone.localdate(created_at, zone)
        idea_themes, idea_regions = themes.get(pk, ()), regions.get(pk, ())
        per_day[(day, stage, ALL, ALL)] += 1
        for region in idea_regions:
            per_day[(day, stage, ALL, region)] += 1
        for theme in idea_themes:
            per_day[(day, stage, theme, ALL)] += 1
            for region in idea_regions:
                per_day[(day, stage, theme, region)] += 1
    for (day, *rest), ideas_count in per_day.items():
        for span, start in spans_of(day):
            found.ideas[(span, start, *rest)] += ideas_count

    money: dict = defaultdict(lambda: [0, 0])
    applications_per_day: dict = defaultdict(lambda: [0, 0, 0])
    funded: dict[int, date] = {}
    rows = _by_idea(FundingApplication.objects.order_by(), idea_ids).values_list(
        "idea_id", "instrument_id", "status", "submitted_on", "decided_on", "requested", "granted"
    )
    for idea_id, instrument, status, submitted_on, decided_on, requested, granted in rows.iterator(
        chunk_size=5000
    ):
        stage = stages.get(idea_id)
        if stage is None:  # an idea made in this very write but not in the set asked about
            continue
        amounts = (1, _cents(requested), _cents(granted))
        # The money panels' rule: € requested on the day of submission, € granted on the
        # day of an approval.
        if submitted_on is not None:
            money[(idea_id, submitted_on)][0] += amounts[1]
        if status == ApplicationStatus.APPROVED and decided_on is not None:
            money[(idea_id, decided_on)][1] += amounts[2]
            if idea_id not in funded or decided_on < funded[idea_id]:
                funded[idea_id] = decided_on
        for kind, day in ((SUBMITTED, submitted_on), (DECIDED, decided_on)):
            if day is None:
                continue
            numbers = applications_per_day[(day, kind, status, instrument, stage)]
            for index, value in enumerate(amounts):
                numbers[index] += value
    for (day, *rest), numbers in applications_per_day.items():
        for span, start in spans_of(day):
            total = found.applications[(span, start, *rest)]
            for index, value in enumerate(numbers):
                total[index] += value
    for (idea_id, day), (requested_cents, granted_cents) in money.items():
        found.money[(idea_id, day)] = (stages[idea_id], requested_cents, granted_cents)
    with_money: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    for (idea_id, _day), amounts in money.items():
        for index, value in enumerate(amounts):
            with_money[idea_id][index] += value
    if with_money:
        weights = current_weights(with_money if idea_ids is not None else Idea.objects.values("pk"))
        for idea_id, (requested_cents, granted_cents) in with_money.items():
            idea_weights = weights.get(idea_id, NOWHERE)
            idea_themes = sorted(themes.get(idea_id, ()))
            found.splits[idea_id] = (
                weights_text(idea_weights[0]), idea_weights[1], ",".join(map(str, idea_themes))
            )
            cells: MoneyCells = defaultdict(lambda: [0, 0])
            add_shared(cells, idea_themes, requested_cents, granted_cents, idea_weights)
            for (theme, region), numbers in cells.items():
                region_id = NO_REGION_ID if region is None else region
                total = found.shared[(stages[idea_id], theme, region_id)]
                for index, value in enumerate(numbers):
                    total[index] += value
    found.stays, reached = _stays(idea_ids, stages, created)
    edited, progressed, planned = _stalled_basis(idea_ids)
    found.facts = {
        pk: (
            titles[pk], created[pk], stage, origins[pk], reached.get(pk), funded.get(pk),
            entered[pk],
            # ``portfolio.stalled``: each record's last change, its stage entry when none.
            max(edited[model].get(pk) or entered[pk] for model in edited),
            planned.get(pk), progressed.get(pk) or entered[pk],
        )
        for pk, stage in stages.items()
    }
    return found


def _stalled_basis(idea_ids: Collection[int] | None) -> tuple[dict, dict, dict]:
    """The history ``portfolio.stalled`` reads: per record kind (the idea, its consortium
    members, its applications), each idea's latest history time; its implementation
    record's latest; and the implementation's planned end — in one query (a UNION ALL)."""
    moment, day, text = DateTimeField(), DateField(), CharField()

    def latest(kind: str, model, link: str) -> QuerySet:
        rows = model.history.model.objects.order_by()
        if idea_ids is not None:
            rows = rows.filter(**{f"{link}__in": idea_ids})
        return (
            rows.values(key=F(link))
            .annotate(
                kind=Value(kind, output_field=text),
                at=Max("history_date"),
                # Typed: PostgreSQL reads an untyped NULL in a UNION as text.
                end=Cast(Value(None), day),
            )
            .values_list("kind", "key", "at", "end")
        )

    ends = (
        _by_idea(Implementation.objects.order_by(), idea_ids)
        .annotate(
            kind=Value("end", output_field=text), key=F("idea_id"),
            at=Cast(Value(None), moment), planned=F("end"),
        )
        .values_list("kind", "key", "at", "planned")
    )
    parts = [
        latest("idea", Idea, "id"),
        latest("member", ConsortiumMember, "idea_id"),
        latest("application", FundingApplication, "idea_id"),
        latest("implementation", Implementation, "idea_id"),
    ]
    edited: dict[str, dict[int, datetime]] = {"idea": {}, "member": {}, "application": {}}
    progressed: dict[int, datetime] = {}
    planned: dict[int, date] = {}
    for kind, idea_id, at, end in parts[0].union(*parts[1:], ends, all=True).order_by():
        if kind == "end":
            planned[idea_id] = end
        elif kind == "implementation":
            progressed[idea_id] = at
        else:
            edited[kind][idea_id] = at
    return edited, progressed, planned


def _stays(
    idea_ids: Collection[int] | None, stages: dict[int, str], created: dict[int, datetime]
) -> tuple[dict, dict[int, datetime]]:
    """The ideas' stays, each move with its idea's next move (by time, then by pk: the
    order the history is read in everywhere); and per idea the first move into consortium
    forming or a later stage."""
    stays: dict = {}
    reached: dict[int, datetime] = {}
    moves = _by_idea(StageTransition.objects.all(), idea_ids).order_by("idea_id", "at", "pk")
    history: list[list] = []  # one idea's moves: [stage, at, note]

    def keep(idea_id: int) -> None:
        last_of = {stage: position for position, (stage, _at, _note) in enumerate(history)}
        seen: set[str] = set()
        for position, (stage, at, note) in enumerate(history):
            left = history[position + 1][1] if position + 1 < len(history) else None
            stays[(idea_id, position)] = (
                created[idea_id], stages[idea_id], stage, at, left, stage not in seen,
                last_of[stage] == position,
                # Only a drop's note is read (the funnel's reasons); the rest stay small.
                note if stage == Stage.DROPPED else "",
            )
            seen.add(stage)

    current = None
    rows = moves.values_list("idea_id", "to_stage", "at", "note").iterator(chunk_size=5000)
    for idea_id, stage, at, note in rows:
        if idea_id not in stages:
            continue
        if idea_id != current:
            if current is not None:
                keep(current)
            current, history = idea_id, []
        if stage in REACHED_CONSORTIUM and idea_id not in reached:
            reached[idea_id] = at
        history.append([stage, at, note])
    if current is not None:
        keep(current)
    return stays, reached


def add_shared(
    cells: MoneyCells, themes: Collection[int], requested: int, granted: int, weights: Weights,
    sign: int = 1,
) -> None:
    """Add (or with ``sign`` −1 take away) one idea's € to ``cells``: its sums to the totals
    and to each of its themes, its shares by the one rule to each region and theme × region."""
    for index, amount in enumerate((requested, granted)):
        if not amount:
            continue
        cells[(ALL, ALL)][index] += sign * amount
        for theme in themes:
            cells[(theme, ALL)][index] += sign * amount
        for region, part in share_cents(amount, weights).items():
            if not part:  # a region of no weight: no cell of its own
                continue
            cells[(ALL, region)][index] += sign * part
            for theme in themes:
                cells[(theme, region)][index] += sign * part



def weights_text(shares: dict[int | None, int]) -> str:
    """"12:3,14:3" (region id: weight), "-" for no region; in region order."""
    ordered = sorted(shares.items(), key=lambda item: (item[0] is None, item[0] or 0))
    return ",".join(f"{'-' if region is None else region}:{weight}" for region, weight in ordered)


def weights_from_text(text: str) -> dict[int | None, int]:
    shares: dict[int | None, int] = {}
    for pair in text.split(","):
        region, weight = pair.split(":")
        shares[None if region == "-" else int(region)] = int(weight)
    return shares


# Keeping them current -----------------------------------------------------------------------


def _state() -> SummaryState | None:
    return SummaryState.objects.filter(pk=1).first()


def summaries_ready() -> bool:
    """Whether the dashboards may read the summary tables."""
    state = _state()
    return bool(state and state.ready)


def _quoted(model) -> tuple[str, dict[str, str]]:
    quote = connection.ops.quote_name
    return quote(model._meta.db_table), {f.column: quote(f.column) for f in model._meta.fields}


def _upsert_sql(model, key: tuple[str, ...], values: tuple[str, ...]) -> str:
    """INSERT … ON CONFLICT DO UPDATE adding to the stored numbers (SQLite ≥ 3.24 and
    PostgreSQL both read it): concurrent writes add up instead of overwriting each other."""
    table, q = _quoted(model)
    columns = ", ".join(q[name] for name in (*key, *values))
    marks = ", ".join(["%s"] * (len(key) + len(values)))
    adds = ", ".join(f"{q[name]} = {table}.{q[name]} + excluded.{q[name]}" for name in values)
    conflict = ", ".join(q[name] for name in key)
    return (
        f"INSERT INTO {table} ({columns}) VALUES ({marks}) "
        f"ON CONFLICT ({conflict}) DO UPDATE SET {adds}"
    )


def _subtract_sql(model, key: tuple[str, ...], values: tuple[str, ...]) -> str:
    """UPDATE adding negative changes to existing rows. Not an upsert: the database checks
    the non-negative constraint on the row to be inserted before it finds the conflict."""
    table, q = _quoted(model)
    adds = ", ".join(f"{q[name]} = {q[name]} + %s" for name in values)
    where = " AND ".join(f"{q[name]} = %s" for name in key)
    return f"UPDATE {table} SET {adds} WHERE {where}"


class OutOfStep(IntegrityError):
    """A row to subtract from is missing: the tables did not match the data before."""


def _delete_empty_sql(model, key: tuple[str, ...], values: tuple[str, ...]) -> str:
    table, q = _quoted(model)
    where = " AND ".join(f"{q[name]} = %s" for name in (*key, *values))
    return f"DELETE FROM {table} WHERE {where}"


IDEA_KEY = ("span", "start", "stage", "theme", "region")
APPLICATION_KEY = ("span", "start", "kind", "status", "instrument", "stage")
SHARED_KEY = ("stage", "theme", "region")


def _key_params(key: tuple) -> list:
    return [connection.ops.adapt_datefield_value(part) if isinstance(part, date) else part
            for part in key]


def _changes(before: dict, after: dict, width: int) -> tuple[list, list]:
    """The rows to add to (every number growing or unchanged: an upsert) and the rows to
    change in place (some number shrinking: the row exists when the tables are in step)."""
    added, changed = [], []
    zero = 0 if width == 1 else (0,) * width
    for key in before.keys() | after.keys():
        old, new = before.get(key, zero), after.get(key, zero)
        if width == 1:
            old, new = (old,), (new,)
        change = [n - o for n, o in zip(new, old, strict=True)]
        if not any(change):
            continue
        if min(change) >= 0:
            added.append([*_key_params(key), *change])
        else:
            changed.append([*change, *_key_params(key)])
    return added, changed


def apply_difference(before: Contributions, after: Contributions) -> None:
    """Add ``after`` − ``before`` to the tables; rows left at zero are deleted. Raises
    ``IntegrityError`` when a count would go below zero or a row to change is missing (the
    tables were out of step)."""
    with connection.cursor() as cursor:
        _add(cursor, IdeaCountSummary, IDEA_KEY, ("ideas",),
             *_changes(before.ideas, after.ideas, 1))
        _add(cursor, ApplicationSummary, APPLICATION_KEY, APPLICATION_VALUES,
             *_changes(before.applications, after.applications, 3))
        _add(cursor, SharedMoneySummary, SHARED_KEY, MONEY_VALUES,
             *_changes(before.shared, after.shared, 2))
    # The per-idea rows of the ideas that changed are written anew.
    for model, old, new, rows in (
        (MoneySummary, _per_idea(before.money), _per_idea(after.money), _money_rows),
        (SplitSummary, before.splits, after.splits, _split_rows),
        (IdeaFactSummary, before.facts, after.facts, _fact_rows),
    ):
        changed = {
            idea_id for idea_id in old.keys() | new.keys() if old.get(idea_id) != new.get(idea_id)
        }
        if changed:
            model.objects.filter(idea__in=changed).delete()
            model.objects.bulk_create(rows(after, changed))
    _apply_stays(before.stays, after.stays)


IDEA_STAGE = 1  # ``STAY_FIELDS``' index of the idea's stage now


def _apply_stays(before: dict, after: dict) -> None:
    """Write the stays that changed. A move changes the idea's stage now on every stay of
    the idea: that is one UPDATE per idea, so a long history is not rewritten row by row;
    only the stays whose own values changed (the last one ended, a new one begun, the
    first and last flags) are deleted and written anew."""
    restaged: dict[str, set[int]] = defaultdict(set)
    rewritten: set[tuple[int, int]] = set()
    for key in before.keys() | after.keys():
        old, new = before.get(key), after.get(key)
        if old == new:
            continue
        if old is not None and new is not None and (
            old[:IDEA_STAGE] + old[IDEA_STAGE + 1:] == new[:IDEA_STAGE] + new[IDEA_STAGE + 1:]
        ):
            restaged[new[IDEA_STAGE]].add(key[0])
        else:
            rewritten.add(key)
    for stage, idea_ids in restaged.items():
        StaySummary.objects.filter(idea__in=idea_ids).update(idea_stage=stage)
    if not rewritten:
        return
    keys = Q(pk__in=[])
    for idea_id in {idea_id for idea_id, _position in rewritten}:
        positions = [position for other, position in rewritten if other == idea_id]
        keys |= Q(idea=idea_id, position__in=positions)
    StaySummary.objects.filter(keys).delete()
    written = {key: after[key] for key in rewritten if key in after}
    StaySummary.objects.bulk_create(_stay_rows(Contributions(stays=written)))
    _count_days(StaySummary.objects.filter(keys))


def _per_idea(money: dict) -> dict[int, dict]:
    grouped: dict[int, dict] = defaultdict(dict)
    for key, value in money.items():
        grouped[key[0]][key] = value
    return grouped


def _money_rows(found: Contributions, ideas: Collection[int] | None = None) -> Iterator[MoneySummary]:
    for (idea_id, day), (stage, requested, granted) in found.money.items():
        if ideas is None or idea_id in ideas:
            yield MoneySummary(idea=idea_id, day=day, stage=stage, requested=requested,
                               granted=granted)


def _split_rows(found: Contributions, ideas: Collection[int] | None = None) -> Iterator[SplitSummary]:
    for idea_id, (weights, total, themes) in found.splits.items():
        if ideas is None or idea_id in ideas:
            yield SplitSummary(idea=idea_id, weights=weights, total=total, themes=themes)


STAY_FIELDS = (
    "idea_created_at", "idea_stage", "stage", "entered_at", "left_at", "first", "last", "note",
)
# The days of an ended stay, by the database's own arithmetic (as the queries count them).
STAY_DAYS = WholeDays("left_at", "entered_at")


FACT_FIELDS = (
    "title", "created_at", "stage", "origin_event", "reached_consortium_at", "funded_on",
    "stage_entered_at", "edited_at", "planned_end", "progressed_at",
)


def _fact_rows(
    found: Contributions, ideas: Collection[int] | None = None
) -> Iterator[IdeaFactSummary]:
    for idea_id, values in found.facts.items():
        if ideas is None or idea_id in ideas:
            yield IdeaFactSummary(idea=idea_id, **dict(zip(FACT_FIELDS, values, strict=True)))


def _count_days(stays: QuerySet[StaySummary]) -> None:
    stays.filter(left_at__isnull=False).update(days=STAY_DAYS)


def _stay_rows(
    found: Contributions, ideas: Collection[int] | None = None
) -> Iterator[StaySummary]:
    for (idea_id, position), values in found.stays.items():
        if ideas is None or idea_id in ideas:
            fields = dict(zip(STAY_FIELDS, values, strict=True))
            yield StaySummary(idea=idea_id, position=position, **fields)


def _add(cursor, model, key: tuple[str, ...], values: tuple[str, ...], added: list,
         changed: list) -> None:
    if added:
        cursor.executemany(_upsert_sql(model, key, values), added)
    if changed:
        for params in changed:
            cursor.execute(_subtract_sql(model, key, values), params)
            if cursor.rowcount != 1:
                raise OutOfStep(f"No {model._meta.db_table} row {params[len(values):]}")
        zeros = [0] * len(values)
        cursor.executemany(
            _delete_empty_sql(model, key, values),
            [[*params[len(values):], *zeros] for params in changed],
        )


def mark_not_ready(note: str) -> None:
    SummaryState.objects.update_or_create(pk=1, defaults={"ready": False, "note": note})


class track:
    """``portfolio.changes`` tracker: the contributions of the ideas before the write, then
    after it, and the difference applied — inside the write's transaction. With the tables
    not ready (never built, or found out of step) it does nothing: the dashboards read the
    data directly until a rebuild."""

    def __init__(self, idea_ids: set[int]) -> None:
        self.idea_ids = idea_ids
        self.before: Contributions | None = None

    def __enter__(self) -> track:
        if summaries_ready():
            self.known = set(self.idea_ids)
            self.before = contributions(self.known)
        return self

    def __exit__(self, kind, error, traceback) -> None:
        if error is not None or self.before is None:
            return
        after = contributions(self.idea_ids)
        # Ideas added during the write contributed nothing before it.
        try:
            # A savepoint: on PostgreSQL a failed statement would abort the whole write.
            with transaction.atomic():
                apply_difference(self.before, after)
        except IntegrityError as problem:
            # A count would go below zero: the tables were out of step before this write
            # (data written around the services). The write itself stands; the dashboards
            # read the data directly until an operator rebuilds the tables.
            logger.error("Summary tables out of step, marked not ready: %s", problem)
            mark_not_ready(f"Out of step at a write to ideas {sorted(self.idea_ids)}: {problem}")


# Rebuilding ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Difference:
    table: str
    key: tuple
    stored: tuple
    derived: tuple

    def __str__(self) -> str:
        key = ", ".join(str(part) for part in self.key)
        return f"{self.table} ({key}): stored {self.stored}, from the data {self.derived}"


def _stored() -> Contributions:
    found = Contributions()
    for row in IdeaCountSummary.objects.values_list(*IDEA_KEY, "ideas").iterator(chunk_size=5000):
        found.ideas[tuple(row[:-1])] = row[-1]
    for row in ApplicationSummary.objects.values_list(
        *APPLICATION_KEY, *APPLICATION_VALUES
    ).iterator(chunk_size=5000):
        found.applications[tuple(row[:6])] = list(row[6:])
    for idea_id, day, stage, requested, granted in MoneySummary.objects.values_list(
        "idea", "day", "stage", "requested", "granted"
    ).iterator(chunk_size=5000):
        found.money[(idea_id, day)] = (stage, requested, granted)
    for idea_id, weights, total, themes in SplitSummary.objects.values_list(
        "idea", "weights", "total", "themes"
    ).iterator(chunk_size=5000):
        found.splits[idea_id] = (weights, total, themes)
    for row in SharedMoneySummary.objects.values_list(*SHARED_KEY, *MONEY_VALUES).iterator(
        chunk_size=5000
    ):
        found.shared[tuple(row[:3])] = list(row[3:])
    for row in StaySummary.objects.values_list("idea", "position", *STAY_FIELDS).iterator(
        chunk_size=5000
    ):
        found.stays[tuple(row[:2])] = tuple(row[2:])
    for row in IdeaFactSummary.objects.values_list("idea", *FACT_FIELDS).iterator(
        chunk_size=5000
    ):
        found.facts[row[0]] = tuple(row[1:])
    return found


def _table_differences(
    table: str, stored: dict, derived: dict, missing, order=None
) -> Iterator[Difference]:
    """The rows of one table whose stored numbers are not those the data gives; ``missing``
    stands for a row one side does not have."""
    for key in sorted(stored.keys() | derived.keys(), key=order):
        old, new = stored.get(key, missing), derived.get(key, missing)
        old, new = (
            tuple(value) if isinstance(value, list | tuple) else (value,) for value in (old, new)
        )
        if old != new:
            yield Difference(table, key if isinstance(key, tuple) else (key,), old, new)


def differences(stored: Contributions, derived: Contributions) -> list[Difference]:
    return [
        *_table_differences("ideas", stored.ideas, derived.ideas, 0, str),
        *_table_differences("applications", stored.applications, derived.applications,
                            (0, 0, 0), str),
        *_table_differences("money", stored.money, derived.money, (), str),
        *_table_differences("splits", stored.splits, derived.splits, ()),
        *_table_differences("shared money", stored.shared, derived.shared, (0, 0)),
        *_table_differences("stays", stored.stays, derived.stays, ()),
        *_table_differences("idea facts", stored.facts, derived.facts, ()),
    ]


SUMMARY_MODELS = (
    IdeaCountSummary, ApplicationSummary, MoneySummary, SplitSummary, SharedMoneySummary,
    StaySummary, IdeaFactSummary,
)


@transaction.atomic
def rebuild(*, check: bool = False) -> list[Difference]:
    """Compare the tables with what the data gives and, unless ``check``, write the tables
    from scratch and mark them ready. Returns the differences found (before the rewrite)."""
    derived = contributions()
    found = differences(_stored(), derived)
    miscounted = (
        StaySummary.objects.filter(left_at__isnull=False)
        .annotate(counted=STAY_DAYS)
        .exclude(days=F("counted"))
        .values_list("idea", "position", "days", "counted")
    )
    found += [Difference("stay days", (idea_id, position), (days,), (counted,))
              for idea_id, position, days, counted in miscounted]
    if check:
        return found
    for model in SUMMARY_MODELS:
        model.objects.all().delete()
    MoneySummary.objects.bulk_create(_money_rows(derived), batch_size=2000)
    SplitSummary.objects.bulk_create(_split_rows(derived), batch_size=2000)
    StaySummary.objects.bulk_create(_stay_rows(derived), batch_size=2000)
    _count_days(StaySummary.objects.all())
    IdeaFactSummary.objects.bulk_create(_fact_rows(derived), batch_size=2000)
    SharedMoneySummary.objects.bulk_create(
        (
            SharedMoneySummary(stage=stage, theme=theme, region=region, requested=numbers[0],
                               granted=numbers[1])
            for (stage, theme, region), numbers in derived.shared.items()
            if any(numbers)
        ),
        batch_size=2000,
    )
    IdeaCountSummary.objects.bulk_create(
        (
            IdeaCountSummary(span=span, start=start, stage=stage, theme=theme, region=region,
                             ideas=ideas)
            for (span, start, stage, theme, region), ideas in derived.ideas.items()
            if ideas
        ),
        batch_size=2000,
    )
    ApplicationSummary.objects.bulk_create(
        (
            ApplicationSummary(
                span=span, start=start, kind=kind, status=status, instrument=instrument,
                stage=stage, applications=numbers[0], requested=numbers[1], granted=numbers[2],
            )
            for (span, start, kind, status, instrument, stage), numbers in derived.applications.items()
            if numbers[0]
        ),
        batch_size=2000,
    )
    SummaryState.objects.update_or_create(
        pk=1, defaults={"ready": True, "rebuilt_at": timezone.now(), "note": ""}
    )
    return found


# Reading a period ---------------------------------------------------------------------------


def _next_month(day: date) -> date:
    return date(day.year + (day.month == 12), day.month % 12 + 1, 1)


def span_parts(start: date, end: date, *, years: bool = True) -> Iterator[tuple[str, date]]:
    """The rows that make up the days ``start``–``end``: whole years (unless ``years`` is
    False, for callers that group by quarter), whole months, and single days."""
    day = start
    while day <= end:
        if years and (day.month, day.day) == (1, 1) and date(day.year, 12, 31) <= end:
            yield SummarySpan.YEAR, day
            day = date(day.year + 1, 1, 1)
        elif day.day == 1 and _next_month(day) - timedelta(days=1) <= end:
            yield SummarySpan.MONTH, day
            day = _next_month(day)
        else:
            yield SummarySpan.DAY, day
            if day == date.max:
                break
            day += timedelta(days=1)


def period_filter(start: date, end: date, *, years: bool = True) -> Q:
    """The rows of the days ``start``–``end``: a condition on ``span`` and ``start``."""
    chosen: dict[str, list[date]] = defaultdict(list)
    for span, day in span_parts(start, end, years=years):
        chosen[span].append(day)
    condition = Q(pk__in=[])
    for span, days in chosen.items():
        if span == SummarySpan.DAY:
            # Single days come in at most two runs (the ends of the period): as ranges.
            runs: list[list[date]] = []
            for day in days:
                if runs and runs[-1][1] + timedelta(days=1) == day:
                    runs[-1][1] = day
                else:
                    runs.append([day, day])
            for first, last in runs:
                condition |= Q(span=span, start__gte=first, start__lte=last)
        else:
            condition |= Q(span=span, start__in=days)
    return condition


def idea_counts(
    start: date, end: date, stages: Collection[str], *, years: bool = True
) -> QuerySet[IdeaCountSummary]:
    """The idea rows of the days ``start``–``end`` (of ideas in ``stages`` now; empty: all)."""
    rows = IdeaCountSummary.objects.filter(period_filter(start, end, years=years)).order_by()
    return rows.filter(stage__in=stages) if stages else rows


def application_counts(
    start: date, end: date, stages: Collection[str], *, years: bool = True
) -> QuerySet[ApplicationSummary]:
    """The application rows of the days ``start``–``end`` (of ideas in ``stages`` now)."""
    rows = ApplicationSummary.objects.filter(period_filter(start, end, years=years)).order_by()
    return rows.filter(stage__in=stages) if stages else rows


def euros(cents: int | None) -> Decimal:
    """Whole cents as euros; nothing is ``Decimal(0)``, as the direct queries' ``or ZERO``."""
    return Decimal(cents).scaleb(-2) if cents else Decimal(0)


def money_by_idea(
    start: date, end: date, stages: Collection[str]
) -> dict[int, tuple[int, int, list[int], Weights]]:
    """Per idea with money in the days ``start``–``end`` (of ideas in ``stages`` now): €
    requested, € granted (whole cents), its themes and its weights among regions — what
    ``DashboardData`` reads directly, from the summaries in one query."""
    quote = connection.ops.quote_name
    money, split = quote(MoneySummary._meta.db_table), quote(SplitSummary._meta.db_table)
    params: list = [
        connection.ops.adapt_datefield_value(start), connection.ops.adapt_datefield_value(end)
    ]
    in_stages = ""
    if stages:
        in_stages = f" AND m.stage IN ({', '.join(['%s'] * len(stages))})"
        params.extend(stages)
    sql = (
        f"SELECT m.idea, SUM(m.requested), SUM(m.granted), MAX(s.weights), MAX(s.total), "
        f"MAX(s.themes) FROM {money} m JOIN {split} s ON s.idea = m.idea "
        f"WHERE m.day >= %s AND m.day <= %s{in_stages} GROUP BY m.idea"
    )
    found: dict[int, tuple[int, int, list[int], Weights]] = {}
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for idea_id, requested, granted, weights, total, themes in cursor.fetchall():
            found[idea_id] = (
                int(requested), int(granted), [int(t) for t in themes.split(",") if t],
                (weights_from_text(weights), int(total)),
            )
    return found


# Ideas with money outside a period beyond which the period's money is read per idea
# instead: each is worked out twice in Python, so many cost more than the per-idea read.
OUTSIDE_LIMIT = 2000


def shared_money(start: date, end: date, stages: Collection[str]) -> MoneyCells | None:
    """The € of the ideas (in ``stages`` now) in the days ``start``–``end`` per theme and
    region, each idea's sum shared out by the one rule — from ``SharedMoneySummary`` (all of
    every idea's days), less the ideas with money on days outside the period, which are put
    back with their own period's shares. None when more than ``OUTSIDE_LIMIT`` ideas have
    money outside the period: then ``money_by_idea`` is the quicker read. Two queries."""
    outside = _money_in_and_out(start, end, stages)
    if len(outside) > OUTSIDE_LIMIT:
        return None
    cells: MoneyCells = defaultdict(lambda: [0, 0])
    rows = SharedMoneySummary.objects.order_by()
    if stages:
        rows = rows.filter(stage__in=stages)
    for theme, region, requested, granted in (
        rows.values_list("theme", "region").annotate(Sum("requested"), Sum("granted"))
    ):
        total = cells[(theme, NO_REGION if region == NO_REGION_ID else region)]
        total[0] += int(requested)
        total[1] += int(granted)
    for everything, theirs in outside:
        for sign, (requested, granted, themes, weights) in ((-1, everything), (1, theirs)):
            add_shared(cells, themes, requested, granted, weights, sign)
    # Rows emptied by taking ideas out are no rows, as in a read of the period itself.
    return {key: numbers for key, numbers in cells.items() if any(numbers)}


def _money_in_and_out(start: date, end: date, stages: Collection[str]) -> list[tuple[tuple, tuple]]:
    """Per idea (in ``stages`` now) with money outside the days ``start``–``end``, at most
    ``OUTSIDE_LIMIT`` + 1 of them: (€ requested, € granted, themes, weights) of all its
    days, and the same of the days ``start``–``end``. One query."""
    quote = connection.ops.quote_name
    money, split = quote(MoneySummary._meta.db_table), quote(SplitSummary._meta.db_table)
    days = [connection.ops.adapt_datefield_value(day) for day in (start, end)]
    in_stages = ""
    if stages:
        in_stages = f" AND o.stage IN ({', '.join(['%s'] * len(stages))})"
    in_period = "CASE WHEN m.day >= %s AND m.day <= %s THEN m.{} ELSE 0 END"
    sql = (
        f"SELECT m.idea, SUM(m.requested), SUM(m.granted), "
        f"SUM({in_period.format('requested')}), SUM({in_period.format('granted')}), "
        f"MAX(s.weights), MAX(s.total), MAX(s.themes) "
        f"FROM {money} m JOIN {split} s ON s.idea = m.idea "
        f"WHERE m.idea IN (SELECT DISTINCT o.idea FROM {money} o "
        f"WHERE (o.day < %s OR o.day > %s){in_stages} LIMIT %s) GROUP BY m.idea"
    )
    found = []
    with connection.cursor() as cursor:
        cursor.execute(sql, [*days, *days, *days, *stages, OUTSIDE_LIMIT + 1])
        for _idea, *amounts, weights, total, themes in cursor.fetchall():
            split_weights = (weights_from_text(weights), int(total))
            theme_ids = [int(t) for t in themes.split(",") if t]
            requested, granted, requested_in, granted_in = (int(a) for a in amounts)
            found.append((
                (requested, granted, theme_ids, split_weights),
                (requested_in, granted_in, theme_ids, split_weights),
            ))
    return found


def stays(stages: Collection[str]) -> QuerySet[StaySummary]:
    """The stays of ideas in ``stages`` now (empty: every idea)."""
    rows = StaySummary.objects.order_by()
    return rows.filter(idea_stage__in=stages) if stages else rows


def idea_facts(stages: Collection[str]) -> QuerySet[IdeaFactSummary]:
    """The facts of the ideas in ``stages`` now (empty: every idea)."""
    rows = IdeaFactSummary.objects.order_by()
    return rows.filter(stage__in=stages) if stages else rows
