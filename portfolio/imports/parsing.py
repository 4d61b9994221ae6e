"""Turning the rows of the two sheets into values, with every problem by sheet, row and
column. References (themes, regions, owners, organisations) are looked up here, each kind in
one query; nothing is written."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.permissions import project_managers
from portfolio.imports import values
from portfolio.imports.columns import (
    COLUMNS,
    EXAMPLE_ORGANISATION,
    EXAMPLE_TITLE,
    IDEAS,
    LIST_SEPARATOR,
    ORGANISATIONS,
    SHEET_TITLES,
    ImportColumn,
    in_every_language,
    normal,
)
from portfolio.imports.reading import SheetData
from portfolio.models import (
    ConsortiumMember,
    Idea,
    Organisation,
    OrganisationKind,
    OrganisationSize,
    Region,
    Theme,
)
from portfolio.stages import Stage
from portfolio.validators import BUSINESS_ID_FORM


@dataclass(frozen=True)
class Problem:
    """One thing to fix: where (sheet, row, column; row and column empty for the whole
    file or sheet) and what, in words."""

    sheet: str
    row: int | None
    column: str
    message: str


@dataclass
class OrganisationRow:
    row: int
    name: str
    business_id: str = ""
    kind: str = OrganisationKind.COMPANY
    size: str = OrganisationSize.NOT_APPLICABLE
    region: Region | None = None
    municipality: str = ""
    website: str = ""
    # Set when the row names an organisation already in Salkku: it is used, not created.
    existing: Organisation | None = None
    problems: int = 0

    @property
    def kind_label(self) -> str:
        return str(OrganisationKind(self.kind).label)

    @property
    def size_label(self) -> str:
        return str(OrganisationSize(self.size).label)

    def fields(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "business_id": self.business_id,
            "kind": self.kind,
            "size": self.size,
            "region": self.region,
            "municipality": self.municipality,
            "website": self.website,
        }


# An idea names an organisation that is in Salkku or on the Organisations sheet.
OrganisationRef = Organisation | OrganisationRow


@dataclass
class IdeaRow:
    row: int
    title: str
    summary: str = ""
    stage: Stage = Stage.IDEA
    owner: AbstractBaseUser | None = None
    themes: list[Theme] = field(default_factory=list)
    regions: list[Region] = field(default_factory=list)
    estimated_budget: Decimal | None = None
    created: date | None = None
    stage_since: date | None = None
    lead: OrganisationRef | None = None
    lead_status: str = ConsortiumMember.Status.INVITED
    partners: list[OrganisationRef] = field(default_factory=list)
    drop_reason: str = ""
    problems: int = 0

    @property
    def lead_status_label(self) -> str:
        return str(ConsortiumMember.Status(self.lead_status).label)

    @property
    def lead_name(self) -> str:
        return self.lead.name if self.lead is not None else ""

    @property
    def partner_names(self) -> str:
        return ", ".join(partner.name for partner in self.partners)

    def organisation_rows(self) -> list[OrganisationRow]:
        named = [self.lead, *self.partners]
        return [ref for ref in named if isinstance(ref, OrganisationRow)]


@dataclass
class Parsed:
    organisations: list[OrganisationRow] = field(default_factory=list)
    ideas: list[IdeaRow] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    # Headers that match no column: shown so a typo in a header is not silently lost.
    ignored_columns: dict[str, list[str]] = field(default_factory=dict)


def _example_row() -> str:
    return _("This is the template's example row: write your own in its place or delete it.")


def _choices_by_name(choices) -> dict[str, str]:
    """Stored values and their labels in every language → the stored value."""
    found = {}
    for value, label in choices.choices:
        found[normal(value)] = value
        for name in in_every_language(label):
            found[name] = value
    return found


class Lookups:
    """The reference data, read once: what a cell may name, keyed by ``normal`` text."""

    def __init__(self) -> None:
        self.themes: dict[str, Theme] = {}
        for theme in Theme.objects.all():
            for name in (theme.name_fi, theme.name_sv, theme.name_en, theme.slug):
                if name:
                    self.themes.setdefault(normal(name), theme)
        self.regions: dict[str, Region] = {}
        for region in Region.objects.all():
            for name in (region.code, str(int(region.code)), region.name_fi, region.name_sv,
                         region.name_en):
                self.regions.setdefault(normal(name), region)
        self.owners: dict[str, list[AbstractBaseUser]] = {}
        for user in project_managers():
            names = {user.get_username(), user.email, user.get_full_name()}
            for name in filter(None, names):
                self.owners.setdefault(normal(name), []).append(user)
        self.organisations_by_id: dict[str, Organisation] = {}
        self.organisations_by_name: dict[str, list[Organisation]] = {}
        for organisation in Organisation.objects.all():
            if organisation.business_id:
                self.organisations_by_id[organisation.business_id] = organisation
            self.organisations_by_name.setdefault(normal(organisation.name), []).append(
                organisation
            )
        self.idea_titles = Idea.objects.title_keys()
        self.choices = {
            choices: _choices_by_name(choices)
            for choices in (Stage, OrganisationKind, OrganisationSize, ConsortiumMember.Status)
        }


class _Row:
    """Reading one row's cells: each column's problem is noted and reading goes on.

    A cell that cannot be read (a formula, an error value, text where a date belongs) is
    reported once, for what it holds: the checks after it see the column as empty, and what
    they would say of an empty cell ("needs a title", "cannot be blank") is not added."""

    def __init__(self, parser: Parser, sheet: SheetData, number: int, cells: dict[str, Any]):
        self.parser = parser
        self.sheet = sheet
        self.number = number
        self.cells = cells
        self.columns = {column.key: column for column in COLUMNS[sheet.key]}
        self.unreadable: set[str] = set()

    def problem(self, key: str, message: str) -> None:
        if key in self.unreadable:
            return
        self.parser.problem(self.sheet, self.number, self.columns[key], message)

    def get(self, key: str, read: Callable[[Any], Any] = values.text, default: Any = None):
        try:
            result = read(self.cells.get(key))
        except values.CellProblem as exc:
            if key not in self.unreadable:
                self.problem(key, exc.message)
                self.unreadable.add(key)
            return default
        return default if result in (None, "") and default is not None else result

    def choice(self, key: str, choices, default: str) -> str:
        written = self.get(key)
        if not written:
            return default
        found = self.parser.lookups.choices[choices].get(normal(written))
        if found is None:
            self.problem(
                key,
                _("“%(value)s” is not an allowed value. Allowed: %(allowed)s.")
                % {
                    "value": written,
                    "allowed": ", ".join(str(label) for _value, label in choices.choices),
                },
            )
            return default
        return found


class Parser:
    def __init__(self, sheets: dict[str, SheetData], *, today: date | None = None):
        self.sheets = sheets
        self.lookups = Lookups()
        self.today = today or timezone.localdate()
        self.result = Parsed()
        # Organisations named on the sheet, by Y-tunnus and by name, for the ideas to use.
        self.sheet_by_id: dict[str, OrganisationRow] = {}
        self.sheet_by_name: dict[str, OrganisationRow] = {}
        # The template's example rows, as every language writes them: asked once per row.
        self.example_titles = in_every_language(EXAMPLE_TITLE)
        self.example_organisations = in_every_language(EXAMPLE_ORGANISATION)

    def problem(self, sheet: SheetData | str, row: int | None, column: ImportColumn | None,
                message: str) -> None:
        title = sheet.title if isinstance(sheet, SheetData) else sheet
        header = str(column.header) if column else ""
        self.result.problems.append(Problem(title, row, header, message))

    def parse(self) -> Parsed:
        if IDEAS not in self.sheets and ORGANISATIONS not in self.sheets:
            self.problem(
                "", None, None,
                _("The workbook has no sheet named “%(ideas)s” or “%(organisations)s”. Start "
                  "from the template.")
                % {"ideas": SHEET_TITLES[IDEAS], "organisations": SHEET_TITLES[ORGANISATIONS]},
            )
            return self.result
        for key, sheet in self.sheets.items():
            if sheet.unknown_headers:
                self.result.ignored_columns[sheet.title] = sheet.unknown_headers
            for column in COLUMNS[key]:
                if column.required and column.key not in sheet.columns.values():
                    self.problem(
                        sheet, 1, column,
                        _("The column “%(column)s” is missing from the header row.")
                        % {"column": column.header},
                    )
        if ORGANISATIONS in self.sheets:
            for number, cells in self.sheets[ORGANISATIONS].rows:
                self._organisation(_Row(self, self.sheets[ORGANISATIONS], number, cells))
        if IDEAS in self.sheets:
            seen: dict[str, int] = {}
            for number, cells in self.sheets[IDEAS].rows:
                self._idea(_Row(self, self.sheets[IDEAS], number, cells), seen)
        if not (self.result.ideas or self.result.organisations or self.result.problems):
            self.problem("", None, None, _("The workbook has no rows to import."))
        return self.result

    # Organisations -----------------------------------------------------------------

    def _organisation(self, row: _Row) -> None:
        name = row.get("name", default="")
        if not name:
            row.problem("name", _("Every organisation needs a name."))
        elif normal(name) in self.example_organisations:
            row.problem("name", _example_row())
        business_id = row.get("business_id", default="")
        item = OrganisationRow(
            row=row.number,
            name=name,
            business_id=business_id,
            kind=row.choice("kind", OrganisationKind, OrganisationKind.COMPANY),
            size=row.choice("size", OrganisationSize, OrganisationSize.NOT_APPLICABLE),
            region=self._region(row, "region"),
            municipality=row.get("municipality", default=""),
            website=row.get("website", default=""),
        )
        if name:
            self._match_organisation(row, item)
        if item.existing is None:
            self._validate_model(row, Organisation(**item.fields()), ORGANISATION_FIELDS)
        self.result.organisations.append(item)
        if name and normal(name) not in self.sheet_by_name:
            self.sheet_by_name[normal(name)] = item
        if business_id and business_id not in self.sheet_by_id:
            self.sheet_by_id[business_id] = item

    def _match_organisation(self, row: _Row, item: OrganisationRow) -> None:
        """Duplicates within the file, and the same organisation already in Salkku."""
        lookups = self.lookups
        key = normal(item.name)
        earlier = self.sheet_by_name.get(key)
        if earlier is not None:
            row.problem("name", _("The same organisation is already on row %(row)s.")
                        % {"row": earlier.row})
            return
        if item.business_id and item.business_id in self.sheet_by_id:
            row.problem("business_id", _("The same Y-tunnus is already on row %(row)s.")
                        % {"row": self.sheet_by_id[item.business_id].row})
            return
        stored_by_id = lookups.organisations_by_id.get(item.business_id)
        stored_by_name = lookups.organisations_by_name.get(key, [])
        if stored_by_id is not None:
            if normal(stored_by_id.name) == key:
                item.existing = stored_by_id
            else:
                row.problem(
                    "business_id",
                    _("Y-tunnus %(id)s belongs to “%(name)s” in Salkku. Write that name to use "
                      "it, or correct the Y-tunnus.")
                    % {"id": item.business_id, "name": stored_by_id.name},
                )
            return
        if stored_by_name:
            stored = stored_by_name[0]
            if item.business_id and stored.business_id:
                row.problem(
                    "name",
                    _("“%(name)s” is already in Salkku with Y-tunnus %(id)s.")
                    % {"name": stored.name, "id": stored.business_id},
                )
            elif item.business_id:
                row.problem(
                    "name",
                    _("“%(name)s” is already in Salkku without a Y-tunnus; add it there "
                      "instead of importing the organisation again.") % {"name": stored.name},
                )
            else:
                item.existing = stored

    def _validate_model(self, row: _Row, instance, fields: dict[str, str]) -> None:
        """The model's own field checks (lengths, Y-tunnus, web address), each reported at
        its column. Constraints are checked when the row is written."""
        exclude = [name for name in _model_fields(instance) if name not in fields]
        try:
            instance.full_clean(exclude=exclude, validate_unique=False, validate_constraints=False)
        except ValidationError as exc:
            for name, errors in exc.message_dict.items():
                column = fields.get(name)
                for message in errors:
                    if column:
                        row.problem(column, message)
                    else:
                        self.problem(row.sheet, row.number, None, message)

    # Ideas -------------------------------------------------------------------------

    def _idea(self, row: _Row, seen: dict[str, int]) -> None:
        lookups = self.lookups
        title = row.get("title", default="")
        if not title:
            row.problem("title", _("Every idea needs a title."))
        elif normal(title) in self.example_titles:
            row.problem("title", _example_row())
        elif normal(title) in lookups.idea_titles:
            row.problem("title", _("An idea with this title is already in Salkku."))
        elif normal(title) in seen:
            row.problem("title", _("The same title is already on row %(row)s.")
                        % {"row": seen[normal(title)]})
        else:
            seen[normal(title)] = row.number
        item = IdeaRow(
            row=row.number,
            title=title,
            summary=row.get("summary", default=""),
            stage=Stage(row.choice("stage", Stage, Stage.IDEA)),
            owner=self._owner(row),
            themes=self._themes(row),
            regions=self._regions(row),
            estimated_budget=row.get("estimated_budget", values.amount),
            created=row.get("created", values.day),
            stage_since=row.get("stage_since", values.day),
            lead=self._organisation_ref(row, "lead_organisation", row.get("lead_organisation")),
            lead_status=row.choice(
                "lead_status", ConsortiumMember.Status, ConsortiumMember.Status.INVITED
            ),
            partners=[
                ref
                for name in row.get("partners", lambda v: values.names(v, LIST_SEPARATOR), [])
                if (ref := self._organisation_ref(row, "partners", name)) is not None
            ],
            drop_reason=row.get("drop_reason", default=""),
        )
        self._check_dates(row, item)
        self._check_members(row, item)
        if item.stage != Stage.DROPPED and item.drop_reason:
            row.problem("drop_reason", _("A drop reason is given only for a dropped idea."))
        self._validate_model(
            row,
            Idea(title=title, summary=item.summary, estimated_budget=item.estimated_budget),
            IDEA_FIELDS,
        )
        self.result.ideas.append(item)

    def _check_dates(self, row: _Row, item: IdeaRow) -> None:
        for key in ("created", "stage_since"):
            moment = getattr(item, key)
            if moment and moment > self.today:
                row.problem(key, _("The date is in the future."))
        if item.created and item.stage_since and item.stage_since < item.created:
            row.problem(
                "stage_since", _("The idea cannot enter its stage before it was created.")
            )
        if item.created is None:
            # An idea is at least as old as the day it entered its stage.
            item.created = item.stage_since

    def _check_members(self, row: _Row, item: IdeaRow) -> None:
        if not row.cells.get("lead_organisation") and row.cells.get("lead_status"):
            row.problem("lead_status", _("A lead status needs a lead organisation."))
        if item.lead is not None and any(partner is item.lead for partner in item.partners):
            row.problem("partners", _("The lead organisation is not also a partner."))
        if len({id(partner) for partner in item.partners}) < len(item.partners):
            row.problem("partners", _("An organisation is named twice."))

    def _owner(self, row: _Row) -> AbstractBaseUser | None:
        written = row.get("owner")
        if not written:
            return None
        found = self.lookups.owners.get(normal(written), [])
        if len(found) == 1:
            return found[0]
        if found:
            row.problem("owner", _("“%(value)s” names several users; write the user name.")
                        % {"value": written})
        else:
            row.problem(
                "owner",
                _("Unknown owner “%(value)s”: write the user name or email address of a "
                  "project manager.") % {"value": written},
            )
        return None

    def _themes(self, row: _Row) -> list[Theme]:
        found = []
        for name in row.get("themes", lambda v: values.names(v, LIST_SEPARATOR), []):
            theme = self.lookups.themes.get(normal(name))
            if theme is None:
                row.problem("themes", _("Unknown theme “%(value)s”.") % {"value": name})
            elif not theme.is_active:
                row.problem("themes", _("The theme “%(value)s” is no longer in use.")
                            % {"value": name})
            elif theme not in found:
                found.append(theme)
        return found

    def _region(self, row: _Row, key: str) -> Region | None:
        written = row.get(key)
        if not written:
            return None
        return self._region_named(row, key, written)

    def _region_named(self, row: _Row, key: str, name: str) -> Region | None:
        region = self.lookups.regions.get(normal(name))
        if region is None:
            row.problem(key, _("Unknown region “%(value)s”.") % {"value": name})
        return region

    def _regions(self, row: _Row) -> list[Region]:
        found = []
        for name in row.get("regions", lambda v: values.names(v, LIST_SEPARATOR), []):
            region = self._region_named(row, "regions", name)
            if region is not None and region not in found:
                found.append(region)
        return found

    def _organisation_ref(self, row: _Row, key: str, written: str | None) -> OrganisationRef | None:
        if not written:
            return None
        lookups = self.lookups
        if BUSINESS_ID_FORM.match(written):
            ref = self.sheet_by_id.get(written) or lookups.organisations_by_id.get(written)
        else:
            ref = self.sheet_by_name.get(normal(written))
            if ref is None:
                stored = lookups.organisations_by_name.get(normal(written), [])
                if len(stored) > 1:
                    row.problem(key, _("Several organisations are called “%(value)s”; write its "
                                       "Y-tunnus.") % {"value": written})
                    return None
                ref = stored[0] if stored else None
        if isinstance(ref, OrganisationRow) and ref.existing is not None:
            ref = ref.existing
        if ref is None:
            row.problem(
                key,
                _("Unknown organisation “%(value)s”: add it to the Organisations sheet or to "
                  "Salkku first.") % {"value": written},
            )
        return ref


# Model field → the column its message belongs to.
ORGANISATION_FIELDS = {
    "name": "name",
    "business_id": "business_id",
    "kind": "kind",
    "size": "size",
    "region": "region",
    "municipality": "municipality",
    "website": "website",
}
IDEA_FIELDS = {"title": "title", "summary": "summary", "estimated_budget": "estimated_budget"}


def _model_fields(instance) -> list[str]:
    return [f.name for f in instance._meta.get_fields() if f.concrete]


def parse(sheets: dict[str, SheetData], *, today: date | None = None) -> Parsed:
    """Every row of ``sheets`` read into values, with every problem found."""
    return Parser(sheets, today=today).parse()
