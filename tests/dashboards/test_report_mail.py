"""``quarterly_report --mail``: the pack mailed to REPORT_RECIPIENTS once per period, recorded
like reminders (claim, send with no transaction open, mark sent); ``--force`` mails again; a
failed run gives its claim up; a claim left by a killed run expires."""

from __future__ import annotations

import hashlib
from datetime import date, timedelta
from io import StringIO
from smtplib import SMTPException

import pytest
from django.core import mail
from django.core.mail.backends import locmem
from django.core.management import CommandError, call_command
from django.db.models import ProtectedError
from django.test import override_settings
from django.utils import timezone

from dashboards import services
from dashboards.filters import Period
from dashboards.models import ReportMailing, ReportRun
from tests.clock import NOW
from tests.factories import IdeaFactory, ReportRunFactory

pytestmark = pytest.mark.django_db

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
BOARD = ["hallitus@example.fi", "rahoittaja@example.fi"]
Q2 = ["--year", "2023", "--quarter", "2"]


def run(*args: str) -> list[str]:
    out = StringIO()
    call_command("quarterly_report", *args, stdout=out)
    return out.getvalue().splitlines()


@pytest.fixture(autouse=True)
def board(settings):
    settings.REPORT_RECIPIENTS = BOARD
    settings.DEFAULT_FROM_EMAIL = "salkku@example.fi"
    settings.NETWORK_NAME = "SIXNET"
    settings.SITE_URL = "https://salkku.example.fi"


class RefusingBackend(locmem.EmailBackend):
    """A mail server that refuses every message."""

    def send_messages(self, messages):
        raise SMTPException("mail server down")


def use_mailer(settings, backend: type) -> None:
    settings.MAILERS = {"default": {"BACKEND": f"{backend.__module__}.{backend.__qualname__}"}}


def test_mails_the_quarter_with_its_workbook_and_records_it():
    IdeaFactory()
    lines = run(*Q2, "--lang", "en", "--mail")
    stored = ReportRun.objects.get()
    assert lines == [
        f"SHA-256 {stored.sha256}",
        "Mailed Q2/2023 to hallitus@example.fi, rahoittaja@example.fi",
    ]
    [message] = mail.outbox
    assert message.to == BOARD
    assert message.from_email == "salkku@example.fi"
    assert message.subject == "SIXNET quarterly report Q2/2023"
    # The workbook, and the PDF pack made with it.
    [(name, content, mimetype), (pdf_name, pdf, pdf_type)] = message.attachments
    assert (name, mimetype) == ("salkku-report-2023-Q2-en.xlsx", XLSX)
    assert content == bytes(stored.content)
    assert (pdf_name, pdf_type, pdf) == (
        "salkku-report-2023-Q2-en.pdf", "application/pdf", bytes(stored.pdf)
    )
    assert f"SHA-256 {hashlib.sha256(content).hexdigest()}" in message.body
    assert "https://salkku.example.fi/reports/" in message.body
    mailing = ReportMailing.objects.get()
    assert mailing.run == stored
    assert (mailing.period_start, mailing.period_end, mailing.language) == (
        date(2023, 4, 1), date(2023, 6, 30), "en"
    )
    assert mailing.recipients == "hallitus@example.fi, rahoittaja@example.fi"
    assert mailing.sent_at is not None and mailing.sent_at >= mailing.created_at
    assert not mailing.forced


def test_the_mail_is_in_the_reports_language_not_the_callers():
    run(*Q2, "--lang", "fi", "--mail")
    run(*Q2, "--lang", "en", "--mail")
    finnish, english = mail.outbox
    # Both languages write short dates day first, unpadded; the words tell them apart.
    assert "(1.4.2023–30.6.2023)" in finnish.body
    assert "The SIXNET quarterly report Q2/2023 (1.4.2023–30.6.2023) is attached" in english.body
    assert "The SIXNET quarterly report" not in finnish.body
    assert finnish.attachments[0][0] == "salkku-report-2023-Q2-fi.xlsx"
    assert english.attachments[0][0] == "salkku-report-2023-Q2-en.xlsx"


