"""Demo data: the writers that store idea plans, through the services or in bulk."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from itertools import islice

from demo.plans import ApplicationPlan, IdeaPlan, MemberPlan, MovePlan
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


def write_in_bulk(plans: list[IdeaPlan]) -> None:
    """Store plans with a few INSERTs per table, leaving the rows the services would leave.

    The services give each idea its current stage, the time it entered it, the drop reason
    and one version per move, and a stage history that chains from the creation; the same
    rows are built here from the same plans. What is left out is simple_history's
    field-change history (half of the rows, and not what any "as of" question reads): the
    history of a bulk idea starts empty.
    """
    ideas = [
        Idea(
            title=plan.title,
            summary=plan.summary,
            origin_event_id=plan.origin_event.pk if plan.origin_event else None,
            owner_id=plan.owner.pk,
            stage=plan.stage,
            stage_entered_at=plan.stage_entered_at,
            estimated_budget=plan.estimated_budget,
            drop_reason=plan.drop_reason,
            version=1 + len(plan.moves),
            created_at=plan.created_at,
        )
        for plan in plans
    ]
    Idea.objects.bulk_create(ideas, batch_size=BATCH_SIZE)
    if ideas and ideas[0].pk is None:
        raise NotImplementedError("Bulk demo data needs a database that returns inserted ids.")
    pairs = list(zip(ideas, plans, strict=True))
    rows_by_model = {
        Idea.themes.through: [
            Idea.themes.through(idea_id=idea.pk, theme_id=theme.pk)
            for idea, plan in pairs
            for theme in plan.themes
        ],
        Idea.regions.through: [
            Idea.regions.through(idea_id=idea.pk, region_id=region.pk)
            for idea, plan in pairs
            for region in plan.regions
        ],
        StageTransition: [
            StageTransition(
                idea_id=idea.pk, from_stage=frm, to_stage=to, at=at, by_id=plan.owner.pk, note=note
            )
            for idea, plan in pairs
            for frm, to, at, note in plan.transitions()
        ],
        ConsortiumMember: [
            member.instance(idea.pk) for idea, plan in pairs for member in plan.members
        ],
        FundingApplication: [
            application.instance(idea.pk)
            for idea, plan in pairs
            for application in plan.applications
        ],
        Implementation: [
            plan.implementation.instance(idea.pk) for idea, plan in pairs if plan.implementation
        ],
    }
    for model, rows in rows_by_model.items():
        model.objects.bulk_create(rows, batch_size=BATCH_SIZE)


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
