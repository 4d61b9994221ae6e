"""No log line carries a calendar feed key or a token: gunicorn's access log (the Procfile's
logger class) and Django's own request logging."""

import io
import logging
import sys
from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.test import Client
from django.test.client import ClientHandler
from gunicorn.config import Config

from config.gunicorn_logging import RedactingLogger
from config.log_redaction import RedactSecretsFilter, redact
from tests.factories import UserFactory
from vuosikello.services import feed_token_for

pytestmark = pytest.mark.django_db

API_TOKEN = "0123456789abcdef" * 4  # a knox token looks like this: 64 hex characters


def procfile_logger(tmp_path, log_format: str | None = None) -> tuple[RedactingLogger, object]:
    """The web process's logger as the Procfile configures it, writing to a file."""
    cfg = Config()
    log_file = tmp_path / "access.log"
    cfg.set("accesslog", str(log_file))
    cfg.set("errorlog", str(log_file))
    cfg.set("logger_class", "config.gunicorn_logging.RedactingLogger")
    if log_format:
        cfg.set("access_log_format", log_format)
    assert cfg.logger_class is RedactingLogger
    return cfg.logger_class(cfg), log_file


def serve(path: str, query: str = "", headers: dict[str, str] | None = None):
    """Run one request through the WSGI application; the environ and the response, as
    gunicorn hands them to its logger."""
    environ = {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": path,
        "QUERY_STRING": query,
        "RAW_URI": f"{path}?{query}" if query else path,
        "SERVER_PROTOCOL": "HTTP/1.1",
        "SERVER_NAME": "testserver",
        "SERVER_PORT": "80",
        "REMOTE_ADDR": "203.0.113.7",
        "HTTP_HOST": "testserver",
        "HTTP_USER_AGENT": "Calendar/1.0",
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(),
        "wsgi.errors": sys.stderr,
        "wsgi.version": (1, 0),
        "wsgi.multithread": False,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
    }
    for name, value in (headers or {}).items():
        environ[f"HTTP_{name.upper().replace('-', '_')}"] = value
    # Django's WSGI handler as the test client runs it (it keeps the test's database
    # connection open); gunicorn sees the same status and headers.
    answer = ClientHandler(enforce_csrf_checks=True)(environ)
    response = SimpleNamespace(
        status=f"{answer.status_code} {answer.reason_phrase}",
        sent=len(answer.content),
        headers=list(answer.items()),
    )
    request = SimpleNamespace(headers=[(k, v) for k, v in (headers or {}).items()])
    return environ, response, request


def test_a_feed_request_is_logged_without_its_key(tmp_path, funder_user):
    secret = feed_token_for(funder_user).secret
    logger, log_file = procfile_logger(tmp_path)
    environ, response, request = serve(
        f"/calendar/feed/{secret}.ics", "lang=fi", headers={"Referer": f"https://x/calendar/feed/{secret}/call_deadline.ics"}
    )
    assert response.status.startswith("200")
    logger.access(response, request, environ, timedelta(milliseconds=12))
    line = log_file.read_text()
    assert "GET /calendar/feed/[redacted].ics?lang=fi HTTP/1.1" in line
    assert '"https://x/calendar/feed/[redacted]/call_deadline.ics"' in line
    assert " 200 " in line
    assert secret not in line
    assert secret[:8] not in line  # not even the lookup key


def test_a_wrong_key_and_tokens_in_any_atom_are_kept_out_too(tmp_path):
    guess = "WrongKey" + "x" * 35
    # An operator's own format logging the path, query, URI and credential headers.
    logger, log_file = procfile_logger(
        tmp_path,
        '%(r)s|%(U)s|%(q)s|%({raw_uri}e)s|%({authorization}i)s|%({cookie}i)s|%({http_authorization}e)s|%(s)s',
    )
    environ, response, request = serve(
        f"/calendar/feed/{guess}/call_deadline.ics",
        f"lang=sv&token=short&next=/x&k={API_TOKEN}",
        headers={"Authorization": f"Token {API_TOKEN}", "Cookie": "sessionid=abcdefabcdef12345678"},
    )
    assert response.status.startswith("404")
    logger.access(response, request, environ, timedelta(milliseconds=3))
    line = log_file.read_text()
    for secret in (guess, API_TOKEN, "short", "abcdefabcdef12345678"):
        assert secret not in line
    assert line.count("[redacted]") >= 8
    assert "/calendar/feed/[redacted]/call_deadline.ics?lang=sv&token=[redacted]&next=/x" in line
    assert line.rstrip().endswith("|404")


