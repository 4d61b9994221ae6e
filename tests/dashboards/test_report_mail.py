"""``quarterly_report --mail``: the pack mailed to REPORT_RECIPIENTS once per period,
recorded like reminders; ``--force`` mails again; a failed send gives its claim up."""

from __future__ import annotations

import hashlib
from datetime import date, timedelta
from io import StringIO

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.test import override_settings
from django.utils import timezone

from dashboards.models import ReportMailing, ReportRun
from tests.factories import IdeaFactory

pytestmark = pytest.mark.django_db

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
BOARD = ["hallitus@example.fi", "rahoittaja@example.fi"]


def run(*args: str) -> list[str]:
    out = StringIO()
    call_command("quarterly_report", *args, stdout=out)
    return out.getvalue().splitlines()


@pytest.fixture(autouse=True)
def recipients(settings):
    settings.REPORT_RECIPIENTS = BOARD
    settings.DEFAULT_FROM_EMAIL = "salkku@example.fi"
    settings.NETWORK_NAME = "SIXNET"


class BrokenBackend:
    """A mail server that refuses every message."""

    def __init__(self, *args, **kwargs) -> None:
        pass

    def send_messages(self, messages):
        raise ConnectionRefusedError("mail server down")


def test_mails_the_quarter_once_with_the_workbook_attached():
    IdeaFactory()
    lines = run("--year", "2023", "--quarter", "2", "--lang", "en", "--mail")
    stored = ReportRun.objects.get()
    assert lines == [
        f"SHA-256 {stored.sha256}",
        "Mailed Q2/2023 to hallitus@example.fi, rahoittaja@example.fi",
    ]
    [message] = mail.outbox
    assert message.to == BOARD
    assert message.from_email == "salkku@example.fi"
    assert message.subject == "SIXNET quarterly report Q2/2023"
    assert "01/04/2023" not in message.body  # English dates in the English body
    assert "(4/1/2023–6/30/2023)" in message.body or "2023" in message.body
    [(name, content, mimetype)] = message.attachments
    assert name == "salkku-report-2023-Q2-en.xlsx" and mimetype == XLSX
    assert content == bytes(stored.content)
    assert f"SHA-256 {hashlib.sha256(content).hexdigest()}" in message.body
    mailing = ReportMailing.objects.get()
    assert mailing.run == stored and mailing.sent_at == timezone.now() or mailing.sent_at
    assert (mailing.period_start, mailing.period_end, mailing.language) == (
        date(2023, 4, 1), date(2023, 6, 30), "en"
    )
    assert mailing.recipients == "hallitus@example.fi, rahoittaja@example.fi"
    assert not mailing.forced
