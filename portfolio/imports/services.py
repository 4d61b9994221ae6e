"""Checking an import against the database and writing it: all rows or none.

The rows are written through the portfolio's own services, so an imported idea's history
starts like any other (``idea_create``, then ``idea_move`` through the real guards, dated
from the sheet). The preview runs exactly the same writes inside a transaction that is
rolled back: what the preview promises is what the confirmation does, and a guard that
refuses a move is reported at its row before anything is kept.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError, transaction
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core.background import Progress, WorkRefused, run_work, work_requeue, work_set_task
from core.models import ACTIVE_WORK
from portfolio import services
from portfolio.imports import reading
from portfolio.imports.columns import (
    IDEA_COLUMNS,
    IDEAS,
    ORGANISATION_COLUMNS,
    ORGANISATIONS,
    ImportColumn,
)
from portfolio.imports.parsing import (
    IDEA_FIELDS,
    ORGANISATION_FIELDS,
    IdeaRow,
    OrganisationRef,
    OrganisationRow,
    Parsed,
    Problem,
    parse,
)
from portfolio.models import ConsortiumMember, Idea, IdeaImport, IdeaImportRun, Organisation
from portfolio.stages import TRANSITIONS, About, Stage, needs_note, path

# A day from the sheet becomes noon of that day in Helsinki: well inside the day whatever
# the time zone of a reader, so "as of" questions answer by the day the sheet says.
IMPORT_TIME = time(12)
# The column that gives what a guard looks at, where its refusal is reported; None where
# the sheet has no such column: that is recorded in Salkku after the import. Every kind
# of guard has an entry, so a new one makes the import's tests fail until it has its place.
GUARD_COLUMNS: dict[About, str | None] = {
    About.OWNER: "owner",
    About.LEAD: "lead_status",
    About.NOTE: "drop_reason",
    About.FUNDING: None,
    About.IMPLEMENTATION_END: None,
}
COLUMN_BY_KEY = {
    IDEAS: {column.key: column for column in IDEA_COLUMNS},
    ORGANISATIONS: {column.key: column for column in ORGANISATION_COLUMNS},
}


@dataclass
class Outcome:
    """What an import found and did. ``written`` is true only when every row was kept;
    ``ideas`` and ``organisations`` went through the services (and stay only when written)."""

    parsed: Parsed
    problems: list[Problem] = field(default_factory=list)
    written: bool = False
    ideas: list[Idea] = field(default_factory=list)
    organisations: list[Organisation] = field(default_factory=list)

    @property
    def new_organisations(self) -> list[OrganisationRow]:
        return [row for row in self.parsed.organisations if row.existing is None]

    @property
    def used_organisations(self) -> list[OrganisationRow]:
        return [row for row in self.parsed.organisations if row.existing is not None]


def check_file(data: bytes) -> None:
    """Refuse, with ``reading.ImportRefused``, a file that cannot be read at all."""
    workbook = reading.open_workbook(data)
    try:
        reading.read_sheets(workbook)
    finally:
        workbook.close()


# The steps ``import_workbook`` reports through ``progress``: reading, then checking.
IMPORT_STEPS = 2


def import_workbook(
    *,
    data: bytes,
    by: AbstractBaseUser | None,
    commit: bool,
    today: date | None = None,
    progress: Progress | None = None,
) -> Outcome:
    """Check the workbook in ``data`` and, when ``commit`` and nothing is wrong, keep its
    rows. Every row is tried through the services, also in a preview (``commit=False``),
    and all of it is rolled back unless everything succeeded and ``commit`` is set.
    Raises ``reading.ImportRefused`` for a file that cannot be read at all.

    ``progress`` hears of each step: reading the file, then checking its N rows. Rows are
    not reported one by one: they are checked inside one transaction, and what is written
    there is seen by no one else until it ends."""
    step = progress or (lambda number, label: None)
    step(0, _("Reading the file"))
    workbook = reading.open_workbook(data)
    try:
        sheets = reading.read_sheets(workbook)
    finally:
        workbook.close()
    parsed = parse(sheets, today=today)
    rows = len(parsed.organisations) + len(parsed.ideas)
    step(1, ngettext("Checking %(count)s row against Salkku",
                     "Checking %(count)s rows against Salkku", rows) % {"count": rows})
    outcome = Outcome(parsed=parsed, problems=list(parsed.problems))
    titles = {key: sheet.title for key, sheet in sheets.items()}
    with transaction.atomic():
        _Writer(outcome, by, titles).write()
        outcome.written = commit and not outcome.problems
        if not outcome.written:
            transaction.set_rollback(True)
    order = {"": 0, titles.get(ORGANISATIONS): 1, titles.get(IDEAS): 2}
    outcome.problems.sort(key=lambda p: (order.get(p.sheet, 0), p.row or 0))
    per_row = Counter((problem.sheet, problem.row) for problem in outcome.problems)
    for key, rows in ((ORGANISATIONS, parsed.organisations), (IDEAS, parsed.ideas)):
        for row in rows:
            row.problems = per_row[(titles.get(key), row.row)]
    return outcome


def _moment(day: date | None) -> datetime:
    now = timezone.now()
    if day is None:
        return now
    return min(datetime.combine(day, IMPORT_TIME, tzinfo=ZoneInfo(settings.TIME_ZONE)), now)


class _Writer:
    def __init__(self, outcome: Outcome, by: AbstractBaseUser | None, titles: dict[str, str]):
        self.outcome = outcome
        self.by = by
        self.titles = titles
        self.created: dict[int, Organisation] = {}
        self.read_problems = {(p.sheet, p.row, p.column) for p in outcome.problems}

    def problem(self, sheet: str, row: int, column: ImportColumn | None, message: str) -> None:
        header = str(column.header) if column else ""
        found = Problem(self.titles[sheet], row, header, message)
        if header and (found.sheet, row, header) in self.read_problems:
            return  # the cell could not be read; that problem says what to fix first
        self.outcome.problems.append(found)

    def errors(self, sheet: str, row: int, exc: ValidationError, fields: dict[str, str],
               default: str | None = None) -> None:
        """A service's refusal, each message at the column of its field."""
        errors = exc.message_dict if hasattr(exc, "error_dict") else {NON_FIELD_ERRORS: exc.messages}
        for name, messages in errors.items():
            key = fields.get(name, default)
            for message in messages:
                self.problem(sheet, row, COLUMN_BY_KEY[sheet].get(key), message)

    def write(self) -> None:
        """Every row goes through the services, also a row with cells that could not be
        read (with those cells left empty): the guards and the models' own checks then
        report what else is wrong with it in the same preview. An idea waits only for an
        organisation of the sheet that could not be created."""
        for row in self.outcome.parsed.organisations:
            if row.existing is None:
                self._organisation(row)
        for row in self.outcome.parsed.ideas:
            waiting = [ref for ref in row.organisation_rows() if id(ref) not in self.created]
            for ref in waiting:
                self.problem(
                    IDEAS, row.row,
                    COLUMN_BY_KEY[IDEAS]["lead_organisation" if ref is row.lead else "partners"],
                    _("The organisation on row %(row)s of the sheet “%(sheet)s” has problems; "
                      "fix them first.") % {"row": ref.row, "sheet": self.titles[ORGANISATIONS]},
                )
            if not waiting:
                self._idea(row)

    def _organisation(self, row: OrganisationRow) -> None:
        try:
            with transaction.atomic():
                organisation = services.organisation_save(
                    organisation=Organisation(**row.fields()), by=self.by
                )
        except ValidationError as exc:
            self.errors(ORGANISATIONS, row.row, exc, ORGANISATION_FIELDS)
        except IntegrityError:
            self.problem(ORGANISATIONS, row.row, None, _SAVED_MEANWHILE())
        else:
            self.created[id(row)] = organisation
            self.outcome.organisations.append(organisation)

    def _resolve(self, ref: OrganisationRef) -> Organisation:
        return ref if isinstance(ref, Organisation) else self.created[id(ref)]

    def _idea(self, row: IdeaRow) -> None:
        column = "title"
        try:
            with transaction.atomic():
                created_at = _moment(row.created)
                stage_at = _moment(row.stage_since) if row.stage_since else created_at
                idea = services.idea_create(
                    title=row.title,
                    by=self.by,
                    summary=row.summary,
                    owner=row.owner,
                    themes=row.themes,
                    regions=row.regions,
                    estimated_budget=row.estimated_budget,
                    at=created_at,
                )
                column = "lead_organisation"
                members = [(row.lead, ConsortiumMember.Role.LEAD, row.lead_status)] if row.lead else []
                members += [
                    (partner, ConsortiumMember.Role.PARTNER, ConsortiumMember.Status.INVITED)
                    for partner in row.partners
                ]
                for ref, role, status in members:
                    column = "lead_organisation" if role == ConsortiumMember.Role.LEAD else "partners"
                    services.consortium_member_save(
                        member=ConsortiumMember(
                            idea=idea, organisation=self._resolve(ref), role=role, status=status,
                            created_at=created_at,
                        ),
                        by=self.by,
                    )
                column = "stage"
                # Through every stage on the way, each move past its guards.
                for stage in path(idea.stage, row.stage):
                    from_stage = idea.stage
                    note = (
                        row.drop_reason if needs_note(from_stage, stage)
                        else _("Imported from a spreadsheet.")
                    )
                    idea = services.idea_move(idea=idea, to_stage=stage, by=self.by, note=note, at=stage_at)
        except ValidationError as exc:
            self.errors(IDEAS, row.row, exc, {**IDEA_FIELDS, NON_FIELD_ERRORS: column},
                        default=column)
        except services.StageRefused as refused:
            keys = {GUARD_COLUMNS[each.about] for each in TRANSITIONS[(from_stage, stage)]}
            # A move whose guards all look at what one column gives is reported there, any
            # other at the stage.
            key = next(iter(keys)) if len(keys) == 1 else None
            if key == "lead_status" and row.lead is None:
                key = "lead_organisation"
            column = COLUMN_BY_KEY[IDEAS][key or "stage"]
            for reason in refused.reasons:
                message = _("Cannot be moved to “%(stage)s”: %(reason)s") % {
                    "stage": Stage(stage).label, "reason": reason
                }
                if None in keys:
                    message += " " + _(
                        "Import the idea as “%(stage)s” and record its funding in Salkku."
                    ) % {"stage": Stage(from_stage).label}
                self.problem(IDEAS, row.row, column, message)
        except (services.StageConflict, IntegrityError):
            self.problem(IDEAS, row.row, None, _SAVED_MEANWHILE())
        else:
            self.outcome.ideas.append(idea)


