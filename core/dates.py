"""Days as the site's time zone (Helsinki) sees them."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings


def end_of_day(day: date) -> datetime:
    """The first instant after ``day`` ends in the site's time zone (Helsinki)."""
    return datetime.combine(day + timedelta(days=1), time.min, tzinfo=ZoneInfo(settings.TIME_ZONE))
