"""The history timeline of one idea: its stage moves and the field changes of the idea, its
consortium members, funding applications and implementation, newest first.

Each history table is read once for the idea and the names behind changed references are
looked up once per kind, so the page costs the same number of queries however long the
history is.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.contrib.auth import get_user_model
from django.db import models
from django.utils.formats import date_format, number_format
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from core.formatting import user_display
from core.models import related_model
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
from portfolio.stages import Stage

# Saves by one person this close together are one edit: a form save writes the row and
# then each many-to-many field, and each of those leaves its own history record.
SAME_EDIT = timedelta(seconds=60)

IDEA_FIELDS = ("title", "summary", "owner", "origin_event", "estimated_budget")
IDEA_M2M = ("themes", "regions")
MEMBER_FIELDS = ("organisation", "role", "status", "budget_share", "contact")
APPLICATION_FIELDS = (
    "instrument",
    "call",
    "applicant",
    "reference",
    "total_budget",
    "requested",
    "granted",
    "status",
    "submitted_on",
    "decided_on",
)
IMPLEMENTATION_FIELDS = (
    "lead_organisation",
    "start",
    "end",
    "total_budget",
    "health",
    "final_report_date",
)


@dataclass(frozen=True)
class FieldChange:
    label: str
    old: str
    new: str


@dataclass(frozen=True)
class TimelineEntry:
    """One line of the timeline. ``kind`` is "move", "added", "changed" or "removed"."""

    at: datetime
    by: str
    kind: str
    subject: str = ""
    changes: tuple[FieldChange, ...] = ()
    from_stage: str = ""
    to_stage: str = ""
    note: str = ""


@dataclass
class _RawEntry:
    """An entry before the names behind its references are known."""

    at: datetime
    by: str
    kind: str
    model: type[models.Model]
    subject_record: Any
    changes: list[tuple[str, Any, Any]] = field(default_factory=list)


def _same_edit(first: Any, record: Any) -> bool:
    if record.history_type != "~" or record.history_user_id != first.history_user_id:
        return False
    if first.history_type == "+":
        # A creation stamps all its records with the same (possibly backdated) moment.
        return record.history_date == first.history_date
    return record.history_date - first.history_date <= SAME_EDIT


def _edits(records: Sequence) -> Iterable[tuple[Any, Sequence]]:
    """Split one object's history records (oldest first) into edits: (record before the
    edit or None, the records of the edit). A creation or removal always starts its own."""
    start = 0
    for i in range(1, len(records) + 1):
        if i < len(records) and _same_edit(records[start], records[i]):
            continue
        yield (records[start - 1] if start else None), records[start:i]
        start = i


def _by_object(records: Iterable) -> dict[int, list]:
    grouped: dict[int, list] = defaultdict(list)
    for record in records:
        grouped[record.id].append(record)
    return grouped


def _history(model: type[models.Model], **filters: Any) -> list:
    return list(
        model.history.filter(**filters)
        .select_related("history_user")
        .order_by("history_date", "history_id")
    )


def _m2m_snapshots(name: str, idea_pk: int) -> dict[int, frozenset[int]]:
    """The ids in the idea's ``name`` field as each of its history records saw them."""
    through = getattr(Idea.history.model, name).model
    target = Idea._meta.get_field(name).m2m_reverse_field_name()
    snapshots: dict[int, set[int]] = defaultdict(set)
    for history_id, target_id in through.objects.filter(idea_id=idea_pk).values_list(
        "history_id", f"{target}_id"
    ):
        snapshots[history_id].add(target_id)
    return {history_id: frozenset(ids) for history_id, ids in snapshots.items()}


def _raw_entries(
    model: type[models.Model],
    records: list,
    fields: Sequence[str],
    *,
    snapshots: dict[str, dict[int, frozenset[int]]] | None = None,
    show_creation: bool = True,
) -> list[_RawEntry]:
    entries = []
    for obj_records in _by_object(records).values():
        for before, edit in _edits(obj_records):
            last = edit[-1]
            by = user_display(edit[0].history_user)
            at = edit[0].history_date
            if last.history_type == "-":
                entries.append(_RawEntry(at, by, "removed", model, last))
            elif before is None:
                if show_creation:
                    values = [(name, None, getattr(last, _attname(model, name))) for name in fields]
                    changes = [change for change in values if change[2] not in (None, "")]
                    entries.append(_RawEntry(at, by, "added", model, last, changes))
            else:
                delta = last.diff_against(before, included_fields=fields)
                changes = [
                    (change.field, change.old, change.new)
                    for change in sorted(delta.changes, key=lambda c: fields.index(c.field))
                ]
                for name, by_history in (snapshots or {}).items():
                    old = by_history.get(before.history_id, frozenset())
                    new = by_history.get(last.history_id, frozenset())
                    if old != new:
                        changes.append((name, old, new))
                if changes:
                    entries.append(_RawEntry(at, by, "changed", model, last, changes))
    return entries


def _attname(model: type[models.Model], name: str) -> str:
    return model._meta.get_field(name).attname


