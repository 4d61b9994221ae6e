"""Gunicorn's access log without secrets.

The Procfile runs ``gunicorn --logger-class config.gunicorn_logging.RedactingLogger``: every
access line is built from atoms whose paths, query strings and referers have calendar feed
keys and token-like query values replaced (config.log_redaction), and whose credential
headers are dropped, whatever ``--access-log-format`` an operator chooses. The error log's
records (a failed request is logged with its path and traceback) are redacted as well.
"""

from __future__ import annotations

from gunicorn.glogging import Logger

from config.log_redaction import (
    REDACTED,
    SECRET_HEADERS,
    RedactSecretsFilter,
    redact,
    redact_query,
)

# Atoms holding only the query string, which has no leading "?".
_QUERY_ATOMS = frozenset({"q", "{query_string}e"})


def _header_name(atom: str) -> str:
    """``{authorization}i`` → ``authorization``; ``{http_cookie}e`` → ``cookie``."""
    name = atom[1:-2] if atom.startswith("{") and atom[-2:] in ("}i", "}o", "}e") else ""
    return name.removeprefix("http_").replace("_", "-")


class RedactingLogger(Logger):
    def setup(self, cfg) -> None:
        super().setup(cfg)
        # gunicorn's error log names the request too ("Error handling request /calendar/feed/…"),
        # with the traceback: its records are redacted like Django's.
        for logger in (self.error_log, self.access_log):
            if not any(isinstance(f, RedactSecretsFilter) for f in logger.filters):
                logger.addFilter(RedactSecretsFilter())

    def atoms(self, resp, req, environ, request_time) -> dict:
        atoms = super().atoms(resp, req, environ, request_time)
        for name, value in atoms.items():
            if _header_name(name) in SECRET_HEADERS:
                atoms[name] = REDACTED
            elif isinstance(value, str):
                atoms[name] = redact_query(value) if name in _QUERY_ATOMS else redact(value)
        return atoms
