"""Security events as one structured line each, for the operator to ship to their log system.

Logger ``salkku.security`` (stderr by default, see LOGGING): logins, failed logins and
lockouts, API tokens made and revoked, calendar feed keys renewed, exports and report
downloads. A line reads::

    time=2026-05-13T09:00:00Z event=export user=maija ip=203.0.113.5 object=ideas

Who (the user name, nothing else about the person), what, when (UTC) and from where (the
client's address, see ``client_address``). Values a client chooses, such as the user name of
a failed login, are quoted and escaped, so no value can forge a line or a field.
"""

from __future__ import annotations

import ipaddress
import json
import logging
import re
from datetime import UTC, datetime
from typing import Any

from django.conf import settings
from django.http import HttpRequest

logger = logging.getLogger("salkku.security")

# A value of these characters needs no quotes; any other is written as a JSON string.
_BARE = re.compile(r"[A-Za-z0-9_.:/@+\-]+")
# A value is cut here: a user name typed into a login form may be anything, of any length.
_MAX_VALUE = 200


def _ip(text: str) -> str | None:
    """``text`` as an IP address, a port after it (``1.2.3.4:5678``, ``[::1]:80``) dropped;
    None when it is no address."""
    text = text.strip()
    candidates = [text]
    if text.startswith("[") and "]" in text:
        candidates.append(text[1 : text.index("]")])
    elif text.count(":") == 1:
        candidates.append(text.split(":")[0])
    for candidate in candidates:
        try:
            return str(ipaddress.ip_address(candidate))
        except ValueError:
            continue
    return None


def client_address(request: HttpRequest) -> str | None:
    """The client's address: the one ``TRUSTED_PROXY_COUNT`` places from the right of
    X-Forwarded-For (each trusted proxy appends the address it was reached from), or the
    connection's own address when there are no proxies or no header.

    Login limits (django-axes' ``AXES_CLIENT_IP_CALLABLE``), API throttles and the security
    log all use it, so they agree on who the client is. What is left of the header is
    whatever the client sent, and never read."""
    remote = _ip(request.META.get("REMOTE_ADDR", "") or "")
    proxies = settings.TRUSTED_PROXY_COUNT
    forwarded = [
        part for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()
    ]
    if proxies <= 0 or not forwarded:
        return remote
    # Fewer addresses than proxies: the request came past the outer proxy; the leftmost is
    # as near the client as is known.
    return _ip(forwarded[-min(proxies, len(forwarded))]) or remote


def _value(value: Any) -> str:
    if value is None or value == "":
        return "-"
    if isinstance(value, datetime):
        value = value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    text = str(value)[:_MAX_VALUE]
    return text if _BARE.fullmatch(text) else json.dumps(text)


def security_event(
    request: HttpRequest | None, event: str, *, user: Any = None, **fields: Any
) -> None:
    """Log ``event`` as one line. ``user`` is the user or the user name it concerns, by
    default the request's signed-in user; ``fields`` name the object (``object=``, ``key=``…),
    never anything personal about anyone."""
    if user is None and request is not None:
        user = getattr(request, "user", None)
    if user is not None and not isinstance(user, str):
        user = user.get_username() if getattr(user, "is_authenticated", False) else None
    line = {
        "time": datetime.now(UTC),
        "event": event,
        "user": user,
        "ip": client_address(request) if request is not None else None,
        **fields,
    }
    logger.info(" ".join(f"{key}={_value(value)}" for key, value in line.items()))
