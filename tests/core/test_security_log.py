"""The security event log: logins, failed logins, lockouts, API tokens, feed key resets,
exports and report downloads, one key=value line each on logger ``salkku.security``."""

from __future__ import annotations

import json
import logging
import re

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from accounts.models import ApiToken
from core.security_log import security_event
from tests.factories import IdeaFactory, ReportRunFactory, ThemeFactory
from vuosikello.services import feed_token_for

pytestmark = pytest.mark.django_db

PASSWORD = "pw-for-tests"
LINE = re.compile(r"time=\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ event=\w+ user=\S+ ip=\S+( \w+=\S+)*")


FIELD = re.compile(r'(\w+)=("(?:[^"\\]|\\.)*"|[^ "]+)(?: |$)')


def fields(line: str) -> dict[str, str]:
    """A line's fields, as a log shipper reads them: quoted values are JSON strings."""
    assert "".join(m.group(0) for m in FIELD.finditer(line)) == line, line
    return {
        key: json.loads(value) if value.startswith('"') else value
        for key, value in FIELD.findall(line)
    }


def events(lines: list[str], event: str) -> list[dict[str, str]]:
    found = [fields(line) for line in lines]
    return [f for f in found if f["event"] == event]


def test_lines_are_one_line_key_value(security_log, rf):
    request = rf.get("/", REMOTE_ADDR="203.0.113.5")
    security_event(request, "export", user="maija", object="ideas")
    (line,) = security_log()
    assert LINE.fullmatch(line), line
    parsed = fields(line)
    assert parsed.pop("time").startswith("2026-05-13T09:00:0")  # tests.clock.NOW in UTC
    assert parsed == {
        "event": "export",
        "user": "maija",
        "ip": "203.0.113.5",
        "object": "ideas",
    }


def test_a_value_the_client_chose_cannot_forge_a_line_or_a_field(security_log, rf):
    request = rf.get("/")
    security_event(request, "login_failed", user='x" event=login\nforged=1 ' + "y" * 500)
    (line,) = security_log()
    assert "\n" not in line
    parsed = fields(line)
    assert parsed["event"] == "login_failed"
    assert "forged" not in parsed
    assert parsed["user"].startswith('x" event=login\nforged=1 yyy')
    assert len(parsed["user"]) == 200


def test_login_and_logout(security_log, manager_user):
    client = Client(REMOTE_ADDR="203.0.113.5")
    client.post(reverse("login"), {"username": manager_user.username, "password": PASSWORD})
    client.post(reverse("logout"))
    lines = security_log()
    (login,) = events(lines, "login")
    assert (login["user"], login["ip"]) == ("maija", "203.0.113.5")
    (logout,) = events(lines, "logout")
    assert (logout["user"], logout["ip"]) == ("maija", "203.0.113.5")


def test_failed_login_names_the_user_name_and_never_the_password(security_log, manager_user):
    Client(REMOTE_ADDR="203.0.113.5").post(
        reverse("login"), {"username": manager_user.username, "password": "salainen-arvaus"}
    )
    lines = security_log()
    (failed,) = events(lines, "login_failed")
    assert failed["user"] == "maija"
    assert failed["ip"] == "203.0.113.5"
    assert not any("salainen-arvaus" in line for line in lines)


def test_lockout(security_log, manager_user):
    client = Client(REMOTE_ADDR="203.0.113.5")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("login"), {"username": manager_user.username, "password": "x"})
    lines = security_log()
    assert len(events(lines, "login_failed")) == settings.AXES_FAILURE_LIMIT
    (lockout,) = events(lines, "lockout")
    assert lockout["user"] == "maija"
    assert lockout["ip"] == "203.0.113.5"


def test_api_token_made_and_revoked(security_log, manager, manager_user):
    manager.post(reverse("token-list"), {"name": "Monthly import", "days": "90"})
    token = ApiToken.objects.get(user=manager_user)
    manager.post(reverse("token-revoke", args=[token.digest]))
    lines = security_log()
    (made,) = events(lines, "api_token_created")
    assert made["user"] == "maija"
    assert made["token"] == token.token_key
    assert made["days"] == "90"
    (revoked,) = events(lines, "api_token_revoked")
    assert revoked["token"] == token.token_key
    # Only the token's public prefix: the secret itself never reaches the log.
    assert not any(token.digest in line for line in lines)


def test_feed_key_reset(security_log, funder, funder_user):
    old = feed_token_for(funder_user).secret
    funder.post(reverse("calendar-feed-reset"))
    lines = security_log()
    (reset,) = events(lines, "feed_key_reset")
    assert reset["user"] == "fanni"
    assert not any(old in line for line in lines)


def test_exports(security_log, manager):
    IdeaFactory()
    theme = ThemeFactory()
    assert manager.get(reverse("idea-export"), {"stage": "idea"}).status_code == 200
    assert manager.get(reverse("event-outcomes-export")).status_code == 200
    assert manager.get(reverse("theme-export", args=[theme.slug])).status_code == 200
    assert manager.get(reverse("dashboard-download", args=["balance"])).status_code == 200
    exported = {(e["object"], e["user"]) for e in events(security_log(), "export")}
    assert exported == {
        ("ideas", "maija"),
        ("event_outcomes", "maija"),
        (f"theme:{theme.slug}", "maija"),
        ("dashboard:balance", "maija"),
    }


def test_report_downloads(security_log, funder):
    run = ReportRunFactory(with_pdf=True)
    assert funder.get(reverse("report-download", args=[run.pk])).status_code == 200
    assert funder.get(reverse("report-pdf-download", args=[run.pk])).status_code == 200
    downloads = events(security_log(), "report_download")
    assert [(d["object"], d["file"]) for d in downloads] == [
        (f"report:{run.pk}", run.filename),
        (f"report:{run.pk}", run.pdf_filename),
    ]
    assert {d["user"] for d in downloads} == {"fanni"}


def test_the_log_goes_to_stderr_by_itself():
    config = settings.LOGGING
    logger = config["loggers"]["salkku.security"]
    assert logger["propagate"] is False
    (handler,) = logger["handlers"]
    assert config["handlers"][handler]["class"] == "logging.StreamHandler"
    assert "stream" not in config["handlers"][handler]  # StreamHandler's default: stderr
    assert logging.getLogger("salkku.security").getEffectiveLevel() == logging.INFO
