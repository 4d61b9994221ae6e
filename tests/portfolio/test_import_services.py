"""The import's check and write: a good file creates everything through the services with
the history it should have; a file with problems reports every one and writes nothing."""

from __future__ import annotations

from datetime import date, datetime, time
from decimal import Decimal
from io import BytesIO
from zoneinfo import ZoneInfo

import openpyxl
import pytest

from portfolio.imports.columns import IDEA_COLUMNS
from portfolio.imports.services import GUARD_COLUMNS, import_workbook
from portfolio.imports.template import write_template
from portfolio.models import ConsortiumMember, Idea, Organisation, StageTransition
from portfolio.stages import TRANSITIONS, About, Stage
from tests.factories import (
    IdeaFactory,
    OrganisationFactory,
    ThemeFactory,
    UserFactory,
    import_xlsx,
    region,
)

pytestmark = pytest.mark.django_db
HELSINKI = ZoneInfo("Europe/Helsinki")
TODAY = date(2024, 6, 14)


def noon(day: date) -> datetime:
    return datetime.combine(day, time(12), tzinfo=HELSINKI)


@pytest.fixture
def importer(manager_user):
    return manager_user


def run(importer, ideas=(), organisations=(), *, commit=True):
    return import_workbook(
        data=import_xlsx(list(ideas), list(organisations)), by=importer, commit=commit, today=TODAY
    )


def where(outcome) -> set[tuple[str, int | None, str]]:
    return {(p.sheet, p.row, p.column) for p in outcome.problems}


def test_good_file_creates_organisations_and_ideas_with_their_history(importer):
    theme = ThemeFactory(name_fi="Tekoäly", name_en="Artificial intelligence", slug="ai")
    known = OrganisationFactory(name="Tampereen yliopisto", business_id="0828308-4")
    outcome = run(
        importer,
        ideas=[
            {"title": "Konenäkö hitsaukseen", "summary": "Laatu", "themes": "Tekoäly",
             "regions": "06; Keski-Suomi", "estimated_budget": "12 500,00 €",
             "created": "15.3.2023", "owner": importer.username},
            {"title": "Yhteinen digikaksonen", "stage": "Funding application",
             "owner": importer.email, "created": date(2023, 3, 1), "stage_since": "2023-04-20",
             "lead_organisation": "2252888-5", "lead_status": "committed",
             "partners": "Tampereen yliopisto", "estimated_budget": 150000},
            {"title": "Hylätty kokeilu", "stage": "dropped", "drop_reason": "Ei kumppaneita",
             "themes": "ai", "created": "1.2.2023"},
        ],
        organisations=[
            {"name": "Hervannan Sensoriikka Oy", "business_id": "2252888-5", "kind": "Company",
             "size": "small", "region": "Pirkanmaa", "municipality": "Tampere",
             "website": "https://sensoriikka.example.fi"},
            {"name": "tampereen yliopisto", "business_id": "0828308-4"},  # matched, not created
        ],
    )
    assert outcome.problems == []
    assert outcome.written

    created = Organisation.objects.get(business_id="2252888-5")
    assert (created.name, created.kind, created.size, created.region) == (
        "Hervannan Sensoriikka Oy", "company", "small", region("06"))
    assert Organisation.objects.count() == 2
    assert [o.pk for o in outcome.organisations] == [created.pk]

    first = Idea.objects.get(title="Konenäkö hitsaukseen")
    assert first.stage == Stage.IDEA
    assert first.owner == importer
    assert first.estimated_budget == Decimal("12500.00")
    assert list(first.themes.all()) == [theme]
    assert {r.code for r in first.regions.all()} == {"06", "13"}
    assert first.created_at == noon(date(2023, 3, 15))
    assert list(first.transitions.values_list("from_stage", "to_stage", "at", "by")) == [
        ("", "idea", noon(date(2023, 3, 15)), importer.pk)]

    second = Idea.objects.get(title="Yhteinen digikaksonen")
    assert second.stage == Stage.APPLICATION
    assert second.stage_entered_at == noon(date(2023, 4, 20))
    assert list(second.transitions.values_list("from_stage", "to_stage", "at")) == [
        ("", "idea", noon(date(2023, 3, 1))),
        ("idea", "consortium", noon(date(2023, 4, 20))),
        ("consortium", "application", noon(date(2023, 4, 20))),
    ]
    members = {(m.organisation.name, m.role, m.status) for m in second.consortium_members.all()}
    assert members == {
        ("Hervannan Sensoriikka Oy", "lead", "committed"),
        ("Tampereen yliopisto", "partner", "invited"),
    }
    assert known.memberships.get().idea == second

    dropped = Idea.objects.get(title="Hylätty kokeilu")
    assert (dropped.stage, dropped.drop_reason) == (Stage.DROPPED, "Ei kumppaneita")
    assert dropped.transitions.last().note == "Ei kumppaneita"
    # "As of" questions answer from the imported history.
    assert Idea.objects.as_of(date(2023, 3, 31)).get(pk=second.pk).stage_as_of == "idea"
    assert Idea.objects.as_of(date(2023, 4, 30)).get(pk=second.pk).stage_as_of == "application"


