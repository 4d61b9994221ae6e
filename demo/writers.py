"""Demo data: the writers that store idea plans, through the services or in bulk."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from itertools import islice

from django.db import connection
from django.db.models import Field, Model
from django.utils import timezone

from demo.plans import ApplicationPlan, IdeaPlan, ImplementationPlan, MemberPlan, MovePlan
from funding.models import FundingApplication, Implementation
from funding.services import application_save, implementation_save
from portfolio.models import ConsortiumMember, Idea, StageTransition
from portfolio.services import consortium_member_save, idea_create, idea_move

# How many ideas go through the services one by one; the rest are written in bulk.
SERVICE_IDEAS = 150
BULK_CHUNK = 2000
BATCH_SIZE = 1000  # rows per INSERT: well under PostgreSQL's 65 535 parameters


def write_with_services(plan: IdeaPlan) -> Idea:
    """Store one plan through the services, which check every guard of every move."""
    by = plan.owner
    idea = idea_create(
        title=plan.title,
        by=by,
        summary=plan.summary,
        owner=plan.owner,
        origin_event=plan.origin_event,
        themes=plan.themes,
        regions=plan.regions,
        estimated_budget=plan.estimated_budget,
        at=plan.created_at,
    )
    for step in plan.steps():
        if isinstance(step, MovePlan):
            idea = idea_move(idea=idea, to_stage=step.to_stage, by=by, note=step.note, at=step.at)
        elif isinstance(step, MemberPlan):
            consortium_member_save(member=step.instance(idea.pk), by=by)
        elif isinstance(step, ApplicationPlan):
            application_save(application=step.instance(idea.pk), by=by)
        else:
            implementation_save(implementation=step.instance(idea.pk), by=by)
    return idea


IDEA_COLUMNS = (
    "title", "summary", "origin_event_id", "owner_id", "stage", "stage_entered_at",
    "estimated_budget", "drop_reason", "version", "created_at",
)
TRANSITION_COLUMNS = ("idea_id", "from_stage", "to_stage", "at", "by_id", "note")


def _idea_row(plan: IdeaPlan) -> tuple:
    return (
        plan.title,
        plan.summary,
        plan.origin_event.pk if plan.origin_event else None,
        plan.owner.pk,
        plan.stage,
        plan.stage_entered_at,
        plan.estimated_budget,
        plan.drop_reason,
        1 + len(plan.moves),
        plan.created_at,
    )


def _child_rows(
    ids: list[int], plans: list[IdeaPlan]
) -> Iterator[tuple[type[Model], tuple[str, ...], Iterator[tuple]]]:
    """Per table: its columns and a generator of rows for the ideas ``ids`` of ``plans``.

    Generators, not lists: a row is made just before it is written."""
    pairs = list(zip(ids, plans, strict=True))
    yield Idea.themes.through, ("idea_id", "theme_id"), (
        (pk, theme.pk) for pk, plan in pairs for theme in plan.themes
    )
    yield Idea.regions.through, ("idea_id", "region_id"), (
        (pk, region.pk) for pk, plan in pairs for region in plan.regions
    )
    yield StageTransition, TRANSITION_COLUMNS, (
        (pk, frm, to, at, plan.owner.pk, note)
        for pk, plan in pairs
        for frm, to, at, note in plan.transitions()
    )
    yield ConsortiumMember, MemberPlan.COLUMNS, (
        member.row(pk) for pk, plan in pairs for member in plan.members
    )
    yield FundingApplication, ApplicationPlan.COLUMNS, (
        application.row(pk) for pk, plan in pairs for application in plan.applications
    )
    yield Implementation, ImplementationPlan.COLUMNS, (
        plan.implementation.row(pk) for pk, plan in pairs if plan.implementation
    )


def _copying() -> bool:
    """Whether rows go in with PostgreSQL's COPY (several times faster than INSERTs with
    parameters) rather than with ``bulk_create``."""
    return connection.vendor == "postgresql"


def _reserve_ids(model: type[Model], count: int) -> list[int]:
    """``count`` new primary keys from the table's own sequence, ascending: rows copied
    with them leave the sequence where INSERTs would have."""
    table = model._meta.db_table
    column = model._meta.pk.column
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
            [connection.ops.quote_name(table), column, count],
        )
        return sorted(pk for (pk,) in cursor.fetchall())


def _copy(model: type[Model], columns: tuple[str, ...], rows: Iterable[tuple]) -> None:
    """COPY ``rows`` (values of the fields whose attnames are ``columns``) into ``model``'s
    table. The table's other columns get what ``bulk_create`` would give them: the time
    of writing for ``auto_now``/``auto_now_add`` fields, else the field's default."""
    opts = model._meta
    by_attname = {f.attname: f for f in opts.concrete_fields}
    now = timezone.now()
    others: list[Field] = [
        f for f in opts.concrete_fields
        if f.attname not in columns and not (f.primary_key and "id" not in columns)
    ]
    extra = tuple(
        f.get_db_prep_save(
            now if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)
            else f.get_default(),
            connection,
        )
        for f in others
    )
    names = [by_attname[c].column for c in columns] + [f.column for f in others]
    quote = connection.ops.quote_name
    sql = (
        f"COPY {quote(opts.db_table)} ({', '.join(quote(name) for name in names)}) FROM STDIN"
    )
    with connection.cursor() as cursor, cursor.cursor.copy(sql) as copy:
        if extra:
            for row in rows:
                copy.write_row(row + extra)
        else:
            for row in rows:
                copy.write_row(row)


