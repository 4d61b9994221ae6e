"""The API's throttles (DRF's DEFAULT_THROTTLE_CLASSES). A module of their own: DRF imports
them while it imports itself, before ``core.api`` can be imported."""

from __future__ import annotations

from django.conf import settings
from rest_framework import throttling
from rest_framework.request import Request

from core.security_log import client_address


class _RateFromSettings:
    # The rate is read from API_THROTTLE_RATES on each request (DRF reads its own once, at
    # import), and the address is the one the login limits and the security log use.

    def get_rate(self) -> str | None:
        return settings.API_THROTTLE_RATES.get(self.scope)

    def get_ident(self, request: Request) -> str:
        return client_address(request) or ""


class UserThrottle(_RateFromSettings, throttling.UserRateThrottle):
    """Requests per signed-in user, whether by token or by session."""


class AnonThrottle(_RateFromSettings, throttling.AnonRateThrottle):
    """Anonymous requests, and requests with a token that is no token, per address."""