def _SAVED_MEANWHILE() -> str:
    return _("The row conflicts with data saved in Salkku meanwhile; check it and try again.")


# Uploads kept between the preview and the confirmation -------------------------------


class AlreadyImported(Exception):
    def __init__(self, upload: IdeaImport):
        self.upload = upload
        super().__init__(str(upload))


@transaction.atomic
def idea_import_upload(*, filename: str, data: bytes, by: AbstractBaseUser) -> IdeaImport:
    """Keep an uploaded workbook for its preview. A file that cannot be read at all is
    refused here (``ValidationError`` on ``file``) and never kept. Unconfirmed uploads
    older than ``IMPORT_KEEP_UNCONFIRMED_HOURS`` are deleted on the way."""
    if len(data) > settings.IMPORT_MAX_BYTES:
        raise ValidationError({"file": _(
            "The file is %(size)s; at most %(limit)s can be imported at a time."
        ) % {"size": filesizeformat(len(data)), "limit": filesizeformat(settings.IMPORT_MAX_BYTES)}})
    try:
        check_file(data)
    except reading.ImportRefused as refused:
        raise ValidationError({"file": refused.message}) from None
    cutoff = timezone.now() - timedelta(hours=settings.IMPORT_KEEP_UNCONFIRMED_HOURS)
    IdeaImport.objects.unconfirmed_before(cutoff).delete()
    upload = IdeaImport(
        file=data,
        filename=(filename or "import.xlsx")[-255:],
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        by=by,
    )
    upload.full_clean()
    upload.save()
    return upload


