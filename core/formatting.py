"""How people and moments are written on lists, exports and history."""

from __future__ import annotations

from datetime import datetime

from django.contrib.auth.models import AbstractBaseUser
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _


def user_display(user: AbstractBaseUser | None) -> str:
    if user is None:
        return _("an unknown user")
    return user.get_full_name() or user.get_username()


def short_datetime(value: datetime | None) -> str:
    """Lists show d.m.Y H:i: the long admin format pushes the other columns off screen."""
    if value is None:
        return "—"
    return date_format(timezone.localtime(value), "SHORT_DATETIME_FORMAT")
