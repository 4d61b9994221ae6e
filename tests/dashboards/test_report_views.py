"""/reports/: the stored reports for every reader, the form for project managers, downloads."""

from __future__ import annotations

import hashlib
import re
from datetime import date, timedelta
from io import BytesIO

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from dashboards.filters import Period
from dashboards.models import ReportRequest, ReportRun
from dashboards.services import report_generate
from tests.clock import TODAY
from tests.factories import IdeaFactory, ReportRunFactory, UserFactory
from tests.helpers import assert_no_inline_code

pytestmark = pytest.mark.django_db

REPORTS = reverse("report-list")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
LIST_QUERIES = 8


@pytest.fixture(autouse=True)
def pages_in_english(manager, funder):
    # The assertions read English words; pages are Finnish unless the user chose otherwise.
    for client in (manager, funder):
        client.cookies["django_language"] = "en"


def test_funder_lists_and_downloads_but_has_no_form(funder):
    run = ReportRunFactory()
    response = funder.get(REPORTS)
    assert response.status_code == 200
    body = response.content.decode()
    assert response.context["form"] is None
    assert 'name="quarter"' not in body and "<form method=\"post\"" not in body
    assert run.sha256 in body and "Q2/2023" in body
    assert reverse("report-download", args=[run.pk]) in body
    assert_no_inline_code(body)


def test_funder_cannot_generate(funder):
    response = funder.post(REPORTS, {"year": "2023", "quarter": "2", "language": "fi"})
    assert response.status_code == 403
    assert not ReportRun.objects.exists()


def test_anonymous_goes_to_login(anonymous):
    run = ReportRunFactory()
    for url in (REPORTS, reverse("report-download", args=[run.pk])):
        response = anonymous.get(url)
        assert response.status_code == 302 and "login" in response["Location"]
    assert anonymous.post(REPORTS, {"year": "2023", "quarter": "2"}).status_code == 302
    assert not ReportRun.objects.exclude(pk=run.pk).exists()


def test_manager_generates_a_quarter(manager, manager_user):
    IdeaFactory()
    response = manager.post(REPORTS, {"year": "2023", "quarter": "2", "language": "en"})
    # The report is made by a task (run at once in tests); the page shows how it stands.
    made = ReportRequest.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("report-request", args=[made.pk])
    run = ReportRun.objects.get()
    assert made.status == "succeeded" and made.run == run and made.task_id
    assert (run.year, run.quarter) == (2023, 2)
    assert (run.period_start, run.period_end) == (date(2023, 4, 1), date(2023, 6, 30))
    assert run.language == "en" and run.created_by == manager_user
    content = bytes(run.content)
    assert run.size == len(content)
    assert run.sha256 == hashlib.sha256(content).hexdigest()
    assert load_workbook(BytesIO(content)).sheetnames[0] == "Summary"
    status = manager.get(response["Location"]).content.decode()
    assert "The report Q2/2023 was made." in status
    assert reverse("report-download", args=[run.pk]) in status
    assert 'http-equiv="refresh"' not in status  # done: the page stops refreshing
    assert_no_inline_code(status)
    listed = manager.get(REPORTS)
    assert "Q2/2023" in listed.content.decode()
    assert_no_inline_code(listed.content.decode())


def test_manager_generates_a_from_to_period(manager):
    response = manager.post(
        REPORTS, {"start": "2023-02-15", "end": "2023-03-20", "language": "fi"}
    )
    assert response.status_code == 302
    run = ReportRun.objects.get()
    assert (run.year, run.quarter) == (None, None)
    assert (run.period_start, run.period_end) == (date(2023, 2, 15), date(2023, 3, 20))
    assert run.filename == "salkku-report-2023-02-15_2023-03-20-fi.xlsx"


def test_a_from_to_period_that_is_a_quarter_is_named_as_one():
    run = report_generate(
        period=Period(date(2023, 10, 1), date(2023, 12, 31)), language="fi", by=None
    )
    assert (run.year, run.quarter) == (2023, 4)


