"""The sheets and columns of the import workbook: one list that the template writes and
the reader looks for, so the two never disagree."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from core.text import normal

IDEAS = "ideas"
ORGANISATIONS = "organisations"
NOTES = "notes"

SHEET_TITLES: dict[str, Promise] = {
    IDEAS: _("Ideas"),
    ORGANISATIONS: _("Organisations"),
    NOTES: _("Notes"),
}

# Several names in one cell (themes, regions, partners) are separated by semicolons:
# commas appear in organisation and theme names.
LIST_SEPARATOR = ";"


@dataclass(frozen=True)
class ImportColumn:
    key: str
    header: Promise
    width: int
    explanation: Promise
    required: bool = False

    def title(self) -> str:
        """The header as the template writes it: required columns are marked with *."""
        return f"{self.header} *" if self.required else str(self.header)


IDEA_COLUMNS: tuple[ImportColumn, ...] = (
    ImportColumn(
        "title", _("Title"), 45, _("The idea's name, unique in Salkku (letter case aside)."),
        required=True,
    ),
    ImportColumn("summary", _("Summary"), 50, _("What the idea is about, in a few sentences.")),
    ImportColumn(
        "stage", _("Stage"), 22,
        _("Where the idea is now. Empty means “Idea”. An idea is moved there through the same "
          "steps and checks as in Salkku: “Consortium forming” needs an owner, “Funding "
          "application” a lead organisation that has committed, “Dropped” a drop reason. "
          "Ideas in implementation or completed need their funding decision recorded first: "
          "import them in an earlier stage and move them in Salkku."),
    ),
    ImportColumn(
        "owner", _("Owner"), 18,
        _("The project manager who owns the idea: user name, email address or full name."),
    ),
    ImportColumn(
        "themes", _("Themes"), 35,
        _("Theme names (Finnish or English) or codes, separated by semicolons (;)."),
    ),
    ImportColumn(
        "regions", _("Regions"), 24,
        _("Region names or Statistics Finland codes (06 = Pirkanmaa), separated by semicolons "
          "(;)."),
    ),
    ImportColumn(
        "estimated_budget", _("Estimated budget (€)"), 18,
        _("Euros: a number cell, or text such as 12 500,00 € or 12500,5. Spaces may separate "
          "thousands; the decimal separator is a comma or a point."),
    ),
    ImportColumn(
        "created", _("Created"), 14,
        _("The day the idea was born: a date cell, 31.12.2023 or 2023-12-31. Empty means "
          "the stage day in the next column, or today when that is empty too."),
    ),
    ImportColumn(
        "stage_since", _("In this stage since"), 16,
        _("The day the idea entered its stage, in the same forms; not before Created. Empty "
          "means the Created day."),
    ),
    ImportColumn(
        "lead_organisation", _("Lead organisation"), 30,
        _("The consortium's lead: an organisation's name or Y-tunnus, from the Organisations "
          "sheet or already in Salkku."),
    ),
    ImportColumn(
        "lead_status", _("Lead status"), 16,
        _("How far the lead organisation has come. Empty means “Invited”."),
    ),
    ImportColumn(
        "partners", _("Partners"), 30,
        _("Partner organisations by name or Y-tunnus, separated by semicolons (;). They join "
          "the consortium as invited partners."),
    ),
    ImportColumn(
        "drop_reason", _("Drop reason"), 30, _("Why the idea was dropped; needed for “Dropped”.")
    ),
)

ORGANISATION_COLUMNS: tuple[ImportColumn, ...] = (
    ImportColumn(
        "name", _("Name"), 35,
        _("The organisation's name. A row that matches an organisation already in Salkku "
          "(same name and Y-tunnus) is used as it is, not created again."),
        required=True,
    ),
    ImportColumn(
        "business_id", _("Y-tunnus"), 14,
        _("Finnish business ID: seven digits, a hyphen and a check digit, e.g. 2252888-5. "
          "Unique in Salkku."),
    ),
    ImportColumn("kind", _("Kind"), 24, _("Empty means “Company”.")),
    ImportColumn("size", _("Size class"), 16, _("Empty means “Not applicable”.")),
    ImportColumn("region", _("Region"), 20, _("A region name or code, as for ideas.")),
    ImportColumn("municipality", _("Municipality"), 18, _("For example Tampere.")),
    ImportColumn("website", _("Website"), 30, _("An address starting with https://.")),
)

COLUMNS: dict[str, tuple[ImportColumn, ...]] = {
    IDEAS: IDEA_COLUMNS,
    ORGANISATIONS: ORGANISATION_COLUMNS,
}

# The template's example rows. They are refused at import: left in by mistake they would
# create a fictional idea and organisation.
EXAMPLE_TITLE = _("Example: shared digital twin pilot for subcontractors")
EXAMPLE_ORGANISATION = _("Example Ltd")


def in_every_language(text: Promise) -> set[str]:
    """``text`` as every language of the site writes it, compared with ``normal``: a
    workbook made in English can be uploaded by a user who reads Salkku in Finnish."""
    names = set()
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            names.add(normal(text))
    return names