def test_errors_in_several_rows_are_all_reported_and_nothing_is_written(importer):
    IdeaFactory(title="Olemassa oleva idea")
    OrganisationFactory(name="Vanha Oy", business_id="2077474-0")
    before = (Idea.objects.count(), Organisation.objects.count(), StageTransition.objects.count(),
              ConsortiumMember.objects.count())
    outcome = run(
        importer,
        ideas=[
            {"title": "Hyvä rivi", "estimated_budget": "1 000"},
            {"title": "OLEMASSA OLEVA IDEA"},
            {"title": "Kaksi", "themes": "Ei ole", "regions": "Atlantis", "owner": "nobody"},
            {"title": "Kolme", "estimated_budget": "12.500", "created": "31.2.2023",
             "stage_since": "=TODAY()"},
            {"title": "Kolme"},
            {"title": "Neljä", "stage": "consortium"},
            {"title": "Viisi", "stage": "application", "owner": importer.username,
             "lead_organisation": "Tuntematon Oy"},
            {"title": "Kuusi", "stage": "implementation", "owner": importer.username,
             "lead_organisation": "Vanha Oy", "lead_status": "committed"},
            {"title": "Seitsemän", "stage": "dropped"},
            {"title": "Kahdeksan", "stage": "nowhere", "created": "1.1.2025"},
            {"summary": "no title"},
        ],
        organisations=[
            {"name": "Uusi Oy", "business_id": "1234567-2"},
            {"name": "Toinen Oy", "business_id": "2077474-0"},
            {"name": "Kolmas Oy", "kind": "alien", "website": "not a web address"},
            {"name": "Kolmas Oy"},
        ],
    )
    assert not outcome.written
    assert where(outcome) == {
        ("Organisations", 2, "Y-tunnus"),
        ("Organisations", 3, "Y-tunnus"),
        ("Organisations", 4, "Kind"),
        ("Organisations", 4, "Website"),
        ("Organisations", 5, "Name"),
        ("Ideas", 3, "Title"),
        ("Ideas", 4, "Themes"),
        ("Ideas", 4, "Regions"),
        ("Ideas", 4, "Owner"),
        ("Ideas", 5, "Estimated budget (€)"),
        ("Ideas", 5, "Created"),
        ("Ideas", 5, "In this stage since"),
        ("Ideas", 6, "Title"),
        ("Ideas", 7, "Owner"),
        ("Ideas", 8, "Lead organisation"),
        ("Ideas", 9, "Stage"),
        ("Ideas", 10, "Drop reason"),
        ("Ideas", 11, "Stage"),
        ("Ideas", 11, "Created"),
        ("Ideas", 12, "Title"),
    }
    messages = {(p.row, p.column): p.message for p in outcome.problems if p.sheet == "Ideas"}
    assert "already in Salkku" in messages[(3, "Title")]
    assert "already on row 5" in messages[(6, "Title")]
    assert "has no owner" in messages[(7, "Owner")]
    assert "No funding application has been approved" in messages[(9, "Stage")]
    assert "in the future" in messages[(11, "Created")]
    assert "belongs to “Vanha Oy”" in next(
        p.message for p in outcome.problems if (p.sheet, p.row) == ("Organisations", 3))
    after = (Idea.objects.count(), Organisation.objects.count(), StageTransition.objects.count(),
             ConsortiumMember.objects.count())
    assert after == before
    assert outcome.parsed.ideas[0].problems == 0 and outcome.parsed.ideas[1].problems == 1


