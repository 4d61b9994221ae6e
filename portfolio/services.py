"""Every write with rules on portfolio data. Views, the API, imports and the demo data call these."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from decimal import Decimal

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from accounts.permissions import project_managers
from core.formatting import user_display
from portfolio.changes import ideas_changing
from portfolio.models import (
    ConsortiumMember,
    Contact,
    Idea,
    Organisation,
    Region,
    RoadshowEvent,
    StageTransition,
    Theme,
)
from portfolio.stages import MoveContext, Stage, unmet_guards


class StageRefused(Exception):
    """The move is not allowed now; ``reasons`` lists every unmet guard in words."""

    def __init__(self, reasons: list[str]):
        self.reasons = reasons
        super().__init__(" ".join(reasons))


class StageConflict(Exception):
    """Someone else moved the idea first: it is no longer in the stage the caller expected."""

    def __init__(self, *, idea: Idea, moved_to: str, moved_by: str, moved_at: datetime | None):
        self.idea = idea
        self.moved_to = moved_to
        self.moved_by = moved_by
        self.moved_at = moved_at
        super().__init__(self.message)

    @property
    def message(self) -> str:
        when = (
            date_format(timezone.localtime(self.moved_at), "SHORT_DATETIME_FORMAT")
            if self.moved_at
            else "?"
        )
        return _("This idea was moved to “%(stage)s” by %(user)s at %(when)s.") % {
            "stage": Stage(self.moved_to).label,
            "user": self.moved_by,
            "when": when,
        }


def _check_owner(idea: Idea, *, was: int | None) -> None:
    """An idea is owned by a project manager; one who has left the role stays the owner of
    the ideas they already own until someone names another."""
    if idea.owner_id is None or idea.owner_id == was:
        return
    if not project_managers().filter(pk=idea.owner_id).exists():
        raise ValidationError({"owner": _("The owner must be an active project manager.")})


@transaction.atomic
def idea_create(
    *,
    title: str,
    by: AbstractBaseUser | None,
    summary: str = "",
    owner: AbstractBaseUser | None = None,
    origin_event: RoadshowEvent | None = None,
    themes: Iterable[Theme] = (),
    regions: Iterable[Region] = (),
    estimated_budget: Decimal | None = None,
    at: datetime | None = None,
) -> Idea:
    """Create an idea in the first stage; its history starts with that entry.

    ``at`` backdates the creation (imports and demo data); it defaults to now.
    """
    at = at or timezone.now()
    idea = Idea(
        title=title,
        summary=summary,
        owner=owner,
        origin_event=origin_event,
        estimated_budget=estimated_budget,
        stage=Stage.IDEA,
        stage_entered_at=at,
        created_at=at,
    )
    idea.full_clean()
    _check_owner(idea, was=None)
    idea._history_user = by
    idea._history_date = at
    with ideas_changing() as changed:
        idea.save()
        changed.add(idea.pk)
        idea.themes.set(themes)
        idea.regions.set(regions)
        StageTransition.objects.create(
            idea=idea, from_stage="", to_stage=Stage.IDEA, at=at, by=by
        )
    return idea


def _conflict(idea: Idea) -> StageConflict:
    last = (
        StageTransition.objects.filter(idea_id=idea.pk)
        .select_related("by")
        .order_by("-at", "-pk")
        .first()
    )
    current = Idea.objects.filter(pk=idea.pk).values_list("stage", flat=True).first()
    if current is not None:
        # The caller's copy may predate the move that won; the answer names where it is now.
        idea.stage = current
    return StageConflict(
        idea=idea,
        moved_to=last.to_stage if last else current,
        moved_by=user_display(last.by) if last else user_display(None),
        moved_at=last.at if last else None,
    )


def idea_move(
    *,
    idea: Idea,
    to_stage: str,
    by: AbstractBaseUser | None,
    note: str = "",
    expected_stage: str | None = None,
    at: datetime | None = None,
) -> Idea:
    """Move ``idea`` to ``to_stage`` — the only way an idea's stage changes.

    ``expected_stage`` is the stage the caller saw (default: ``idea.stage`` as loaded).
    Raises ``StageRefused`` with every unmet guard, or ``StageConflict`` when the idea is
    no longer in the expected stage. ``at`` backdates the move (demo data, imports).
    Returns the idea as stored after the move.
    """
    try:
        to_stage = Stage(to_stage)
    except ValueError:
        raise StageRefused([_("“%(stage)s” is not a stage.") % {"stage": to_stage}]) from None
    expected = expected_stage or idea.stage
    note = (note or "").strip()
    try:
        with transaction.atomic():
            current = Idea.objects.select_related("owner").get(pk=idea.pk)
            if current.stage != expected:
                raise _conflict(current)
            # Taken after reading the idea, so it is never before a move that committed first.
            at = at or timezone.now()
            ctx = MoveContext(idea=current, note=note, today=timezone.localdate(at))
            reasons = unmet_guards(expected, to_stage, ctx)
            if at < current.stage_entered_at:
                # History must read in order, or "as of" answers would go back in time.
                reasons.append(
                    _("A move cannot be dated before the idea entered its current stage (%(at)s).")
                    % {"at": date_format(timezone.localtime(current.stage_entered_at),
                                         "SHORT_DATETIME_FORMAT")}
                )
            if reasons:
                raise StageRefused(reasons)
            drop_reason = note if to_stage == Stage.DROPPED else ""
            with ideas_changing([idea.pk]):
                # Compare-and-set: a concurrent move that committed first makes this match
                # no row. The version is compared too, so a round trip by others (A→B→A)
                # is caught.
                moved = Idea.objects.filter(
                    pk=idea.pk, stage=expected, version=current.version
                ).update(
                    stage=to_stage,
                    stage_entered_at=at,
                    drop_reason=drop_reason,
                    version=F("version") + 1,
                    updated_at=timezone.now(),
                )
                if moved != 1:
                    raise _conflict(current)
                StageTransition.objects.create(
                    idea_id=idea.pk, from_stage=expected, to_stage=to_stage, at=at, by=by,
                    note=note,
                )
    except Idea.DoesNotExist:
        raise StageRefused([_("The idea no longer exists.")]) from None
    idea.refresh_from_db()
    return idea


@transaction.atomic
def consortium_member_save(
    *, member: ConsortiumMember, by: AbstractBaseUser | None
) -> ConsortiumMember:
    """Add or change a consortium membership after validating every rule (one lead, once each)."""
    member.full_clean()
    member._history_user = by
    # Its budget share places the idea's € in its organisation's region (and a membership
    # moved to another idea changes both).
    stored = ConsortiumMember.objects.filter(pk=member.pk).values_list("idea_id", flat=True)
    with ideas_changing([member.idea_id, *stored]):
        member.save()
    return member


@transaction.atomic
def idea_update(
    *,
    idea: Idea,
    by: AbstractBaseUser | None,
    themes: Iterable[Theme] | None = None,
    regions: Iterable[Region] | None = None,
) -> Idea:
    """Save edited fields of an idea (never its stage: that is ``idea_move``'s job)."""
    idea.full_clean()
    stored_owner = Idea.objects.filter(pk=idea.pk).values_list("owner_id", flat=True).first()
    _check_owner(idea, was=stored_owner)
    idea._history_user = by
    with ideas_changing([idea.pk]):
        idea.save()
        if themes is not None:
            idea.themes.set(themes)
        if regions is not None:
            idea.regions.set(regions)
    return idea


@transaction.atomic
def consortium_member_remove(*, member: ConsortiumMember, by: AbstractBaseUser | None) -> None:
    member._history_user = by
    with ideas_changing([member.idea_id]):
        member.delete()


@transaction.atomic
def organisation_save(*, organisation: Organisation, by: AbstractBaseUser | None) -> Organisation:
    """Create or change an organisation; the Y-tunnus is validated and kept unique."""
    organisation.full_clean()
    stored_region = (
        Organisation.objects.filter(pk=organisation.pk).values_list("region_id", flat=True).first()
        if organisation.pk
        else None
    )
    if organisation.pk is None or stored_region == organisation.region_id:
        organisation.save()
        return organisation
    # A new region moves the € its members' budget shares place: every idea it is a
    # member of changes.
    members = ConsortiumMember.objects.filter(organisation_id=organisation.pk)
    with ideas_changing(members.values_list("idea_id", flat=True).distinct()):
        organisation.save()
    return organisation


@transaction.atomic
def contact_save(*, contact: Contact, by: AbstractBaseUser | None) -> Contact:
    contact.full_clean()
    contact.save()
    return contact


@transaction.atomic
def contact_erase(*, contact: Contact, by: AbstractBaseUser | None) -> None:
    """Erase a contact person on request: the row goes, memberships keep no reference."""
    contact.delete()


@transaction.atomic
def event_save(
    *,
    event: RoadshowEvent,
    by: AbstractBaseUser | None,
    organisations: Iterable[Organisation] | None = None,
    themes: Iterable[Theme] | None = None,
) -> RoadshowEvent:
    event.full_clean()
    event.save()
    if organisations is not None:
        event.organisations.set(organisations)
    if themes is not None:
        event.themes.set(themes)
    return event
