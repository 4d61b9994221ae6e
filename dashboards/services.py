"""Every write with rules on dashboard data: generating and storing reports."""

from __future__ import annotations

import hashlib
import logging
from io import BytesIO

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from dashboards import report_pdf
from dashboards.filters import FIRST_YEAR, LAST_YEAR, Period
from dashboards.models import Narrative, ReportRun
from dashboards.reports import ReportSpec, report_data, write_report
from dashboards.selectors.report import quarter_period

logger = logging.getLogger(__name__)


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
    """Make the quarterly report for ``period`` in ``language`` and keep it as delivered:
    the workbook and, from the same figures, the PDF board pack. A server that cannot make
    PDFs (``report_pdf.pdf_problem`` says why) still makes and keeps the workbook; the run
    then has no PDF.

    Both files are built before the transaction that stores them: on SQLite a write
    transaction holds the database's one write lock, and building a large portfolio's
    report takes seconds that other writers would spend waiting.
    """
    spec = report_spec(period=period, language=language, narrative=narrative)
    data = report_data(spec)
    buffer = BytesIO()
    write_report(spec, buffer, data)
    content = buffer.getvalue()
    try:
        pdf: bytes | None = report_pdf.write_pdf(spec, data)
    except report_pdf.PdfUnavailable as exc:
        logger.warning("Report %s made without its PDF: %s", spec.period_label, exc)
        pdf = None
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
        pdf=pdf,
        pdf_sha256=hashlib.sha256(pdf).hexdigest() if pdf is not None else "",
        pdf_size=len(pdf) if pdf is not None else None,
        highlights=narrative.highlights,
        risks=narrative.risks,
        plans=narrative.plans,
    )
    with transaction.atomic():
        run.full_clean()
        run.save()
    return run
