"""Login limits (django-axes) as the first authentication backend."""

from __future__ import annotations

from typing import Any

from axes.backends import AxesStandaloneBackend
from django.http import HttpRequest


class LoginLimitBackend(AxesStandaloneBackend):
    """Refuses a login while its user name or address is locked out; the next backend
    checks the password. A login with no request (``manage.py`` commands, the test client's
    ``login``) does not come from the web and has no address to count, so it passes here
    instead of failing; every web login (the login page, the admin's) has its request."""

    def authenticate(self, request: HttpRequest | None, *args: Any, **kwargs: Any) -> None:
        if request is None:
            return None
        return super().authenticate(request, *args, **kwargs)
