"""Every write with rules on dashboard data: generating and storing reports, and the plan's
targets with the values entered for them."""

from __future__ import annotations

import hashlib
from io import BytesIO

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from dashboards.filters import FIRST_YEAR, LAST_YEAR, Period
from dashboards.models import ManualValue, Narrative, ReportRun, Target
from dashboards.reports import ReportSpec, report_data, write_report
from dashboards.selectors.report import quarter_period


def report_spec(
    *, period: Period, language: str, narrative: Narrative = Narrative()
) -> ReportSpec:
    """The report to make for ``period``, refused in words when it cannot be made. A period
    that is exactly a calendar quarter is named as that quarter."""
    if language not in dict(settings.LANGUAGES):
        raise ValidationError(
            {"language": _("Choose the report's language: %(choices)s.")
             % {"choices": ", ".join(dict(settings.LANGUAGES))}}
        )
    errors = {}
    for name, day in (("start", period.start), ("end", period.end)):
        if not FIRST_YEAR <= day.year <= LAST_YEAR:
            errors[name] = _("Choose a day between the years %(first)s and %(last)s.") % {
                "first": FIRST_YEAR, "last": LAST_YEAR,
            }
    if errors:
        raise ValidationError(errors)
    if period.end < period.start:
        raise ValidationError({"end": _("The end of the period cannot be before its start.")})
    today = timezone.localdate()
    if period.end > today:
        # A report of a period still running would change after it was delivered.
        raise ValidationError(
            {"end": _("A report covers a period that has ended: choose an end day no later "
                      "than today (%(today)s).")
             % {"today": date_format(today, "SHORT_DATE_FORMAT")}}
        )
    year, quarter = period.start.year, (period.start.month - 1) // 3 + 1
    if quarter_period(year, quarter) == period:
        return ReportSpec(period, language, year, quarter, narrative)
    return ReportSpec(period, language, narrative=narrative)


def report_generate(
    *,
    period: Period,
    language: str,
    by: AbstractBaseUser | None,
    narrative: Narrative = Narrative(),
) -> ReportRun:
    """Make the quarterly report for ``period`` in ``language`` and keep it as delivered.

    The workbook is built before the transaction that stores it: on SQLite a write
    transaction holds the database's one write lock, and building a large portfolio's
    report takes seconds that other writers would spend waiting.
    """
    spec = report_spec(period=period, language=language, narrative=narrative)
    data = report_data(spec)
    buffer = BytesIO()
    write_report(spec, buffer, data)
    content = buffer.getvalue()
    run = ReportRun(
        kind=ReportRun.Kind.QUARTERLY,
        period_start=spec.period.start,
        period_end=spec.period.end,
        year=spec.year,
        quarter=spec.quarter,
        language=language,
        created_by=by,
        content=content,
        sha256=hashlib.sha256(content).hexdigest(),
        size=len(content),
        highlights=narrative.highlights,
        risks=narrative.risks,
        plans=narrative.plans,
    )
    with transaction.atomic():
        run.full_clean()
        run.save()
    return run


# --- targets against the plan ------------------------------------------------------------


@transaction.atomic
def target_save(*, target: Target, by: AbstractBaseUser | None) -> Target:
    """Record a new target of the plan or change one (the rules: ``Target`` and its
    constraints)."""
    target.name = target.name.strip()
    target.full_clean()
    target.save()
    return target


@transaction.atomic
def target_delete(*, target: Target, by: AbstractBaseUser | None) -> None:
    """Remove a target from the plan, with the values entered for it."""
    target.delete()


@transaction.atomic
def manual_value_save(*, value: ManualValue, by: AbstractBaseUser | None) -> ManualValue:
    """Record an entered indicator's value for one period, or change one (the rules:
    ``ManualValue.clean`` and its constraints)."""
    value.note = value.note.strip()
    # The indicator's row locked first, so two overlapping periods saved at the same moment
    # cannot both pass the overlap check (on PostgreSQL; SQLite writes one at a time).
    Target.objects.select_for_update().filter(pk=value.target_id).first()
    value.full_clean()
    value.save()
    return value


@transaction.atomic
def manual_value_delete(*, value: ManualValue, by: AbstractBaseUser | None) -> None:
    value.delete()