def test_a_refused_move_is_reported_where_it_is_put_right(importer):
    OrganisationFactory(name="Vanha Oy")
    outcome = run(
        importer,
        ideas=[
            {"title": "Yksi", "stage": "application", "owner": importer.username,
             "lead_organisation": "Vanha Oy", "lead_status": "invited"},
            {"title": "Kaksi", "stage": "completed", "owner": importer.username,
             "lead_organisation": "Vanha Oy", "lead_status": "committed"},
            {"title": "Kolme", "stage": "dropped", "drop_reason": " "},
        ],
    )
    messages = {(p.row, p.column): p.message for p in outcome.problems}
    assert messages == {
        (2, "Lead status"): "Cannot be moved to “Funding application”: The lead organisation "
                            "has not committed to the consortium.",
        # The sheet has no column for funding: the idea comes in as far as it can go.
        (3, "Stage"): "Cannot be moved to “Implementation”: No funding application has been "
                      "approved with a granted amount. Import the idea as “Funding "
                      "application” and record its funding in Salkku.",
        (4, "Drop reason"): "Cannot be moved to “Dropped”: Give the reason for dropping the idea.",
    }


def test_every_kind_of_guard_has_its_place_in_the_sheet():
    """What each guard looks at is given by a column of the sheet, or explicitly by none (it
    is recorded in Salkku after the import): a guard about something new fails here until
    the import knows where to report it."""
    looked_at = {guard.about for guards in TRANSITIONS.values() for guard in guards}
    assert looked_at <= set(GUARD_COLUMNS) == set(About)
    columns = {column.key for column in IDEA_COLUMNS}
    assert {key for key in GUARD_COLUMNS.values() if key is not None} <= columns


def test_an_idea_waits_for_its_organisation_row(importer):
    outcome = run(
        importer,
        ideas=[{"title": "Idea", "lead_organisation": "Rikki Oy"}],
        organisations=[{"name": "Rikki Oy", "business_id": "1234567-2"}],
    )
    assert where(outcome) == {("Organisations", 2, "Y-tunnus"), ("Ideas", 2, "Lead organisation")}


def test_a_preview_writes_nothing_and_predicts_the_import(importer):
    rows = [{"title": "Esikatselu", "lead_organisation": "Uusi Oy"}]
    organisations = [{"name": "Uusi Oy"}]
    preview = run(importer, rows, organisations, commit=False)
    assert (preview.problems, preview.written) == ([], False)
    assert (len(preview.ideas), len(preview.organisations)) == (1, 1)
    assert not Idea.objects.filter(title="Esikatselu").exists()
    assert not Organisation.objects.filter(name="Uusi Oy").exists()
    done = run(importer, rows, organisations)
    assert done.written and Idea.objects.filter(title="Esikatselu").exists()


def test_an_organisation_named_twice_in_salkku_needs_its_y_tunnus(importer):
    OrganisationFactory(name="Kaksoset Oy", business_id="2252888-5")
    OrganisationFactory(name="Kaksoset Oy", business_id="0828308-4")
    outcome = run(importer, [{"title": "Idea", "partners": "Kaksoset Oy"}])
    assert "write its Y-tunnus" in outcome.problems[0].message
    outcome = run(importer, [{"title": "Idea", "partners": "0828308-4"}])
    assert outcome.written


def test_owner_must_be_a_project_manager(importer):
    UserFactory(username="fanni", funder=True)
    outcome = run(importer, [{"title": "Idea", "owner": "fanni"}])
    assert "Unknown owner" in outcome.problems[0].message


def test_a_workbook_without_the_sheets_says_so(importer):
    workbook = openpyxl.Workbook()
    workbook.active.title = "Taulukko1"
    out = BytesIO()
    workbook.save(out)
    outcome = import_workbook(data=out.getvalue(), by=importer, commit=True)
    assert "no sheet named “Ideas” or “Organisations”" in outcome.problems[0].message


def test_missing_required_column_is_reported(importer):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Ideas"
    sheet.append(["Summary", "Typo column"])
    sheet.append(["Something"])
    out = BytesIO()
    workbook.save(out)
    outcome = import_workbook(data=out.getvalue(), by=importer, commit=True)
    assert ("Ideas", 1, "Title") in where(outcome)
    assert outcome.parsed.ignored_columns == {"Ideas": ["Typo column"]}


