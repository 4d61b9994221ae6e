"""Login and logout keep the record of the user's signed-in sessions."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser
from django.http import HttpRequest

from accounts import services


def on_login(sender, request: HttpRequest, user: AbstractBaseUser, **kwargs) -> None:
    if getattr(request, "session", None) is not None:
        services.session_started(request=request, user=user)


def on_logout(sender, request: HttpRequest, user: AbstractBaseUser | None, **kwargs) -> None:
    session = getattr(request, "session", None)
    if session is not None:
        services.session_ended(session_key=session.session_key)
