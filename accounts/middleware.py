"""Signs out a session past its limits (accounts.sessions) and keeps its record current."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth import SESSION_KEY, logout
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from accounts import services, sessions


class SessionLimitsMiddleware:
    """A signed-in request whose session has been idle too long, or is older than the
    absolute limit, goes on as anonymous: the page sends the user to the login page, which
    says why. It reads only the session the request has loaded anyway; it writes at most
    once a minute per session."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        session = getattr(request, "session", None)
        # The user is read before the limits: a session whose password has changed since is
        # already anonymous, and its record is left to the listing to skip.
        if session is not None and session.get(SESSION_KEY) and request.user.is_authenticated:
            now = timezone.now()
            reason = sessions.expiry_reason(session, now)
            if reason:
                logout(request)
                # Messages travel in a cookie first, so the flushed session does not lose it.
                messages.warning(request, sessions.reason_text(reason))
            else:
                services.session_seen(request=request, now=now)
        return self.get_response(request)
