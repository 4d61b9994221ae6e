"""Demo data: an idea's whole story as plain, dated data (moves and records), before writing."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from django.contrib.auth.models import AbstractBaseUser

from funding.models import FundingApplication, FundingCall, FundingInstrument, Implementation
from portfolio.models import ConsortiumMember, Contact, Organisation, Region, RoadshowEvent, Theme
from portfolio.stages import Stage


@dataclass(frozen=True)
class MovePlan:
    to_stage: str
    at: datetime
    note: str = ""


@dataclass(frozen=True)
class MemberPlan:
    organisation: Organisation
    role: str
    status: str
    budget_share: Decimal | None
    contact: Contact | None
    at: datetime

    COLUMNS = (
        "idea_id", "organisation_id", "role", "status", "budget_share", "contact_id",
        "created_at",
    )

    def row(self, idea_id: int) -> tuple:
        """The values of :attr:`COLUMNS`, for the bulk writer."""
        return (
            idea_id, self.organisation.pk, self.role, self.status, self.budget_share,
            self.contact.pk if self.contact else None, self.at,
        )

    def instance(self, idea_id: int) -> ConsortiumMember:
        member = ConsortiumMember(**dict(zip(self.COLUMNS, self.row(idea_id), strict=True)))
        # simple_history dates the history row from this, as idea_create does for ideas.
        member._history_date = self.at
        return member


@dataclass(frozen=True)
class ApplicationPlan:
    instrument: FundingInstrument
    call: FundingCall | None
    applicant: Organisation
    reference: str
    total_budget: Decimal
    requested: Decimal
    granted: Decimal | None
    status: str
    submitted_on: date | None
    decided_on: date | None
    at: datetime

    COLUMNS = (
        "idea_id", "instrument_id", "call_id", "applicant_id", "reference", "total_budget",
        "requested", "granted", "status", "submitted_on", "decided_on", "created_at",
    )

    def row(self, idea_id: int) -> tuple:
        """The values of :attr:`COLUMNS`, for the bulk writer."""
        return (
            idea_id, self.instrument.pk, self.call.pk if self.call else None,
            self.applicant.pk, self.reference, self.total_budget, self.requested, self.granted,
            self.status, self.submitted_on, self.decided_on, self.at,
        )

    def instance(self, idea_id: int) -> FundingApplication:
        application = FundingApplication(
            **dict(zip(self.COLUMNS, self.row(idea_id), strict=True))
        )
        application._history_date = self.at
        return application


@dataclass(frozen=True)
class ImplementationPlan:
    lead_organisation: Organisation
    start: date
    end: date
    total_budget: Decimal
    health: str
    final_report_date: date | None
    at: datetime

    COLUMNS = (
        "idea_id", "lead_organisation_id", "start", "end", "total_budget", "health",
        "final_report_date", "created_at",
    )

    def row(self, idea_id: int) -> tuple:
        """The values of :attr:`COLUMNS`, for the bulk writer."""
        return (
            idea_id, self.lead_organisation.pk, self.start, self.end, self.total_budget,
            self.health, self.final_report_date, self.at,
        )

    def instance(self, idea_id: int) -> Implementation:
        implementation = Implementation(
            **dict(zip(self.COLUMNS, self.row(idea_id), strict=True))
        )
        implementation._history_date = self.at
        return implementation


Record = MemberPlan | ApplicationPlan | ImplementationPlan


@dataclass
class IdeaPlan:
    """One idea's whole story as data, before anything is written."""

    title: str
    summary: str
    owner: AbstractBaseUser
    origin_event: RoadshowEvent | None
    themes: list[Theme]
    regions: list[Region]
    estimated_budget: Decimal | None
    created_at: datetime
    moves: list[MovePlan] = field(default_factory=list)
    members: list[MemberPlan] = field(default_factory=list)
    applications: list[ApplicationPlan] = field(default_factory=list)
    implementation: ImplementationPlan | None = None

    @property
    def stage(self) -> str:
        return self.moves[-1].to_stage if self.moves else Stage.IDEA

    @property
    def stage_entered_at(self) -> datetime:
        return self.moves[-1].at if self.moves else self.created_at

    @property
    def drop_reason(self) -> str:
        return self.moves[-1].note if self.stage == Stage.DROPPED else ""

    def transitions(self) -> Iterator[tuple[str, str, datetime, str]]:
        """(from, to, at, note) from the creation on, as the stage history records them."""
        previous = Stage.IDEA
        yield "", Stage.IDEA, self.created_at, ""
        for move in self.moves:
            yield previous, move.to_stage, move.at, move.note
            previous = move.to_stage

    def steps(self) -> list[MovePlan | Record]:
        """Moves and records in time order, so each record exists before a guard asks for it."""
        steps: list[MovePlan | Record] = [*self.members, *self.applications, *self.moves]
        if self.implementation:
            steps.append(self.implementation)
        return sorted(steps, key=lambda step: (step.at, isinstance(step, MovePlan)))
