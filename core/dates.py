"""Days as the site's time zone (Helsinki) sees them."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Func, IntegerField


def end_of_day(day: date) -> datetime:
    """The first instant after ``day`` ends in the site's time zone (Helsinki)."""
    return datetime.combine(day + timedelta(days=1), time.min, tzinfo=ZoneInfo(settings.TIME_ZONE))


class WholeDays(Func):
    """Whole days (24 hours) from the second datetime to the first, rounded down, in the
    database.

    SQLite's julianday() difference is rounded to the second first: the floating-point
    fraction would otherwise turn exactly 60 days into 59.
    """

    arity = 2
    output_field = IntegerField()

    def as_sql(self, compiler, connection, **extra):
        return super().as_sql(
            compiler,
            connection,
            template="CAST(EXTRACT(DAY FROM (%(expressions)s)) AS INTEGER)",
            arg_joiner=" - ",
            **extra,
        )

    def as_sqlite(self, compiler, connection, **extra):
        return super().as_sql(
            compiler,
            connection,
            template="(CAST(ROUND((julianday(%(expressions)s)) * 86400) AS INTEGER) / 86400)",
            arg_joiner=") - julianday(",
            **extra,
        )
