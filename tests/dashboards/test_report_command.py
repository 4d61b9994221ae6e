"""``manage.py quarterly_report``: the file, its SHA-256, the stored run, clear refusals."""

from __future__ import annotations

import hashlib
from datetime import date, timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone
from openpyxl import load_workbook

from dashboards.management.commands.quarterly_report import last_ended_quarter
from dashboards.models import ReportRun
from tests.factories import IdeaFactory

pytestmark = pytest.mark.django_db


def run(*args: str) -> list[str]:
    out = StringIO()
    call_command("quarterly_report", *args, stdout=out)
    return out.getvalue().splitlines()


def test_writes_the_quarter_and_prints_its_path_and_sha256(tmp_path):
    IdeaFactory()
    target = tmp_path / "q2.xlsx"
    lines = run("--year", "2023", "--quarter", "2", "--lang", "en", "--output", str(target))
    content = target.read_bytes()
    digest = hashlib.sha256(content).hexdigest()
    assert lines == [str(target.resolve()), f"SHA-256 {digest}"]
    assert load_workbook(target).sheetnames[0] == "Summary"
    stored = ReportRun.objects.get()
    assert (stored.year, stored.quarter, stored.language) == (2023, 2, "en")
    assert stored.sha256 == digest and bytes(stored.content) == content
    assert stored.created_by is None


def test_finnish_is_the_default_and_start_end_give_a_period(tmp_path):
    target = tmp_path / "period.xlsx"
    run("--start", "2023-01-15", "--end", "2023-02-15", "--output", str(target))
    stored = ReportRun.objects.get()
    assert stored.language == "fi"
    assert (stored.period_start, stored.period_end) == (date(2023, 1, 15), date(2023, 2, 15))
    assert stored.quarter is None


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["--year", "2023", "--quarter", "5"], "a quarter is 1, 2, 3 or 4"),
        (["--year", "2023"], "Give both --year and --quarter"),
        (["--quarter", "2"], "Give both --year and --quarter"),
        (["--start", "2023-05-01", "--end", "2023-04-01"], "--end cannot be before --start"),
        (["--start", "2023-05-01"], "Give --year and --quarter, or --start and --end"),
        (["--start", "31.12.2023", "--end", "2024-01-01"], "is not a day"),
        (["--year", "2023", "--quarter", "2", "--start", "2023-01-01"], "not both"),
        (["--year", "2023", "--quarter", "2", "--lang", "de"], "invalid choice"),
        ([], "Give --year and --quarter"),
        (["--last-quarter", "--year", "2023"], "give nothing else"),
    ],
)
def test_bad_input_is_a_clear_command_error(tmp_path, args, words):
    target = tmp_path / "r.xlsx"
    with pytest.raises(CommandError, match=words):
        run(*args, "--output", str(target))
    assert not target.exists()
    assert not ReportRun.objects.exists()


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (date(2024, 1, 1), (2023, 4)),
        (date(2024, 3, 31), (2023, 4)),
        (date(2024, 4, 1), (2024, 1)),
        (date(2024, 7, 5), (2024, 2)),
        (date(2024, 12, 31), (2024, 3)),
    ],
)
def test_last_ended_quarter(today, expected):
    assert last_ended_quarter(today) == expected


def test_last_quarter_makes_the_latest_ended_quarter(tmp_path):
    run("--last-quarter", "--output", str(tmp_path / "r.xlsx"))
    stored = ReportRun.objects.get()
    today = timezone.localdate()
    assert stored.period_end < today <= stored.period_end + timedelta(days=92)
    assert (stored.year, stored.quarter) == last_ended_quarter(today)


def test_a_period_that_has_not_ended_is_refused(tmp_path):
    tomorrow = timezone.localdate() + timedelta(days=1)
    with pytest.raises(CommandError, match="has ended"):
        run("--start", "2023-01-01", "--end", tomorrow.isoformat(), "--output", str(tmp_path / "r.xlsx"))
    assert not ReportRun.objects.exists()


@pytest.mark.parametrize("where", ["missing folder", "a folder", "unwritable"])
def test_an_unwritable_output_is_refused_and_nothing_is_stored(tmp_path, where):
    if where == "missing folder":
        target = tmp_path / "nowhere" / "r.xlsx"
    elif where == "a folder":
        target = tmp_path
    else:
        # A file inside a regular file cannot be made, even by root.
        blocker = tmp_path / "file"
        blocker.write_text("")
        target = blocker / "r.xlsx"
    with pytest.raises(CommandError, match="Cannot write|is a folder"):
        run("--year", "2023", "--quarter", "2", "--output", str(target))
    assert not ReportRun.objects.exists()


def test_narrative_files_are_stored_with_the_report(tmp_path):
    highlights = tmp_path / "highlights.txt"
    # Written on Windows, with a byte order mark and CR LF line ends.
    highlights.write_bytes(
        "\ufeffKolme konsortiota syntyi.\r\nYksi hakemus myönnettiin.\r\n".encode()
    )
    risks = tmp_path / "risks.txt"
    risks.write_text("\nRahoitushaku viivästyy.\n\n", encoding="utf-8")
    run("--year", "2023", "--quarter", "2", "--output", str(tmp_path / "r.xlsx"),
        "--highlights", str(highlights), "--risks", str(risks))
    stored = ReportRun.objects.get()
    assert stored.highlights == "Kolme konsortiota syntyi.\nYksi hakemus myönnettiin."
    assert stored.risks == "Rahoitushaku viivästyy."
    assert stored.plans == ""


@pytest.mark.parametrize(
    ("content", "words"),
    [
        (None, r"Cannot read --plans .*missing\.txt: No such file or directory"),
        ("Ääkköset latin-1:nä".encode("latin-1"), "is not UTF-8 text"),
        (("x" * 4001).encode(), "--plans: Write at most 4000 characters"),
    ],
)
def test_an_unreadable_or_too_long_narrative_file_is_refused(tmp_path, content, words):
    source = tmp_path / "missing.txt"
    if content is not None:
        source.write_bytes(content)
    target = tmp_path / "r.xlsx"
    with pytest.raises(CommandError, match=words):
        run("--year", "2023", "--quarter", "2", "--output", str(target), "--plans", str(source))
    assert not target.exists()
    assert not ReportRun.objects.exists()


def test_a_narrative_of_exactly_the_limit_is_taken(tmp_path):
    source = tmp_path / "plans.txt"
    source.write_text("x" * 4000, encoding="utf-8")
    run("--year", "2023", "--quarter", "2", "--output", str(tmp_path / "r.xlsx"),
        "--plans", str(source))
    assert len(ReportRun.objects.get().plans) == 4000