@pytest.mark.parametrize("language", ["fi", "sv", "en"])
def test_the_template_example_rows_are_refused_as_examples(importer, language):
    from django.utils import translation

    ThemeFactory(name_en="Robotics")
    out = BytesIO()
    with translation.override(language):
        write_template(out, user=importer)
    outcome = import_workbook(data=out.getvalue(), by=importer, commit=True)
    example = "This is the template's example row: write your own in its place or delete it."
    refused = [(p.row, p.message) for p in outcome.problems if p.message == example]
    assert refused == [(2, example), (2, example)]  # the example idea and organisation
    assert not Idea.objects.exists() and not Organisation.objects.exists()


def test_the_template_example_rows_import_once_made_ones_own(importer):
    """Every other cell of the example rows is valid as it stands."""
    ThemeFactory(name_en="Robotics")
    out = BytesIO()
    write_template(out, user=importer)
    workbook = openpyxl.load_workbook(BytesIO(out.getvalue()))
    ideas, organisations, _notes = workbook.worksheets
    lead = [column.key for column in IDEA_COLUMNS].index("lead_organisation") + 1
    ideas["A2"] = "Digital twin pilot"
    ideas.cell(row=2, column=lead).value = organisations["A2"].value = "Twin Oy"
    edited = BytesIO()
    workbook.save(edited)
    outcome = import_workbook(data=edited.getvalue(), by=importer, commit=True)
    assert outcome.problems == []
    idea = Idea.objects.get()
    assert idea.stage == Stage.CONSORTIUM
    assert idea.consortium_members.get().organisation.business_id == "1234567-1"


def test_template_sheets_and_notes_in_finnish(importer):
    from django.utils import translation

    out = BytesIO()
    with translation.override("fi"):
        write_template(out, user=importer)
    workbook = openpyxl.load_workbook(BytesIO(out.getvalue()))
    assert len(workbook.sheetnames) == 3
    notes = [cell for row in workbook.worksheets[2].iter_rows(values_only=True) for cell in row]
    assert "Pirkanmaa" in notes and "06" in notes
    assert importer.username in notes
    assert "consortium" in notes  # every stage value is listed


def test_template_columns_and_example_rows(importer):
    out = BytesIO()
    write_template(out, user=importer)
    workbook = openpyxl.load_workbook(BytesIO(out.getvalue()))
    ideas, organisations, notes = workbook.worksheets
    assert (ideas.title, organisations.title, notes.title) == ("Ideas", "Organisations", "Notes")
    assert ideas["A1"].value == "Title *" and ideas.max_row == 2
    assert ideas["G2"].value == 150000 and ideas["H2"].value == datetime(2023, 3, 15)
    assert organisations["B2"].value == "1234567-1"
    assert ideas.freeze_panes == "A2"


def test_a_formula_cell_is_reported_once(importer):
    """Once, for what it holds: not again as a missing title or a blank field."""
    outcome = run(
        importer,
        ideas=[{"title": "=A1&B1"}, {"title": "Budjetti", "estimated_budget": "=SUM(A1:A2)",
                                     "created": "=TODAY()", "owner": "=C1"}],
        organisations=[{"name": "=D1"}],
        commit=False,
    )
    found = [(p.sheet, p.row, p.column, p.message) for p in outcome.problems]
    assert found == [
        ("Organisations", 2, "Name",
         "The cell holds a formula (=D1); formulas are not computed. Type the value itself."),
        ("Ideas", 2, "Title",
         "The cell holds a formula (=A1&B1); formulas are not computed. Type the value itself."),
        ("Ideas", 3, "Owner",
         "The cell holds a formula (=C1); formulas are not computed. Type the value itself."),
        ("Ideas", 3, "Estimated budget (€)",
         ("The cell holds a formula (=SUM(A1:A2)); formulas are not computed. Type the value "
          "itself.")),
        ("Ideas", 3, "Created",
         "The cell holds a formula (=TODAY()); formulas are not computed. Type the value itself."),
    ]
    assert [row.problems for row in outcome.parsed.ideas] == [1, 3]
