"""Every write with rules on dashboard data: generating, storing and mailing reports, and
the plan's targets with the values entered for them."""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable
from io import BytesIO

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from core.background import Progress, run_work, work_requeue, work_set_task
from dashboards import report_pdf
from dashboards.filters import FIRST_YEAR, LAST_YEAR, Period
from dashboards.models import (
    NARRATIVE_FIELDS,
    NARRATIVE_MAX_LENGTH,
    NO_NARRATIVE,
    ManualValue,
    Narrative,
    ReportMailing,
    ReportRequest,
    ReportRun,
    Target,
    narrative_too_long,
)
from dashboards.reports import ReportSpec, report_data, write_report
from dashboards.selectors.report import quarter_period

logger = logging.getLogger(__name__)


def report_spec(
    *, period: Period, language: str, narrative: Narrative = NO_NARRATIVE
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
    for name in NARRATIVE_FIELDS:
        if len(getattr(narrative, name)) > NARRATIVE_MAX_LENGTH:
            errors[name] = str(narrative_too_long())
    if errors:
        raise ValidationError(errors)
    if period.end < period.start:
        raise ValidationError({"end": _("The end of the period cannot be before its start.")})
    today = timezone.localdate()
    if period.end >= today:
        # A report of a period still running would change after it was delivered; today is
        # still running too (its events and decisions may yet be entered).
        raise ValidationError(
            {"end": _("A report covers a period that has ended: %(period)s ends on %(end)s; "
                      "choose an end day before today.")
             % {"period": "–".join(date_format(day, "SHORT_DATE_FORMAT")
                                   for day in (period.start, period.end)),
                "end": date_format(period.end, "SHORT_DATE_FORMAT")}}
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
    narrative: Narrative = NO_NARRATIVE,
    progress: Progress | None = None,
) -> ReportRun:
    """Make the quarterly report for ``period`` in ``language`` and keep it as delivered:
    the workbook and, from the same figures, the PDF board pack. A server that cannot make
    PDFs (``report_pdf.pdf_problem`` says why) still makes and keeps the workbook; the run
    then has no PDF.

    Both files are built before the transaction that stores them: on SQLite a write
    transaction holds the database's one write lock, and building a large portfolio's
    report takes seconds that other writers would spend waiting.
    """
    step = progress or (lambda number, label: None)
    spec = report_spec(period=period, language=language, narrative=narrative)
    step(0, _("Counting the figures"))
    data = report_data(spec)
    step(1, _("Writing the workbook"))
    buffer = BytesIO()
    write_report(spec, buffer, data)
    content = buffer.getvalue()
    step(2, _("Drawing the PDF"))
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
    step(3, _("Storing the report"))
    with transaction.atomic():
        run.full_clean()
        run.save()
    return run


# The steps ``report_generate`` reports through ``progress``.
REPORT_STEPS = 4


class ReportAlreadyQueued(Exception):
    """The same report is already being made for the user: ``request`` is that one."""

    def __init__(self, request: ReportRequest) -> None:
        super().__init__(request)
        self.request = request


@transaction.atomic
def report_request(
    *,
    period: Period,
    language: str,
    by: AbstractBaseUser,
    narrative: Narrative = NO_NARRATIVE,
) -> ReportRequest:
    """Ask for the report of ``period`` in ``language`` to be made in the background, and
    enqueue the task that makes it (in the same transaction: both are kept or neither).
    What the form says is checked here, so a report that cannot be made is refused at once
    with ``ValidationError``. The same report already queued or being made for ``by``
    raises ``ReportAlreadyQueued`` (a double click): one task, never two."""
    spec = report_spec(period=period, language=language, narrative=narrative)
    request = ReportRequest(
        period_start=spec.period.start,
        period_end=spec.period.end,
        language=language,
        highlights=narrative.highlights,
        risks=narrative.risks,
        plans=narrative.plans,
        created_by=by,
        steps=REPORT_STEPS,
    )
    try:
        with transaction.atomic():
            request.save()
    except IntegrityError:
        # The partial unique constraint: the same report is queued or running for ``by``.
        raise ReportAlreadyQueued(
            ReportRequest.objects.active().get(
                created_by=by, period_start=spec.period.start, period_end=spec.period.end,
                language=language,
            )
        ) from None
    _report_enqueue(request)
    return request


@transaction.atomic
def report_retry(*, request: ReportRequest, by: AbstractBaseUser) -> bool:
    """Queue a failed report once more; False (nothing queued) when it had not failed, as
    when a second click or another tab already queued it."""
    if not work_requeue(ReportRequest, request.pk):
        return False
    _report_enqueue(request)
    return True


def _report_enqueue(request: ReportRequest) -> None:
    # Imported here: the task module imports this one.
    from dashboards.tasks import make_report

    result = make_report.enqueue(request.pk)
    work_set_task(request, result.id)


def report_make_queued(pk: int) -> str:
    """Make the report of the queued ``ReportRequest`` ``pk`` (the task's body)."""

    def make(request: ReportRequest, progress: Progress) -> dict:
        period = Period(request.period_start, request.period_end)
        run = report_generate(
            period=period, language=request.language, by=request.created_by,
            narrative=request.narrative, progress=progress,
        )
        return {"run": run}

    return run_work(ReportRequest, pk, make)


PDF = "application/pdf"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class ReportAlreadyMailed(Exception):
    """The period's report was mailed, or is being mailed by another run: ``mailing`` says
    when and to whom."""

    def __init__(self, mailing: ReportMailing) -> None:
        super().__init__(mailing)
        self.mailing = mailing


def report_mail(
    *,
    period: Period,
    language: str,
    recipients: list[str],
    make: Callable[[], ReportRun],
    force: bool = False,
) -> ReportMailing:
    """Mail the report of ``period`` in ``language`` to ``recipients``, once per period.

    ``make`` makes the report (``report_generate``, and whatever else the caller does with
    it); it is called only once the period is claimed, so a rerun makes no second report.
    No transaction is open while the report is made and mailed: a slow mail server would
    otherwise hold the database's write lock. The period is first claimed — recorded unsent
    and committed — then the report made and mailed, then recorded sent. A period mailed
    before, or claimed by a run still going, raises ReportAlreadyMailed unless ``force``; a
    failure of any step gives the claim up, so the next run tries again. Never call it
    inside a transaction.
    """
    if not recipients:
        raise ValidationError(_("Give at least one address to mail the report to."))
    spec = report_spec(period=period, language=language)
    mailing = _report_mailing_claim(
        kind=ReportRun.Kind.QUARTERLY,
        period=spec.period,
        language=language,
        recipients=recipients,
        force=force,
    )
    try:
        run = make()
        _report_mailing_attach(mailing=mailing, run=run)
        _report_mail_send(run=run, recipients=mailing.recipient_list)
    except BaseException:
        # Whatever stopped it, the report is not recorded sent: the next run tries again.
        _report_mailing_release(mailing=mailing)
        raise
    return _report_mailing_mark_sent(mailing=mailing)


@transaction.atomic(durable=True)
def _report_mailing_claim(
    *, kind: str, period: Period, language: str, recipients: list[str], force: bool
) -> ReportMailing:
    now = timezone.now()
    mailings = ReportMailing.objects.of_period(
        kind=kind, start=period.start, end=period.end, language=language
    )
    # A claim whose run ended without recording the mail sent is given up, and made again.
    mailings.abandoned(now=now).delete()
    if not force:
        previous = mailings.held(now=now).first()
        if previous is not None:
            raise ReportAlreadyMailed(previous)
    try:
        with transaction.atomic():
            return ReportMailing.objects.create(
                kind=kind,
                period_start=period.start,
                period_end=period.end,
                language=language,
                recipients=", ".join(recipients),
                forced=force,
            )
    except IntegrityError:
        # Another run claimed the period between the read above and this write.
        raise ReportAlreadyMailed(mailings.held(now=now).first()) from None


@transaction.atomic(durable=True)
def _report_mailing_attach(*, mailing: ReportMailing, run: ReportRun) -> None:
    ReportMailing.objects.filter(pk=mailing.pk).update(run=run, updated_at=timezone.now())
    mailing.run = run


@transaction.atomic(durable=True)
def _report_mailing_release(*, mailing: ReportMailing) -> None:
    ReportMailing.objects.filter(pk=mailing.pk, sent_at__isnull=True).delete()


@transaction.atomic(durable=True)
def _report_mailing_mark_sent(*, mailing: ReportMailing) -> ReportMailing:
    now = timezone.now()
    ReportMailing.objects.filter(pk=mailing.pk).update(sent_at=now, updated_at=now)
    mailing.sent_at = now
    return mailing


def _report_mail_send(*, run: ReportRun, recipients: list[str]) -> None:
    """The report's workbook and, when it has one, its PDF, with a few words in the report's
    own language (not the language of whoever runs the command)."""
    with translation.override(run.language):
        subject = _("%(network)s quarterly report %(period)s") % {
            "network": settings.NETWORK_NAME,
            "period": run.period_label,
        }
        body = render_to_string(
            "dashboards/report_email.txt",
            {
                "run": run,
                "network": settings.NETWORK_NAME,
                "period_start": date_format(run.period_start, "SHORT_DATE_FORMAT"),
                "period_end": date_format(run.period_end, "SHORT_DATE_FORMAT"),
                "site_url": settings.SITE_URL,
            },
        )
    message = EmailMessage(
        subject=subject, body=body, from_email=settings.DEFAULT_FROM_EMAIL, to=recipients
    )
    message.attach(run.filename, bytes(run.content), XLSX)
    if run.pdf:
        message.attach(run.pdf_filename, bytes(run.pdf), PDF)
    message.send()


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