TOMORROW = (TODAY + timedelta(days=1)).isoformat()


@pytest.mark.parametrize(
    ("data", "field", "words"),
    [
        ({"quarter": "2", "language": "fi"}, "year", "Choose the year"),
        ({"year": "2023", "language": "fi"}, "quarter", "Choose the quarter"),
        ({"year": "2023", "quarter": "5", "language": "fi"}, "quarter", "Select a valid choice"),
        ({"year": "1850", "quarter": "1", "language": "fi"}, "year", "Select a valid choice"),
        ({"start": "2023-05-01", "end": "2023-04-01", "language": "fi"}, "end", "cannot be before"),
        ({"start": "2023-05-01", "language": "fi"}, "end", "last day"),
        ({"end": "2023-05-01", "language": "fi"}, "start", "first day"),
        ({"start": "1.13.2023", "end": "2023-05-01", "language": "fi"}, "start", "valid date"),
        ({"start": "2023-05-01", "end": TOMORROW, "language": "fi"}, "end", "has ended"),
        ({"start": "1800-01-01", "end": "2023-05-01", "language": "fi"}, "start", "between the years"),
        ({"year": "2023", "quarter": "2", "language": "de"}, "language", "Select a valid choice"),
        ({"year": "2023", "quarter": "2"}, "language", "required"),
    ],
)
def test_bad_input_is_named_at_its_field_and_nothing_is_stored(manager, data, field, words):
    response = manager.post(REPORTS, data)
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert field in errors, errors
    assert words in " ".join(errors[field])
    assert not ReportRun.objects.exists()
    assert not ReportRequest.objects.exists()  # nothing queued either
    assert "No report was made" in response.content.decode()


@pytest.fixture
def today_is_28_11_2026(monkeypatch):
    real = timezone.localdate

    def localdate(value=None, timezone=None):
        return date(2026, 11, 28) if value is None else real(value, timezone)

    monkeypatch.setattr(timezone, "localdate", localdate)


@pytest.mark.usefixtures("today_is_28_11_2026")
def test_a_quarter_not_ended_is_refused_beside_the_quarter(manager):
    response = manager.post(REPORTS, {"year": "2026", "quarter": "4", "language": "en"})
    errors = response.context["form"].errors
    assert set(errors) == {"quarter"}, errors
    assert errors["quarter"] == [
        "A report covers a period that has ended: Q4/2026 ends on 31.12.2026; choose a "
        "quarter that has ended."
    ]
    assert not ReportRun.objects.exists()
    # A from–to period is refused beside its end day, the field the user gave.
    response = manager.post(
        REPORTS, {"start": "2026-10-01", "end": "2026-12-31", "language": "en"}
    )
    errors = response.context["form"].errors
    assert set(errors) == {"end"} and "has ended" in errors["end"][0]
    # The quarter that has ended is made.
    response = manager.post(REPORTS, {"year": "2026", "quarter": "3", "language": "en"})
    assert response.status_code == 302 and ReportRun.objects.get().quarter == 3


@pytest.mark.usefixtures("today_is_28_11_2026")
def test_a_period_ending_today_is_refused_as_not_ended(manager):
    # Today has not ended: 1.10.–28.11.2026 is refused beside its end day, in the words
    # used for a quarter; ending yesterday, 27.11.2026, it is made.
    response = manager.post(REPORTS, {"start": "2026-10-01", "end": "2026-11-28", "language": "en"})
    errors = response.context["form"].errors
    assert errors == {
        "end": [
            "A report covers a period that has ended: 1.10.2026–28.11.2026 ends on "
            "28.11.2026; choose an end day before today."
        ]
    }
    assert not ReportRun.objects.exists()
    response = manager.post(REPORTS, {"start": "2026-10-01", "end": "2026-11-27", "language": "en"})
    assert response.status_code == 302
    run = ReportRun.objects.get()
    assert (run.period_start, run.period_end, run.quarter) == (
        date(2026, 10, 1), date(2026, 11, 27), None,
    )


