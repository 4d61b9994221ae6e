"""Limits of a signed-in session and how a session is described to its user.

A session ends when it has seen no request for ``SESSION_IDLE_MINUTES`` or when it is
``SESSION_MAX_HOURS`` old, counted from the login. Both moments are kept in the session
itself, so checking them costs nothing beyond the session the request loads anyway.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import datetime, timedelta
from importlib import import_module
from typing import Literal

from django.conf import settings
from django.contrib.sessions.backends.base import SessionBase
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

# POSIX timestamps in the session: when the user logged in, and when the session was last
# seen (refreshed at most every SEEN_EVERY, so an ordinary request writes nothing).
LOGIN_AT = "salkku_login_at"
SEEN_AT = "salkku_seen_at"
SEEN_EVERY = timedelta(minutes=1)

Reason = Literal["idle", "max_age"]


def idle_limit() -> timedelta | None:
    minutes = settings.SESSION_IDLE_MINUTES
    return timedelta(minutes=minutes) if minutes > 0 else None


def max_age() -> timedelta | None:
    hours = settings.SESSION_MAX_HOURS
    return timedelta(hours=hours) if hours > 0 else None


def expiry_reason(data: Mapping, now: datetime) -> Reason | None:
    """Why the session whose data is ``data`` has ended at ``now``, or None while it is on.
    A session from before these moments were kept has neither and is judged from its next
    request on."""
    login_at = data.get(LOGIN_AT)
    seen_at = data.get(SEEN_AT, login_at)
    stamp = now.timestamp()
    limit = max_age()
    if limit and login_at is not None and stamp - login_at >= limit.total_seconds():
        return "max_age"
    limit = idle_limit()
    if limit and seen_at is not None and stamp - seen_at >= limit.total_seconds():
        return "idle"
    return None


def reason_text(reason: Reason) -> str:
    """What the login page says to a user whose session ended."""
    if reason == "idle":
        minutes = settings.SESSION_IDLE_MINUTES
        if minutes % 60 == 0:
            hours = minutes // 60
            return ngettext(
                "You were signed out after %(count)s hour without activity. Log in again.",
                "You were signed out after %(count)s hours without activity. Log in again.",
                hours,
            ) % {"count": hours}
        return ngettext(
            "You were signed out after %(count)s minute without activity. Log in again.",
            "You were signed out after %(count)s minutes without activity. Log in again.",
            minutes,
        ) % {"count": minutes}
    hours = settings.SESSION_MAX_HOURS
    return ngettext(
        "You were signed out because a session lasts at most %(count)s hour. Log in again.",
        "You were signed out because a session lasts at most %(count)s hours. Log in again.",
        hours,
    ) % {"count": hours}


def session_store(session_key: str | None = None) -> SessionBase:
    """The configured session store, holding ``session_key``'s session."""
    return import_module(settings.SESSION_ENGINE).SessionStore(session_key=session_key)


# (pattern, name) in the order they must be tried: Edge and Opera also say "Chrome", Chrome
# also says "Safari", Android also says "Linux", iOS also says "Mac OS X".
_BROWSERS = [
    (r"Edg(?:e|A|iOS)?/", "Edge"),
    (r"OPR/|Opera", "Opera"),
    (r"SamsungBrowser/", "Samsung Internet"),
    (r"Firefox/|FxiOS/", "Firefox"),
    (r"Chrome/|CriOS/|Chromium/", "Chrome"),
    (r"Safari/", "Safari"),
]
_SYSTEMS = [
    (r"Windows", "Windows"),
    (r"Android", "Android"),
    (r"iPhone|iPad|iPod", "iOS"),
    (r"Mac OS X|Macintosh", "macOS"),
    (r"CrOS", "ChromeOS"),
    (r"Linux", "Linux"),
]


def describe_user_agent(user_agent: str) -> str:
    """A browser and its system as a person recognises them ("Firefox on Windows") from a
    User-Agent header; enough to tell one's own devices apart, not a fingerprint."""
    browser = next((name for pattern, name in _BROWSERS if re.search(pattern, user_agent)), "")
    system = next((name for pattern, name in _SYSTEMS if re.search(pattern, user_agent)), "")
    if browser and system:
        return _("%(browser)s on %(system)s") % {"browser": browser, "system": system}
    return browser or system or _("Unknown browser")