def test_a_rerun_for_the_same_period_mails_nothing_and_makes_nothing(tmp_path):
    run(*Q2, "--mail")
    target = tmp_path / "q2.xlsx"
    target.write_bytes(b"kept")
    lines = run(*Q2, "--mail", "--output", str(target))
    assert lines == [
        (
            "The report 2023-04-01–2023-06-30 (fi) was already mailed on 13.5.2026 12:00 to "
            "hallitus@example.fi, rahoittaja@example.fi; nothing was made or mailed. Give "
            "--force to mail it again."
        )
    ]
    assert len(mail.outbox) == 1
    assert ReportRun.objects.count() == 1 and ReportMailing.objects.count() == 1
    # The file given is not even opened.
    assert target.read_bytes() == b"kept"


def test_last_quarter_is_mailed_once(time_machine):
    run("--last-quarter", "--mail")
    time_machine.move_to(NOW + timedelta(days=1))
    lines = run("--last-quarter", "--mail")
    # 13.5.2026: the last quarter that has ended is Q1/2026.
    assert "2026-01-01–2026-03-31 (fi) was already mailed on 13.5.2026 12:00" in lines[0]
    assert len(mail.outbox) == 1


def test_another_language_or_period_is_mailed_apart():
    run(*Q2, "--mail")
    run(*Q2, "--lang", "en", "--mail")
    run("--year", "2023", "--quarter", "3", "--mail")
    run("--start", "2023-04-01", "--end", "2023-05-31", "--mail")
    assert len(mail.outbox) == 4
    assert ReportMailing.objects.filter(sent_at__isnull=False).count() == 4


def test_force_mails_again_and_records_the_resend_beside_the_first(time_machine):
    run(*Q2, "--mail")
    time_machine.move_to(NOW + timedelta(hours=3))
    lines = run(*Q2, "--mail", "--force")
    assert lines[-1] == "Mailed Q2/2023 to hallitus@example.fi, rahoittaja@example.fi"
    assert len(mail.outbox) == 2
    first, again = ReportMailing.objects.order_by("created_at")
    assert (first.forced, again.forced) == (False, True)
    assert first.run != again.run and ReportRun.objects.count() == 2
    # A plain rerun after the resend still mails nothing, and says when the latest went out.
    lines = run(*Q2, "--mail")
    assert "already mailed on 13.5.2026 15:00" in lines[0]
    assert len(mail.outbox) == 2


@override_settings(REPORT_RECIPIENTS=["talous@example.fi"])
def test_recipients_come_from_the_setting():
    run(*Q2, "--mail")
    assert mail.outbox[0].to == ["talous@example.fi"]
    assert ReportMailing.objects.get().recipients == "talous@example.fi"


@pytest.mark.parametrize(
    ("recipients", "words"),
    [
        ([], "set REPORT_RECIPIENTS"),
        ([""], "set REPORT_RECIPIENTS"),
        (["hallitus@example.fi", "not an address"], "REPORT_RECIPIENTS has “not an address”"),
    ],
)
def test_no_or_bad_recipients_is_a_clear_error_and_nothing_is_made(
    settings, tmp_path, recipients, words
):
    settings.REPORT_RECIPIENTS = recipients
    target = tmp_path / "q2.xlsx"
    with pytest.raises(CommandError, match=words):
        run(*Q2, "--mail", "--output", str(target))
    assert not target.exists()
    assert not ReportRun.objects.exists() and not ReportMailing.objects.exists()
    assert mail.outbox == []


def test_force_without_mail_and_no_output_are_refused():
    with pytest.raises(CommandError, match="--force only goes with --mail"):
        run(*Q2, "--force", "--output", "x.xlsx")
    with pytest.raises(CommandError, match="Give --output"):
        run(*Q2)
    assert not ReportRun.objects.exists()


