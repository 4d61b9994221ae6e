"""What signing in and out records: the user's signed-in sessions (connected in
AccountsConfig.ready) and the security log's lines for logins, failed logins, logouts and
lockouts (core.security_log)."""

from __future__ import annotations

from typing import Any

from axes.signals import user_locked_out
from django.contrib.auth.models import AbstractBaseUser
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver
from django.http import HttpRequest

from accounts import services
from core.security_log import security_event


def on_login(sender, request: HttpRequest, user: AbstractBaseUser, **kwargs) -> None:
    if getattr(request, "session", None) is not None:
        services.session_started(request=request, user=user)


def on_logout(sender, request: HttpRequest, user: AbstractBaseUser | None, **kwargs) -> None:
    session = getattr(request, "session", None)
    if session is not None:
        services.session_ended(session_key=session.session_key)


@receiver(user_logged_in, dispatch_uid="security-log-login")
def log_login(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    security_event(request, "login", user=user.get_username())


@receiver(user_logged_out, dispatch_uid="security-log-logout")
def log_logout(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    if user is not None:
        security_event(request, "logout", user=user.get_username())


@receiver(user_login_failed, dispatch_uid="security-log-login-failed")
def log_login_failed(
    sender: Any, credentials: dict, request: Any = None, **kwargs: Any
) -> None:
    # Django has already masked the password in ``credentials``; only the name is logged.
    security_event(request, "login_failed", user=credentials.get("username") or "")


@receiver(user_locked_out, dispatch_uid="security-log-lockout")
def log_lockout(sender: Any, request: Any, username: str | None = None, **kwargs: Any) -> None:
    security_event(request, "lockout", user=username or "")
