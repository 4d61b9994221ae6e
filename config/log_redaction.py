"""Secrets out of log lines: calendar feed keys in paths, and token-like query values.

A calendar feed's address is its only key (calendar clients cannot log in), so an access log
or a "Not Found: /calendar/feed/…" warning holding it would let anyone who reads the logs
subscribe. Used by the gunicorn access log (config.gunicorn_logging) and by Django's own
request logging (the ``redact_secrets`` filter in settings.LOGGING). Plain Python, so
gunicorn can load it before Django is set up.
"""

from __future__ import annotations

import logging
import re

REDACTED = "[redacted]"

# /calendar/feed/<secret>.ics and /calendar/feed/<secret>/<category>.ics, also percent-encoded
# (a path quoted in a query string or a Referer). Everything after "feed/" up to the next
# separator goes, so a guess or a mistyped key is hidden as well as a real one.
_FEED_PATH = re.compile(
    r"(?P<head>(?:/|%2F)calendar(?:/|%2F)feed(?:/|%2F))(?P<secret>[^/?#&\s\"']+?)"
    r"(?P<tail>\.ics)?(?=$|[/?#&\s\"']|%2F|%3F)",
    re.IGNORECASE,
)
# Query parameters whose names say they carry a secret.
_SECRET_NAMES = r"[^=&\s\"'#]*(?:token|key|secret|passw|signature|sig|auth|session|code|state)[^=&\s\"'#]*"
_NAMED_SECRET = re.compile(
    rf"(?P<name>[?&;]{_SECRET_NAMES}=)(?P<value>[^&\s\"'#]*)", re.IGNORECASE
)
# Any query value that looks like a generated token: a long run of base64url or hex
# characters, whatever its parameter is called.
_TOKEN_VALUE = re.compile(r"(?P<name>[?&;][^=&\s\"'#]*=)(?P<value>[A-Za-z0-9_\-.~%]{20,})(?=$|[&\s\"'#])")

# Headers and environ entries that carry credentials, whatever their value looks like.
SECRET_HEADERS = frozenset({"authorization", "proxy-authorization", "cookie", "set-cookie", "x-api-key"})


def redact(text: str) -> str:
    """``text`` with feed keys and token-like query values replaced by ``[redacted]``."""
    if not text:
        return text
    text = _FEED_PATH.sub(lambda m: f"{m['head']}{REDACTED}{m['tail'] or ''}", text)
    text = _NAMED_SECRET.sub(lambda m: f"{m['name']}{REDACTED}", text)
    return _TOKEN_VALUE.sub(
        lambda m: m[0] if m["value"] == REDACTED else f"{m['name']}{REDACTED}", text
    )


def redact_query(query: str) -> str:
    """A bare query string (no leading ``?``), redacted as a URL's would be."""
    if not query:
        return query
    return redact(f"?{query}")[1:]


class RedactSecretsFilter(logging.Filter):
    """Rewrites a record's message (and its traceback) without feed keys or tokens.

    Django's ``django.request`` and ``django.server`` loggers write the path of every 404 and
    500 ("Not Found: /calendar/feed/…"); the message is formatted here, redacted, and its
    arguments dropped, so no handler sees the secret.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # noqa: BLE001 -- a broken record is the handler's to report, not this filter's
            return True
        record.msg = redact(message)
        record.args = ()
        if record.exc_info and not record.exc_text:
            record.exc_text = redact(logging.Formatter().formatException(record.exc_info))
        elif record.exc_text:
            record.exc_text = redact(record.exc_text)
        return True
