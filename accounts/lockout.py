"""The page a locked-out login gets (django-axes' ``AXES_LOCKOUT_CALLABLE``)."""

from __future__ import annotations

import math
from typing import Any

from axes.helpers import get_cool_off
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone


def lockout_response(
    request: HttpRequest, original_response: HttpResponse | None = None, credentials: Any = None
) -> HttpResponse:
    """Too many failed logins: when to try again, in the site's own page, as 429 with
    Retry-After. The lock lasts the cool-off from the latest failure, and this attempt was
    one (a failure while locked starts the wait again), so the time is counted from now."""
    cool_off = get_cool_off(request)
    context = {}
    if cool_off:
        started = getattr(request, "axes_attempt_time", None) or timezone.now()
        context = {
            "until": started + cool_off,
            "minutes": max(1, math.ceil(cool_off.total_seconds() / 60)),
        }
    response = render(request, "registration/locked_out.html", context, status=429)
    if cool_off:
        response["Retry-After"] = str(math.ceil(cool_off.total_seconds()))
    response["Cache-Control"] = "no-store"
    return response