@transaction.atomic
def idea_import_confirm(
    *, upload: IdeaImport, by: AbstractBaseUser | None, progress: Progress | None = None
) -> Outcome:
    """Import the kept file, re-checked from its bytes: every row or none.

    Raises ``AlreadyImported`` when it was imported already (a second click, a second tab),
    so nothing is ever imported twice; the row lock makes two confirmations queue up."""
    locked = IdeaImport.objects.select_for_update().get(pk=upload.pk)
    if locked.status == IdeaImport.Status.IMPORTED:
        raise AlreadyImported(locked)
    try:
        outcome = import_workbook(
            data=bytes(locked.file), by=by, commit=True, progress=progress
        )
    except reading.ImportRefused as refused:
        raise ValidationError(refused.message) from None
    if outcome.written:
        locked.status = IdeaImport.Status.IMPORTED
        locked.imported_at = timezone.now()
        locked.save()
        locked.ideas.set(outcome.ideas)
        locked.organisations.set(outcome.organisations)
    return outcome


def preview(
    upload: IdeaImport, *, by: AbstractBaseUser | None, progress: Progress | None = None
) -> Outcome:
    """What confirming ``upload`` would do now, without keeping anything."""
    return import_workbook(data=bytes(upload.file), by=by, commit=False, progress=progress)