class _Names:
    """The names behind the ids in the entries, one query per kind of object."""

    LABELS = {
        Organisation: lambda obj: obj.name,
        Contact: lambda obj: obj.name,
        RoadshowEvent: str,
        Theme: str,
        Region: str,
    }

    def __init__(self, wanted: dict[type[models.Model], set[int]]):
        self.names: dict[type[models.Model], dict[int, str]] = {}
        user_model = get_user_model()
        for model, ids in wanted.items():
            ids.discard(None)
            if not ids:
                continue
            label = user_display if model is user_model else self.LABELS.get(model, str)
            self.names[model] = {obj.pk: label(obj) for obj in model.objects.filter(pk__in=ids)}

    def of(self, model: type[models.Model], pk: int | None) -> str:
        if pk is None:
            return "—"
        return self.names.get(model, {}).get(pk) or _("(deleted)")


def _related_model(model: type[models.Model], name: str) -> type[models.Model] | None:
    model_field = model._meta.get_field(name)
    return model_field.related_model if model_field.is_relation else None


def _display(model: type[models.Model], name: str, value: Any, names: _Names) -> str:
    model_field = model._meta.get_field(name)
    if model_field.many_to_many:
        related = model_field.related_model
        return ", ".join(sorted(names.of(related, pk) for pk in value)) or "—"
    if value is None or value == "":
        return "—"
    if model_field.is_relation:
        return names.of(model_field.related_model, value)
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if isinstance(model_field, models.DecimalField):
        # Every decimal here is euros, and each of their labels already says "(€)".
        return number_format(value, 2, force_grouping=True)
    if isinstance(model_field, models.DateField) and not isinstance(
        model_field, models.DateTimeField
    ):
        return date_format(value, "SHORT_DATE_FORMAT")
    return str(value)


def _funding_models() -> tuple[type[models.Model], type[models.Model], type[models.Model]]:
    """Funding applications, their instruments and implementations. Funding is a higher
    layer, so its models are reached through the idea's reverse relations."""
    application = related_model(Idea, "funding_applications")
    instrument = related_model(application, "instrument")
    return application, instrument, related_model(Idea, "implementation")


def _subject(entry: _RawEntry, names: _Names) -> str:
    FundingApplication, FundingInstrument, Implementation = _funding_models()
    record = entry.subject_record
    if entry.model is ConsortiumMember:
        return _("Consortium member %(organisation)s") % {
            "organisation": names.of(Organisation, record.organisation_id)
        }
    if entry.model is FundingApplication:
        return _("Funding application to %(instrument)s by %(applicant)s") % {
            "instrument": names.of(FundingInstrument, record.instrument_id),
            "applicant": names.of(Organisation, record.applicant_id),
        }
    if entry.model is Implementation:
        return _("Implementation")
    return _("Idea")


def _wanted_names(entries: Iterable[_RawEntry]) -> dict[type[models.Model], set[int]]:
    FundingApplication, FundingInstrument, _implementation = _funding_models()
    wanted: dict[type[models.Model], set[int]] = defaultdict(set)
    for entry in entries:
        record = entry.subject_record
        if entry.model is ConsortiumMember:
            wanted[Organisation].add(record.organisation_id)
        elif entry.model is FundingApplication:
            wanted[FundingInstrument].add(record.instrument_id)
            wanted[Organisation].add(record.applicant_id)
        for name, old, new in entry.changes:
            related = _related_model(entry.model, name)
            if related is None:
                continue
            if entry.model._meta.get_field(name).many_to_many:
                wanted[related].update(old or (), new or ())
            else:
                wanted[related].update((old, new))
    return wanted


def idea_timeline(
    idea: Idea, transitions: Iterable[StageTransition], *, show_contacts: bool
) -> list[TimelineEntry]:
    """Stage moves and field changes of the idea and of the rows that belong to it, newest
    first. Without ``show_contacts`` the consortium's contact persons are left out."""
    member_fields = (
        MEMBER_FIELDS
        if show_contacts
        else tuple(name for name in MEMBER_FIELDS if name != "contact")
    )
    FundingApplication, _instrument, Implementation = _funding_models()
    snapshots = {name: _m2m_snapshots(name, idea.pk) for name in IDEA_M2M}
    raw = [
        # The idea's creation is the first stage move; its field values are on the page.
        *_raw_entries(
            Idea,
            _history(Idea, id=idea.pk),
            IDEA_FIELDS,
            snapshots=snapshots,
            show_creation=False,
        ),
        *_raw_entries(ConsortiumMember, _history(ConsortiumMember, idea_id=idea.pk), member_fields),
        *_raw_entries(
            FundingApplication, _history(FundingApplication, idea_id=idea.pk), APPLICATION_FIELDS
        ),
        *_raw_entries(
            Implementation, _history(Implementation, idea_id=idea.pk), IMPLEMENTATION_FIELDS
        ),
    ]
    names = _Names(_wanted_names(raw))
    entries = [
        TimelineEntry(
            at=entry.at,
            by=entry.by,
            kind=entry.kind,
            subject=_subject(entry, names),
            changes=tuple(
                FieldChange(
                    label=capfirst(entry.model._meta.get_field(name).verbose_name),
                    old=_display(entry.model, name, old, names) if entry.kind != "added" else "",
                    new=_display(entry.model, name, new, names),
                )
                for name, old, new in entry.changes
            ),
        )
        for entry in raw
    ]
    entries.extend(
        TimelineEntry(
            at=move.at,
            by=user_display(move.by),
            kind="move",
            from_stage=Stage(move.from_stage).label if move.from_stage else "",
            to_stage=Stage(move.to_stage).label,
            note=move.note,
        )
        for move in transitions
    )
    return sorted(entries, key=lambda entry: entry.at, reverse=True)