@pytest.mark.usefixtures("today_is_28_11_2026")
def test_the_service_refuses_a_period_ending_today_too():
    from django.core.exceptions import ValidationError

    from dashboards.services import report_spec

    with pytest.raises(ValidationError) as refused:
        report_spec(period=Period(date(2026, 10, 1), date(2026, 11, 28)), language="fi")
    assert set(refused.value.message_dict) == {"end"}
    spec = report_spec(period=Period(date(2026, 10, 1), date(2026, 11, 27)), language="fi")
    assert spec.period.end == date(2026, 11, 27)


@pytest.mark.parametrize(
    "data",
    [
        {"language": "fi"},
        {"year": "2023", "quarter": "2", "start": "2023-01-01", "end": "2023-02-01", "language": "fi"},
    ],
)
def test_no_period_or_both_kinds_is_said_at_the_top(manager, data):
    response = manager.post(REPORTS, data)
    assert response.context["form"].non_field_errors()
    assert not ReportRun.objects.exists()


@pytest.mark.parametrize("client_name", ["funder", "manager"])
def test_download_is_the_stored_file(request, client_name):
    run = report_generate(
        period=Period(date(2023, 4, 1), date(2023, 6, 30)), language="fi", by=None
    )
    client = request.getfixturevalue(client_name)
    response = client.get(reverse("report-download", args=[run.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == XLSX
    assert response["Content-Disposition"] == (
        'attachment; filename="salkku-report-2023-Q2-fi.xlsx"'
    )
    assert "private" in response["Cache-Control"]
    assert hashlib.sha256(response.content).hexdigest() == run.sha256
    assert len(response.content) == run.size


def test_download_of_a_missing_report_is_404(funder):
    assert funder.get(reverse("report-download", args=[999])).status_code == 404


def test_the_list_filters_by_language_and_year(funder):
    ReportRunFactory(language="fi")
    english = ReportRunFactory(language="en")
    response = funder.get(REPORTS, {"language": "en"})
    assert list(response.context["page"].object_list) == [english]
    response = funder.get(REPORTS, {"year": "2024"})
    assert list(response.context["page"].object_list) == []


def test_the_list_never_reads_the_files(funder):
    ReportRunFactory()
    response = funder.get(REPORTS)
    run = response.context["page"].object_list[0]
    assert "content" in run.get_deferred_fields()


def test_a_report_made_by_the_command_says_so(funder):
    ReportRunFactory(created_by=None)
    assert "Command line" in funder.get(REPORTS).content.decode()


@pytest.mark.parametrize("rows", [2, 40])
def test_list_queries_do_not_grow_with_rows(manager, rows, django_assert_max_num_queries):
    makers = [UserFactory(manager=True) for _ in range(3)]
    for index in range(rows):
        ReportRunFactory(created_by=makers[index % 3])
    with django_assert_max_num_queries(LIST_QUERIES):
        response = manager.get(REPORTS)
    assert response.context["page"].paginator.count == rows


def test_every_id_on_the_page_is_unique_and_each_label_names_its_own_field(manager):
    ReportRunFactory()
    response = manager.get(REPORTS, {"year": "2023", "language": "fi"})
    body = response.content.decode()
    ids = re.findall(r'\bid="([^"]+)"', body)
    assert len(ids) == len(set(ids)), sorted(i for i in ids if ids.count(i) > 1)
    for target in re.findall(r'<label for="([^"]+)"', body):
        assert ids.count(target) == 1, target
    # The filters keep their names, so their URLs stay as they were.
    filters = response.context["filter"].form
    assert filters["year"].html_name == "year" and filters["year"].auto_id == "id_year"
    assert filters["year"].value() == "2023"
    form = response.context["form"]
    assert form["year"].html_name == "year" and form["year"].auto_id == "report_year"


NARRATIVE = {
    "highlights": "Three consortia formed.\r\nOne grant decided.",
    "risks": "",
    "plans": "Roadshow in Seinäjoki.",
}


def test_the_narrative_is_stored_and_shown_in_the_list(manager, funder):
    response = manager.post(
        REPORTS, {"year": "2023", "quarter": "2", "language": "en", **NARRATIVE}
    )
    assert response.status_code == 302
    run = ReportRun.objects.get()
    # Line ends as the reader sees them: one character each.
    assert run.highlights == "Three consortia formed.\nOne grant decided."
    assert (run.risks, run.plans) == ("", "Roadshow in Seinäjoki.")
    body = funder.get(REPORTS).content.decode()
    assert "<summary>Highlights, Plans for the next quarter</summary>" in body
    assert "<p>Three consortia formed.<br>One grant decided.</p>" in body
    assert "<h3>Risks</h3>" not in body
    # Only project managers are offered to make it again.
    assert "?reuse=" not in body
    assert f"?reuse={run.pk}#make-heading" in manager.get(REPORTS).content.decode()


def test_a_run_without_narrative_says_so(funder):
    ReportRunFactory()
    body = funder.get(REPORTS).content.decode()
    assert '<span class="visually-hidden">No narrative</span>' in body
    assert "<details>" not in body


def test_the_form_explains_the_narrative(manager):
    body = manager.get(REPORTS).content.decode()
    assert "Narrative for the board (optional)" in body
    assert "Plain text, written in the report's language." in body
    for name in ("highlights", "risks", "plans"):
        assert f'name="{name}"' in body
    assert body.count('maxlength="4000"') == 3


@pytest.mark.parametrize("field", ["highlights", "risks", "plans"])
def test_a_narrative_too_long_is_refused_at_its_field(manager, field):
    data = {"year": "2023", "quarter": "2", "language": "en", field: "x" * 4001}
    response = manager.post(REPORTS, data)
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert set(errors) == {field}
    assert "at most 4000 characters (it has 4001)" in errors[field][0]
    assert not ReportRun.objects.exists()


def test_line_ends_count_once_towards_the_limit(manager):
    # 2000 lines of "x" with CR LF between them: 3999 characters as read, 5998 as sent.
    text = "\r\n".join(["x"] * 2000)
    response = manager.post(
        REPORTS, {"year": "2023", "quarter": "2", "language": "en", "plans": text}
    )
    assert response.status_code == 302
    assert len(ReportRun.objects.get().plans) == 3999


def test_the_service_refuses_a_narrative_too_long():
    from django.core.exceptions import ValidationError

    from dashboards.models import Narrative

    with pytest.raises(ValidationError) as caught:
        report_generate(
            period=Period(date(2023, 4, 1), date(2023, 6, 30)),
            language="en",
            by=None,
            narrative=Narrative(risks="x" * 4001),
        )
    assert caught.value.message_dict == {"risks": ["Write at most 4000 characters."]}
    assert not ReportRun.objects.exists()


def test_reuse_fills_the_form_as_the_report_was_made(manager):
    quarter = ReportRunFactory(language="en", highlights="Three consortia.", plans="More events.")
    response = manager.get(REPORTS, {"reuse": quarter.pk})
    form = response.context["form"]
    assert form.initial == {
        "language": "en", "year": 2023, "quarter": 2,
        "highlights": "Three consortia.", "risks": "", "plans": "More events.",
    }
    body = response.content.decode()
    assert ">\nThree consortia.</textarea>" in body
    period = ReportRunFactory(
        year=None, quarter=None, period_start=date(2023, 1, 15), period_end=date(2023, 2, 15),
        risks="Delays.",
    )
    initial = manager.get(REPORTS, {"reuse": period.pk}).context["form"].initial
    assert (initial["start"], initial["end"], initial["risks"]) == (
        date(2023, 1, 15), date(2023, 2, 15), "Delays."
    )
    assert "year" not in initial


@pytest.mark.parametrize("reuse", ["999", "abc", "9" * 40, "²", ""])
def test_a_reuse_of_no_report_is_ignored(manager, reuse):
    response = manager.get(REPORTS, {"reuse": reuse})
    assert response.status_code == 200
    assert response.context["form"].initial == {"language": "en"}