# Checking and confirming in the background -------------------------------------------


class ImportBusy(Exception):
    """The upload is being checked or imported already: ``run`` is that work."""

    def __init__(self, run: IdeaImportRun) -> None:
        super().__init__(run)
        self.run = run


@transaction.atomic
def idea_import_run_start(
    *, upload: IdeaImport, action: str, by: AbstractBaseUser, language: str
) -> IdeaImportRun:
    """Queue a check (``IdeaImportRun.Action.CHECK``) or the confirmation of ``upload``
    for the task worker, and enqueue its task in the same transaction.

    Raises ``AlreadyImported`` for a file imported already, and ``ImportBusy`` while a
    check or confirmation of it is queued or running: a second click queues nothing."""
    locked = IdeaImport.objects.select_for_update().get(pk=upload.pk)
    if locked.status == IdeaImport.Status.IMPORTED:
        raise AlreadyImported(locked)
    run = IdeaImportRun(
        upload=locked, action=action, by=by, language=language, steps=IMPORT_STEPS
    )
    try:
        with transaction.atomic():
            run.full_clean(exclude=["upload"])
            run.save()
    except IntegrityError:
        raise ImportBusy(IdeaImportRun.objects.get(upload=locked, status__in=ACTIVE_WORK)) from None
    _run_enqueue(run)
    return run


@transaction.atomic
def idea_import_run_retry(*, run: IdeaImportRun, by: AbstractBaseUser) -> bool:
    """Queue a failed check or confirmation once more; False when it had not failed (a
    second click already queued it). Raises ``ImportBusy`` when other work on the same
    upload has started since."""
    try:
        with transaction.atomic():
            requeued = work_requeue(IdeaImportRun, run.pk)
    except IntegrityError:
        raise ImportBusy(
            IdeaImportRun.objects.get(upload_id=run.upload_id, status__in=ACTIVE_WORK)
        ) from None
    if requeued:
        _run_enqueue(run)
    return requeued


def _run_enqueue(run: IdeaImportRun) -> None:
    # Imported here: the task module imports this one.
    from portfolio.tasks import run_idea_import

    result = run_idea_import.enqueue(run.pk)
    work_set_task(run, result.id)


def idea_import_run_queued(pk: int, *, render: Callable[[Outcome], str]) -> str:
    """Do the queued check or confirmation ``pk`` (the task's body). ``render`` turns what
    a check found into the preview's HTML, kept on the run."""

    def found(outcome: Outcome) -> dict:
        return {
            "problems": len(outcome.problems),
            "ideas": len(outcome.parsed.ideas),
            "organisations": len(outcome.new_organisations),
            "result_html": render(outcome),
        }

    def do(run: IdeaImportRun, progress: Progress) -> dict:
        try:
            if run.action == IdeaImportRun.Action.CHECK:
                return found(preview(run.upload, by=run.by, progress=progress))
            try:
                outcome = idea_import_confirm(upload=run.upload, by=run.by, progress=progress)
            except AlreadyImported:
                raise WorkRefused(_("This file was already imported; nothing was imported "
                                    "again.")) from None
        except reading.ImportRefused as refused:
            # The file cannot be read at all: a finished check that says why.
            return {"refused": refused.message, "problems": 1}
        if outcome.written:
            return {
                "imported": True,
                "problems": 0,
                "ideas": len(outcome.ideas),
                "organisations": len(outcome.organisations),
            }
        return found(outcome)

    return run_work(IdeaImportRun, pk, do)


def imports_of_same_file(upload: IdeaImport):
    """Earlier imports of the very same file, to warn before it is imported twice."""
    return IdeaImport.objects.filter(
        sha256=upload.sha256, status=IdeaImport.Status.IMPORTED
    ).exclude(pk=upload.pk).select_related("by")



@transaction.atomic
def idea_import_discard(*, upload: IdeaImport, by: AbstractBaseUser) -> None:
    """Forget an upload that was not confirmed. An imported file stays as the record."""
    IdeaImport.objects.filter(pk=upload.pk, status=IdeaImport.Status.PENDING).delete()