def test_gunicorns_error_log_of_a_failed_feed_request_has_no_key(tmp_path):
    secret = "FailKey1" + "z" * 35
    logger, log_file = procfile_logger(tmp_path)
    try:
        raise RuntimeError(f"while serving /calendar/feed/{secret}.ics")
    except RuntimeError:
        # As gunicorn's worker reports a request that raised.
        logger.exception("Error handling request %s", f"/calendar/feed/{secret}.ics?lang=fi")
    text = log_file.read_text()
    assert "Error handling request /calendar/feed/[redacted].ics?lang=fi" in text
    assert "RuntimeError: while serving /calendar/feed/[redacted].ics" in text
    assert secret not in text


def test_other_lines_are_left_as_they_are(tmp_path):
    logger, log_file = procfile_logger(tmp_path)
    environ, response, request = serve("/calendar/feeds/", "year=2026&category=roadshow")
    logger.access(response, request, environ, timedelta(milliseconds=3))
    assert "GET /calendar/feeds/?year=2026&category=roadshow HTTP/1.1" in log_file.read_text()


def test_the_procfile_runs_gunicorn_with_this_logger():
    from django.conf import settings

    web = (settings.BASE_DIR / "Procfile").read_text().splitlines()[0]
    assert "--access-logfile -" in web
    assert "--logger-class config.gunicorn_logging.RedactingLogger" in web


def test_djangos_not_found_warning_has_no_feed_key(caplog, funder_user):
    secret = feed_token_for(funder_user).secret
    funder_user.groups.clear()  # the feed now answers 404, which Django logs as a warning
    with caplog.at_level(logging.WARNING, logger="django.request"):
        assert Client().get(f"/calendar/feed/{secret}.ics").status_code == 404
        assert Client().get(f"/calendar/feed/{secret}/call_deadline.ics?token={API_TOKEN}").status_code == 404
    messages = [record.getMessage() for record in caplog.records if record.name == "django.request"]
    assert messages == [
        "Not Found: /calendar/feed/[redacted].ics",
        "Not Found: /calendar/feed/[redacted]/call_deadline.ics",
    ]
    assert secret[8:] not in caplog.text


def test_a_server_errors_traceback_is_redacted_too():
    secret = "SeCrEtKeY" + "y" * 34
    try:
        raise ValueError(f"no feed for /calendar/feed/{secret}.ics")
    except ValueError:
        record = logging.LogRecord(
            "django.request", logging.ERROR, __file__, 1, "Internal Server Error: %s",
            (f"/calendar/feed/{secret}.ics",), sys.exc_info(),
        )
    RedactSecretsFilter().filter(record)
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.handle(record)
    assert secret not in stream.getvalue()
    assert "Internal Server Error: /calendar/feed/[redacted].ics" in stream.getvalue()
    assert "ValueError: no feed for /calendar/feed/[redacted].ics" in stream.getvalue()


def test_the_console_handler_carries_the_filter():
    handler = next(h for h in logging.getLogger().handlers if isinstance(h, logging.StreamHandler)
                   and any(isinstance(f, RedactSecretsFilter) for f in h.filters))
    assert handler is not None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("/calendar/feed/AbC-_123/other.ics", "/calendar/feed/[redacted]/other.ics"),
        ("/?next=%2Fcalendar%2Ffeed%2FAbC123%2Fx.ics", "/?next=%2Fcalendar%2Ffeed%2F[redacted]%2Fx.ics"),
        ("/login/?next=/ideas/&page=2", "/login/?next=/ideas/&page=2"),
        ("/api/v1/ideas/?access_token=a&api_key=b", "/api/v1/ideas/?access_token=[redacted]&api_key=[redacted]"),
        (f"/x/?anything={API_TOKEN}&q=robot", "/x/?anything=[redacted]&q=robot"),
        ("", ""),
    ],
)
def test_redact(text, expected):
    assert redact(text) == expected


def test_users_are_not_needed_for_the_logger(tmp_path):
    # A request with no user logs as '-' and does not fail.
    UserFactory()
    logger, log_file = procfile_logger(tmp_path)
    environ, response, request = serve("/healthz")
    logger.access(response, request, environ, timedelta(milliseconds=1))
    assert "GET /healthz HTTP/1.1" in log_file.read_text()