def test_mail_with_output_writes_the_same_file_it_mails(tmp_path):
    target = tmp_path / "q2.xlsx"
    lines = run(*Q2, "--mail", "--output", str(target))
    stored = ReportRun.objects.get()
    assert lines[:2] == [str(target.resolve()), f"SHA-256 {stored.sha256}"]
    assert target.read_bytes() == bytes(stored.content) == mail.outbox[0].attachments[0][1]


def test_a_failed_send_gives_its_claim_up_so_the_next_run_mails(settings):
    mailers = settings.MAILERS
    use_mailer(settings, RefusingBackend)
    with pytest.raises(CommandError, match="Could not mail the report: mail server down"):
        run(*Q2, "--mail")
    assert not ReportMailing.objects.exists()
    # The report that was made stays among the stored reports, as made; it was not mailed.
    assert ReportRun.objects.count() == 1
    settings.MAILERS = mailers
    run(*Q2, "--mail")
    assert len(mail.outbox) == 1
    mailing = ReportMailing.objects.get()
    assert mailing.sent_at is not None and mailing.run == ReportRun.objects.latest("pk")


def test_a_failure_to_write_the_output_gives_the_claim_up(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("")
    with pytest.raises(CommandError, match="Cannot write"):
        run(*Q2, "--mail", "--output", str(blocker / "q2.xlsx"))
    assert not ReportMailing.objects.exists() and not ReportRun.objects.exists()
    assert mail.outbox == []


def claim(created_at) -> ReportMailing:
    return ReportMailing.objects.create(
        period_start=date(2023, 4, 1), period_end=date(2023, 6, 30), language="fi",
        recipients="hallitus@example.fi", created_at=created_at,
    )


def test_a_claim_of_a_run_still_going_is_left_to_it(time_machine):
    claim(timezone.now() - timedelta(minutes=10))
    lines = run(*Q2, "--mail")
    assert lines == [
        (
            "The report is being mailed by another run since 13.5.2026 11:50; nothing was "
            "made or mailed. Give --force to mail it again."
        )
    ]
    assert mail.outbox == [] and not ReportRun.objects.exists()


def test_a_stale_claim_of_a_killed_run_expires():
    stale = claim(timezone.now() - ReportMailing.CLAIM_EXPIRES - timedelta(minutes=1))
    run(*Q2, "--mail")
    assert len(mail.outbox) == 1
    mailing = ReportMailing.objects.get()
    assert mailing.pk != stale.pk and mailing.sent_at is not None


def test_the_pdf_is_attached_when_the_run_has_one():
    pdf = b"%PDF-1.7 board summary"
    made = ReportRunFactory(
        language="en", pdf=pdf, pdf_sha256=hashlib.sha256(pdf).hexdigest(), pdf_size=len(pdf)
    )
    mailing = services.report_mail(
        period=Period(date(2023, 4, 1), date(2023, 6, 30)),
        language="en",
        recipients=BOARD,
        make=lambda: made,
    )
    assert mailing.run == made
    [message] = mail.outbox
    assert [(name, mimetype) for name, _content, mimetype in message.attachments] == [
        ("salkku-report-2023-Q2-en.xlsx", XLSX),
        ("salkku-report-2023-Q2-en.pdf", "application/pdf"),
    ]
    assert message.attachments[1][1] == pdf
    assert f"SHA-256 {made.pdf_sha256}" in message.body


def test_the_narrative_is_in_the_mail(tmp_path):
    highlights = tmp_path / "h.txt"
    highlights.write_text("Three consortia formed.\n", encoding="utf-8")
    run(*Q2, "--lang", "en", "--mail", "--highlights", str(highlights))
    body = mail.outbox[0].body
    assert "Highlights:\nThree consortia formed.\n" in body
    assert "Risks" not in body


def test_a_mailed_report_cannot_be_deleted():
    run(*Q2, "--mail")
    with pytest.raises(ProtectedError):
        ReportRun.objects.get().delete()