def _bulk_create(model: type[Model], columns: tuple[str, ...], rows: Iterable[tuple]) -> None:
    model.objects.bulk_create(
        (model(**dict(zip(columns, row, strict=True))) for row in rows), batch_size=BATCH_SIZE
    )


def write_in_bulk(plans: list[IdeaPlan]) -> None:
    """Store plans with one COPY (PostgreSQL) or a few INSERTs (other databases) per table,
    leaving the rows the services would leave.

    The services give each idea its current stage, the time it entered it, the drop reason
    and one version per move, and a stage history that chains from the creation; the same
    rows are built here from the same plans, as plain tuples (no model instances on
    PostgreSQL). What is left out is simple_history's field-change history (half of the
    rows, and not what any "as of" question reads): the history of a bulk idea starts empty.
    """
    if not plans:
        return
    if _copying():
        ids = _reserve_ids(Idea, len(plans))
        _copy(
            Idea,
            ("id", *IDEA_COLUMNS),
            ((pk, *_idea_row(plan)) for pk, plan in zip(ids, plans, strict=True)),
        )
        write = _copy
    else:
        ideas = [Idea(**dict(zip(IDEA_COLUMNS, _idea_row(plan), strict=True))) for plan in plans]
        Idea.objects.bulk_create(ideas, batch_size=BATCH_SIZE)
        if ideas[0].pk is None:
            raise NotImplementedError(
                "Bulk demo data needs a database that returns inserted ids."
            )
        ids = [idea.pk for idea in ideas]
        write = _bulk_create
    for model, columns, rows in _child_rows(ids, plans):
        write(model, columns, rows)


def write_plans(
    plans: Iterator[IdeaPlan], count: int, progress: Callable[[int, int], None] | None = None
) -> None:
    """The first :data:`SERVICE_IDEAS` plans through the services, the rest in bulk chunks."""
    written = 0
    for plan in islice(plans, SERVICE_IDEAS):
        write_with_services(plan)
        written += 1
    if progress and count > SERVICE_IDEAS:
        progress(written, count)
    while chunk := list(islice(plans, BULK_CHUNK)):
        write_in_bulk(chunk)
        written += len(chunk)
        if progress:
            progress(written, count)
