"""``manage.py import_ideas``: the same checks and messages as the import page."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from portfolio.models import Idea, Organisation
from tests.factories import UserFactory, import_xlsx

pytestmark = pytest.mark.django_db


@pytest.fixture
def workbook(tmp_path):
    def write(ideas=(), organisations=()) -> str:
        path = tmp_path / "ideat.xlsx"
        path.write_bytes(import_xlsx(list(ideas), list(organisations)))
        return str(path)

    return write


def run(*args: str) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("import_ideas", *args, "--lang", "en", stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_imports_a_good_file(workbook, manager_user):
    path = workbook([{"title": "Konenäkö", "lead_organisation": "Uusi Oy"}], [{"name": "Uusi Oy"}])
    out, err = run(path, "--by", manager_user.username)
    assert "1 idea(s) and 1 new organisation(s) were imported" in out
    assert err == ""
    idea = Idea.objects.get()
    assert idea.transitions.get().by == manager_user


def test_dry_run_saves_nothing(workbook, manager_user):
    out, _err = run(workbook([{"title": "Konenäkö"}]), "--by", manager_user.username, "--dry-run")
    assert "1 idea(s) and 0 new organisation(s) would be imported" in out
    assert not Idea.objects.exists()


def test_problems_are_printed_by_row_and_column_and_exit_non_zero(workbook, manager_user):
    path = workbook(
        [{"title": "A", "estimated_budget": "paljon"}, {"title": "B", "themes": "Ei ole"}],
        [{"name": "Rikki Oy", "business_id": "1234567-2"}],
    )
    with pytest.raises(CommandError, match="3 problem"):
        out, err = StringIO(), StringIO()
        try:
            call_command("import_ideas", path, "--by", manager_user.username, "--lang", "en",
                         stdout=out, stderr=err)
        finally:
            lines = err.getvalue().splitlines()
    assert lines == [
        "Organisations, row 2, Y-tunnus: The check digit of Y-tunnus 1234567-2 is wrong; "
        "check the number.",
        "Ideas, row 2, Estimated budget (€): “paljon” cannot be read as an amount. Write euros "
        "with a decimal comma and spaces between thousands if you like, for example "
        "12 500,00 € or 12500,5.",
        "Ideas, row 3, Themes: Unknown theme “Ei ole”.",
    ]
    assert not Idea.objects.exists() and not Organisation.objects.exists()


def test_exits_non_zero_from_the_shell(workbook, manager_user):
    from django.core.management import execute_from_command_line

    path = workbook([{"title": "A", "created": "31.2.2023"}])
    with pytest.raises(SystemExit) as exit_:
        execute_from_command_line(["manage.py", "import_ideas", path, "--by", manager_user.username])
    assert exit_.value.code == 1


def test_hostile_file_is_refused(tmp_path, manager_user):
    path = tmp_path / "ideat.xlsx"
    path.write_bytes(b"title;stage\n")
    with pytest.raises(CommandError, match="not an Excel workbook"):
        run(str(path), "--by", manager_user.username)


def test_too_large_file_is_refused_before_reading(workbook, manager_user, settings):
    settings.IMPORT_MAX_BYTES = 10
    with pytest.raises(CommandError, match="at most 10"):
        run(workbook([{"title": "A"}]), "--by", manager_user.username)


def test_missing_file(manager_user, tmp_path):
    with pytest.raises(CommandError, match="No such file"):
        run(str(tmp_path / "ei-ole.xlsx"), "--by", manager_user.username)


def test_the_importer_must_be_a_project_manager(workbook):
    UserFactory(username="fanni", funder=True)
    with pytest.raises(CommandError, match="no active project manager"):
        run(workbook([{"title": "A"}]), "--by", "fanni")
    with pytest.raises(CommandError, match="no active project manager"):
        run(workbook([{"title": "A"}]), "--by", "nobody")
