"""Stored reports: each generated workbook kept byte for byte as it was delivered."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Length, Lower
from django.db.models.lookups import LessThanOrEqual
from django.utils.formats import date_format
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

from core.models import ACTIVE_WORK, BackgroundWork, TimeStamped, choice_values


@dataclass(frozen=True)
class Narrative:
    """The project manager's words for the board, plain text in the report's language."""

    highlights: str = ""
    risks: str = ""
    plans: str = ""

    def parts(self) -> list[tuple[str, str]]:
        """(heading, text) of each part written, in the report's order, in the active
        language; a part left empty is left out."""
        headings = (_("Highlights"), _("Risks"), _("Plans for the next quarter"))
        texts = (self.highlights, self.risks, self.plans)
        return [(str(h), t.strip()) for h, t in zip(headings, texts, strict=True) if t.strip()]


NO_NARRATIVE = Narrative()

# Room for a few paragraphs each: the three parts share the PDF's first page with the key
# figures and the targets.
NARRATIVE_MAX_LENGTH = 4000
NARRATIVE_FIELDS = ("highlights", "risks", "plans")


def _narrative_too_long() -> str:
    return _("Write at most %(max)s characters.") % {"max": NARRATIVE_MAX_LENGTH}


# Formatted when shown, in the language active then.
narrative_too_long = lazy(_narrative_too_long, str)


def _narrative_fits(field: str) -> models.CheckConstraint:
    return models.CheckConstraint(
        condition=LessThanOrEqual(Length(field), NARRATIVE_MAX_LENGTH),
        name=f"report_{field}_length",
        violation_error_message=narrative_too_long(),
    )


def _network_start():
    """The default day a target is counted from (a callable, so migrations do not freeze it)."""
    return settings.NETWORK_START_DATE


class ReportKind(models.TextChoices):
    QUARTERLY = "quarterly", _("Quarterly report")


class ReportRunQuerySet(models.QuerySet):
    def listed(self) -> ReportRunQuerySet:
        """Newest first, with who made each, without the files themselves."""
        return self.defer("content", "pdf").select_related("created_by").order_by("-created_at", "-pk")


class ReportRun(TimeStamped):
    """One generated report. The file is kept in the database, not on disk: a deployment on
    a platform without a persistent disk keeps it, and the SHA-256 is of these very bytes."""

    Kind = ReportKind

    kind = models.CharField(
        _("kind"), max_length=20, choices=Kind.choices, default=Kind.QUARTERLY
    )
    period_start = models.DateField(_("period start"))
    period_end = models.DateField(_("period end"))
    # Set when the period is a calendar quarter; a from–to period leaves them empty.
    year = models.PositiveSmallIntegerField(_("year"), null=True, blank=True)
    quarter = models.PositiveSmallIntegerField(_("quarter"), null=True, blank=True)
    language = models.CharField(_("language"), max_length=5, choices=settings.LANGUAGES)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("made by"),
        null=True,
        blank=True,
        # A report stays when its maker's account is removed.
        on_delete=models.SET_NULL,
        related_name="+",
    )
    content = models.BinaryField(_("file"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    size = models.PositiveIntegerField(_("size (bytes)"))
    # The board pack made from the same figures; empty for reports made before it existed.
    pdf = models.BinaryField(_("PDF"), null=True, blank=True)
    pdf_sha256 = models.CharField(_("PDF SHA-256"), max_length=64, blank=True)
    pdf_size = models.PositiveIntegerField(_("PDF size (bytes)"), null=True, blank=True)
    # The project manager's words for the board, plain text in the report's language, shown
    # on the Summary and on the PDF's first page.
    highlights = models.TextField(
        _("highlights"), blank=True, max_length=NARRATIVE_MAX_LENGTH
    )
    risks = models.TextField(_("risks"), blank=True, max_length=NARRATIVE_MAX_LENGTH)
    plans = models.TextField(
        _("plans for the next quarter"), blank=True, max_length=NARRATIVE_MAX_LENGTH
    )

    objects = ReportRunQuerySet.as_manager()
    CONSTRAINT_FIELDS = {
        "report_period_in_order": "period_end",
        "report_quarter_valid": "quarter",
        "report_quarter_has_year": "year",
        **{f"report_{field}_length": field for field in NARRATIVE_FIELDS},
    }

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("report run")
        verbose_name_plural = _("report runs")
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=choice_values(ReportKind)), name="report_kind_valid"
            ),
            models.CheckConstraint(
                condition=Q(language__in=[code for code, _name in settings.LANGUAGES]),
                name="report_language_valid",
            ),
            models.CheckConstraint(
                condition=Q(period_end__gte=F("period_start")),
                name="report_period_in_order",
                violation_error_message=_("The end of the period cannot be before its start."),
            ),
            models.CheckConstraint(
                condition=Q(quarter__isnull=True) | Q(quarter__gte=1, quarter__lte=4),
                name="report_quarter_valid",
                violation_error_message=_("A quarter is a number from 1 to 4."),
            ),
            models.CheckConstraint(
                condition=Q(quarter__isnull=True, year__isnull=True)
                | Q(quarter__isnull=False, year__isnull=False),
                name="report_quarter_has_year",
                violation_error_message=_("A quarter needs its year."),
            ),
            models.CheckConstraint(
                condition=Q(sha256__regex=r"^[0-9a-f]{64}$"), name="report_sha256_form"
            ),
            # A PDF is stored whole with its hash and size, or not at all.
            models.CheckConstraint(
                condition=Q(pdf__isnull=True, pdf_sha256="", pdf_size__isnull=True)
                | Q(pdf__isnull=False, pdf_sha256__regex=r"^[0-9a-f]{64}$",
                    pdf_size__isnull=False),
                name="report_pdf_whole",
            ),
            *(_narrative_fits(field) for field in NARRATIVE_FIELDS),
        ]
        indexes = [models.Index(fields=["-created_at"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.period_label}"

    @property
    def period_label(self) -> str:
        """Q2/2023, or 01.04.2023–30.06.2023 for a from–to period."""
        if self.quarter:
            return f"Q{self.quarter}/{self.year}"
        start = date_format(self.period_start, "SHORT_DATE_FORMAT")
        return f"{start}–{date_format(self.period_end, 'SHORT_DATE_FORMAT')}"

    @property
    def filename(self) -> str:
        if self.quarter:
            period = f"{self.year}-Q{self.quarter}"
        else:
            period = f"{self.period_start:%Y-%m-%d}_{self.period_end:%Y-%m-%d}"
        return f"salkku-report-{period}-{self.language}.xlsx"

    @property
    def pdf_filename(self) -> str:
        return self.filename.removesuffix(".xlsx") + ".pdf"

    @property
    def narrative(self) -> Narrative:
        return Narrative(self.highlights, self.risks, self.plans)

    @property
    def has_narrative(self) -> bool:
        return bool(self.narrative.parts())


class ReportRequestQuerySet(models.QuerySet):
    def active(self) -> ReportRequestQuerySet:
        return self.filter(status__in=ACTIVE_WORK)

    def shown_to(self, user) -> ReportRequestQuerySet:
        """The user's own reports still being made or that failed, newest first: the
        report list shows them above the stored reports."""
        return (
            self.filter(created_by=user)
            .exclude(status=BackgroundWork.Status.SUCCEEDED)
            .order_by("-created_at", "-pk")
        )


class ReportRequest(BackgroundWork):
    """A report asked for from the page, made by the task worker (``dashboards.tasks``).
    It holds what the form said until the worker makes the ``ReportRun`` from it."""

    kind = models.CharField(
        _("kind"), max_length=20, choices=ReportKind.choices, default=ReportKind.QUARTERLY
    )
    period_start = models.DateField(_("period start"))
    period_end = models.DateField(_("period end"))
    highlights = models.TextField(_("highlights"), blank=True, max_length=NARRATIVE_MAX_LENGTH)
    risks = models.TextField(_("risks"), blank=True, max_length=NARRATIVE_MAX_LENGTH)
    plans = models.TextField(
        _("plans for the next quarter"), blank=True, max_length=NARRATIVE_MAX_LENGTH
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("asked by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    run = models.OneToOneField(
        ReportRun,
        verbose_name=_("report"),
        null=True,
        blank=True,
        # A report removed from the list takes the record of its making with it.
        on_delete=models.CASCADE,
        related_name="request",
    )

    objects = ReportRequestQuerySet.as_manager()

    class Meta(BackgroundWork.Meta):
        ordering = ["-created_at"]
        verbose_name = _("report being made")
        verbose_name_plural = _("reports being made")
        constraints = [
            *BackgroundWork.Meta.constraints,
            models.CheckConstraint(
                condition=Q(period_end__gte=F("period_start")),
                name="report_request_period_in_order",
            ),
            # A double-clicked "Make the report" queues one task: while a report of the
            # same period and language is being made for the same user, a second is refused.
            models.UniqueConstraint(
                fields=["created_by", "period_start", "period_end", "language"],
                condition=Q(status__in=ACTIVE_WORK),
                name="report_request_one_at_a_time",
            ),
            models.CheckConstraint(
                condition=~Q(status=BackgroundWork.Status.SUCCEEDED) | Q(run__isnull=False),
                name="report_request_done_has_report",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.period_start}–{self.period_end} ({self.status})"

    @property
    def narrative(self) -> Narrative:
        return Narrative(self.highlights, self.risks, self.plans)


def _mailing_abandoned(now: datetime) -> Q:
    return Q(sent_at__isnull=True, created_at__lt=now - ReportMailing.CLAIM_EXPIRES)


class ReportMailingQuerySet(models.QuerySet):
    def of_period(self, *, kind: str, start, end, language: str) -> ReportMailingQuerySet:
        return self.filter(kind=kind, period_start=start, period_end=end, language=language)

    def abandoned(self, *, now: datetime) -> ReportMailingQuerySet:
        """Claims never recorded as sent whose run must have ended: whether the mail went
        out is unknown, so the report is due again rather than lost."""
        return self.filter(_mailing_abandoned(now))

    def held(self, *, now: datetime) -> ReportMailingQuerySet:
        """Reports mailed, or claimed by a run that may still be making or mailing them;
        newest first."""
        return self.exclude(_mailing_abandoned(now)).order_by("-created_at", "-pk")


class ReportMailing(TimeStamped):
    """A report mailed to its recipients, or being mailed: once per period and language.

    A run claims the row (``created_at``: when) and commits, makes the report and mails it
    with no transaction open, then sets ``sent_at``; a failed run deletes its claim, so the
    next run tries again. A resend asked for on purpose (``forced``) is recorded beside the
    first sending, outside the once-only rule.
    """

    Kind = ReportKind
    # Longer than making and mailing a large portfolio's report takes, shorter than the time
    # between a scheduler's daily reruns: a claim left by a run that was killed mid-send is
    # taken over by a later run, never by one still sending.
    CLAIM_EXPIRES = timedelta(hours=2)

    kind = models.CharField(
        _("kind"), max_length=20, choices=Kind.choices, default=Kind.QUARTERLY
    )
    period_start = models.DateField(_("period start"))
    period_end = models.DateField(_("period end"))
    language = models.CharField(_("language"), max_length=5, choices=settings.LANGUAGES)
    # Empty while the claimed run is still making the report.
    run = models.ForeignKey(
        ReportRun,
        verbose_name=_("report"),
        null=True,
        blank=True,
        # What was mailed stays on record: a mailed report cannot be deleted.
        on_delete=models.PROTECT,
        related_name="mailings",
    )
    # The addresses as they were when mailed, comma-separated; the setting may change later.
    recipients = models.TextField(_("recipients"))
    forced = models.BooleanField(_("resent on purpose"), default=False)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True, editable=False)

    objects = ReportMailingQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("report mailing")
        verbose_name_plural = _("report mailings")
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "period_start", "period_end", "language"],
                condition=Q(forced=False),
                name="report_mailing_once",
            ),
            models.CheckConstraint(
                condition=Q(kind__in=choice_values(ReportKind)), name="report_mailing_kind_valid"
            ),
            models.CheckConstraint(
                condition=Q(language__in=[code for code, _name in settings.LANGUAGES]),
                name="report_mailing_language_valid",
            ),
            models.CheckConstraint(
                condition=Q(period_end__gte=F("period_start")),
                name="report_mailing_period_in_order",
            ),
            models.CheckConstraint(
                condition=~Q(recipients=""), name="report_mailing_has_recipients"
            ),
            # Nothing is recorded sent without the report that was sent.
            models.CheckConstraint(
                condition=Q(sent_at__isnull=True) | Q(run__isnull=False),
                name="report_mailing_sent_has_run",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.period_start}–{self.period_end} ({self.language}): {self.recipients}"

    @property
    def recipient_list(self) -> list[str]:
        return [address.strip() for address in self.recipients.split(",") if address.strip()]


class Indicator(models.TextChoices):
    """What a plan's target measures: a figure computed from the data (each defined once in
    ``dashboards.selectors.targets``), or MANUAL, a figure the data cannot give, entered per
    period and named on the target."""

    EVENTS = "events", _("Roadshow events held")
    PARTICIPANTS = "participants", _("Participants")
    PARTICIPANTS_ONSITE = "participants_onsite", _("Participants on site")
    PARTICIPANTS_REMOTE = "participants_remote", _("Participants remotely")
    ORGANISATIONS = "organisations", _("Organisations reached")
    COMPANIES = "companies", _("Companies reached")
    SMES = "smes", _("SMEs reached")
    RESEARCH = "research", _("Research organisations reached")
    EDUCATION = "education", _("Education institutions reached")
    PUBLIC = "public", _("Public organisations reached")
    NEW_IDEAS = "new_ideas", _("New ideas")
    CONSORTIA = "consortia", _("Consortia formed")
    APPLICATIONS = "applications", _("Applications submitted")
    APPLIED = "applied", _("€ applied")
    GRANTED = "granted", _("€ granted")
    LEVERAGE = "leverage", _("Leverage")
    NEW_REGIONS = "new_regions", _("Regions newly linked")
    PLATFORMS = "platforms", _("Shared platforms identified")
    NEEDS = "needs", _("Development needs communicated to national bodies")
    MANUAL = "manual", _("Other (entered per period)")


class TargetQuerySet(models.QuerySet):
    def in_plan_order(self) -> TargetQuerySet:
        """The computed indicators in the order of the choices, then the entered ones by name."""
        order = models.Case(
            *(models.When(indicator=value, then=models.Value(rank))
              for rank, value in enumerate(Indicator.values)),
            output_field=models.IntegerField(),
        )
        return self.order_by(order, Lower("name"), "pk")


class Target(TimeStamped):
    """One target of the network's plan: an indicator, the value to reach and the day to reach
    it by, counted from ``start_date``."""

    Indicator = Indicator
    CONSTRAINT_FIELDS = {
        "target_dates_in_order": "target_date",
        "target_value_positive": "target_value",
        "target_manual_named": "name",
        "target_computed_unnamed": "name",
        "target_indicator_once": "indicator",
        "target_manual_name_once": "name",
    }

    indicator = models.CharField(_("indicator"), max_length=30, choices=Indicator.choices)
    # Only for an indicator entered per period: what it measures, in the plan's words.
    name = models.CharField(
        _("name"),
        max_length=200,
        blank=True,
        help_text=_("For an indicator entered per period: what it measures, e.g. "
                    "“Communication reach (people)”."),
    )
    target_value = models.DecimalField(_("target value"), max_digits=14, decimal_places=2)
    start_date = models.DateField(
        _("counted from"), default=_network_start,
        help_text=_("The figure is counted from this day, and the straight line to the target "
                    "starts here."),
    )
    target_date = models.DateField(_("to be reached by"))
    note = models.TextField(_("note"), blank=True)

    objects = TargetQuerySet.as_manager()

    class Meta:
        ordering = ["indicator", "name"]
        verbose_name = _("target")
        verbose_name_plural = _("targets")
        constraints = [
            models.CheckConstraint(
                condition=Q(indicator__in=choice_values(Indicator)), name="target_indicator_valid"
            ),
            models.CheckConstraint(
                condition=Q(target_date__gt=F("start_date")),
                name="target_dates_in_order",
                violation_error_message=_("The target date must be after the day it is counted "
                                          "from."),
            ),
            models.CheckConstraint(
                condition=Q(target_value__gt=0),
                name="target_value_positive",
                violation_error_message=_("A target is a value above zero."),
            ),
            models.CheckConstraint(
                condition=~Q(indicator=Indicator.MANUAL) | Q(name__regex=r"\S"),
                name="target_manual_named",
                violation_error_message=_("Name the indicator that is entered per period."),
            ),
            models.CheckConstraint(
                condition=Q(indicator=Indicator.MANUAL) | Q(name=""),
                name="target_computed_unnamed",
                violation_error_message=_("Only an indicator entered per period takes a name: "
                                          "a computed one has its own."),
            ),
            # Two targets for one figure would disagree on the page about being on track.
            models.UniqueConstraint(
                fields=["indicator"],
                condition=~Q(indicator=Indicator.MANUAL),
                name="target_indicator_once",
                violation_error_message=_("The plan already has a target for this indicator."),
            ),
            models.UniqueConstraint(
                Lower("name"),
                condition=Q(indicator=Indicator.MANUAL),
                name="target_manual_name_once",
                violation_error_message=_("The plan already has an indicator with this name."),
            ),
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def is_manual(self) -> bool:
        return self.indicator == Indicator.MANUAL

    def clean(self) -> None:
        # An entered indicator keeps its values: it becomes a computed one only without them.
        if self.pk is not None and not self.is_manual and self.manual_values.exists():
            raise ValidationError(
                {"indicator": _("This indicator has values entered per period: delete them "
                                "before choosing a computed indicator.")}
            )

    @property
    def label(self) -> str:
        return self.name if self.is_manual else str(self.get_indicator_display())


class ManualValue(TimeStamped):
    """The value of an indicator the data cannot give, for one period, with where it came
    from. A target's actual is the sum of its values whose periods ended by the day asked."""

    CONSTRAINT_FIELDS = {
        "manual_value_period_in_order": "period_end",
        "manual_value_not_negative": "value",
        "manual_value_period_once": "period_start",
    }

    target = models.ForeignKey(
        Target, verbose_name=_("target"), on_delete=models.CASCADE, related_name="manual_values"
    )
    period_start = models.DateField(_("period start"))
    period_end = models.DateField(_("period end"))
    value = models.DecimalField(_("value"), max_digits=14, decimal_places=2)
    note = models.TextField(_("note"), blank=True, help_text=_("Where the value comes from."))

    class Meta:
        ordering = ["target", "period_start"]
        verbose_name = _("entered value")
        verbose_name_plural = _("entered values")
        constraints = [
            models.CheckConstraint(
                condition=Q(period_end__gte=F("period_start")),
                name="manual_value_period_in_order",
                violation_error_message=_("The end of the period cannot be before its start."),
            ),
            models.CheckConstraint(
                condition=Q(value__gte=0),
                name="manual_value_not_negative",
                violation_error_message=_("A value cannot be negative."),
            ),
            models.UniqueConstraint(
                fields=["target", "period_start"],
                name="manual_value_period_once",
                violation_error_message=_("This indicator already has a value for a period "
                                          "starting on this day."),
            ),
        ]

    def clean(self) -> None:
        if self.target_id is None:
            return
        if not self.target.is_manual:
            raise ValidationError(
                _("“%(target)s” is computed from the data: values are entered only for "
                  "indicators the data cannot give.") % {"target": self.target.label}
            )
        # Periods of one indicator never overlap, so its actual (their sum) counts no day
        # twice.
        if self.period_start and self.period_end and self.period_start <= self.period_end:
            overlapping = (
                ManualValue.objects.filter(
                    target_id=self.target_id,
                    period_start__lte=self.period_end,
                    period_end__gte=self.period_start,
                )
                .exclude(pk=self.pk)
                .order_by("period_start")
                .first()
            )
            if overlapping is not None:
                raise ValidationError(
                    {"period_start": _("The period overlaps the value already entered for "
                                       "%(period)s.") % {"period": str(overlapping)}}
                )

    def __str__(self) -> str:
        start = date_format(self.period_start, "SHORT_DATE_FORMAT")
        return f"{start}–{date_format(self.period_end, 'SHORT_DATE_FORMAT')}"


# Summary tables ---------------------------------------------------------------------------
#
# Figures of the dashboards added up ahead, kept current by ``dashboards.summaries`` in the
# transaction of every write that changes them. Each row covers one span of days in the
# site's time zone: a day, a calendar month or a calendar year (``start`` is its first
# day), so a period of any whole days is read as its whole years, whole months and the days
# left at either end — exact for a period ending on any day, and few rows for a long one.
# Themes and regions are ids (0: every theme / region, so the same table holds the totals
# that count a multi-theme or multi-region idea once).


class SummarySpan(models.TextChoices):
    # Never shown: no translated labels.
    DAY = "d"
    MONTH = "m"
    YEAR = "y"


class IdeaCountSummary(models.Model):
    """Ideas created in a span, by their stage now, theme and region (0: all)."""

    span = models.CharField(max_length=1, choices=SummarySpan.choices)
    start = models.DateField()
    stage = models.CharField(max_length=20)
    theme = models.IntegerField(default=0)
    region = models.IntegerField(default=0)
    ideas = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["span", "start", "stage", "theme", "region"], name="idea_summary_key"
            ),
            models.CheckConstraint(condition=Q(ideas__gte=0), name="idea_summary_not_negative"),
            models.CheckConstraint(
                condition=Q(span__in=choice_values(SummarySpan)), name="idea_summary_span_valid"
            ),
        ]


class ApplicationSummary(models.Model):
    """Funding applications submitted (``kind`` "submitted", by submission day) or decided
    (``kind`` "decided", by decision day) in a span, by status, instrument and their idea's
    stage now: how many, and the € requested and granted in whole cents."""

    span = models.CharField(max_length=1, choices=SummarySpan.choices)
    start = models.DateField()
    kind = models.CharField(max_length=9)
    status = models.CharField(max_length=20)
    instrument = models.IntegerField()
    stage = models.CharField(max_length=20)
    applications = models.IntegerField(default=0)
    requested = models.BigIntegerField(default=0)
    granted = models.BigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["span", "start", "kind", "status", "instrument", "stage"],
                name="application_summary_key",
            ),
            models.CheckConstraint(
                condition=Q(applications__gte=0, requested__gte=0, granted__gte=0),
                name="application_summary_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(span__in=choice_values(SummarySpan)),
                name="application_summary_span_valid",
            ),
        ]


class SummaryState(models.Model):
    """Whether the summary tables can be read (one row, id 1). A database migrated with
    ideas already in it has none until ``manage.py rebuild_summaries`` fills the tables;
    a write that finds the tables out of step (a bulk write around the services) marks them
    not ready. Until they are ready again the dashboards read the data directly."""

    ready = models.BooleanField(default=False)
    rebuilt_at = models.DateTimeField(null=True, blank=True)
    # Why the tables were last marked not ready, for the operator.
    note = models.TextField(blank=True)

    class Meta:
        constraints = [models.CheckConstraint(condition=Q(id=1), name="summary_state_one_row")]


class MoneySummary(models.Model):
    """Per idea and day: the € requested in its applications submitted that day and the €
    granted in its approvals decided that day, in whole cents, with the idea's stage now.

    Per idea, not added up across ideas: an idea's € are shared out among regions by the
    one rule after they are summed over the period (``funding.selectors.share_cents``
    gives the left-over cents to the largest remainders), so the idea's sum must be known
    before it is shared for the regions' figures to stay exact to the cent."""

    idea = models.IntegerField()
    day = models.DateField()
    stage = models.CharField(max_length=20)
    requested = models.BigIntegerField(default=0)
    granted = models.BigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["idea", "day"], name="money_summary_key"),
            models.CheckConstraint(
                condition=Q(requested__gte=0, granted__gte=0), name="money_summary_not_negative"
            ),
        ]
        # Covers the period's read: a range of days, summed per idea.
        indexes = [
            models.Index(
                fields=["day", "idea", "stage", "requested", "granted"], name="money_summary_day"
            )
        ]


class SplitSummary(models.Model):
    """Per idea with money: how its € are shared out among regions (the one rule's integer
    weights, as ``region:weight`` pairs, "-" for no region, and their sum) and its themes,
    so a period's money is read without the consortia, organisations and link tables."""

    idea = models.IntegerField(primary_key=True)
    weights = models.TextField()
    total = models.BigIntegerField()
    themes = models.TextField(blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(total__gt=0), name="split_summary_total_positive")
        ]


class SharedMoneySummary(models.Model):
    """All the € of the ideas in one stage now, each idea's sum shared out among regions by
    the one rule: per theme and region (0: all; -1: no region), in whole cents.

    The one rule shares an idea's sum over a period, so these rows answer a period that
    holds all of the ideas' money days; the ideas with money outside a period are taken out
    and put back with their own period's shares (``summaries.shared_money``). That is the
    "all to date" page, the one opened most, read from a few hundred rows."""

    stage = models.CharField(max_length=20)
    theme = models.IntegerField(default=0)
    region = models.IntegerField(default=0)
    requested = models.BigIntegerField(default=0)
    granted = models.BigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["stage", "theme", "region"], name="shared_money_summary_key"
            ),
            models.CheckConstraint(
                condition=Q(requested__gte=0, granted__gte=0),
                name="shared_money_summary_not_negative",
            ),
        ]


class StaySummary(models.Model):
    """One stay of an idea in a stage: from a move into it (``entered_at``) to the idea's
    next move (``left_at``; NULL while it is there), with the idea's creation time and
    stage now, and whether it is the idea's first stay in that stage. The stage history
    with each move's next move worked out ahead, so the funnel and the time in stage read
    plain rows instead of ordering the whole history per idea."""

    idea = models.IntegerField()
    position = models.IntegerField()  # the move's place in the idea's history, from 0
    idea_created_at = models.DateTimeField()
    idea_stage = models.CharField(max_length=20)
    stage = models.CharField(max_length=20)
    entered_at = models.DateTimeField()
    left_at = models.DateTimeField(null=True, blank=True)
    # Whole days from entering to leaving (``core.dates.WholeDays``, worked out by the
    # database itself, so the same as a query would find); NULL while the idea is there.
    days = models.IntegerField(null=True, blank=True)
    first = models.BooleanField()
    last = models.BooleanField()  # the idea's last stay in that stage
    note = models.TextField(blank=True)  # a drop's reason; other stays leave it empty

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["idea", "position"], name="stay_summary_key"),
            models.CheckConstraint(
                condition=Q(left_at__isnull=True) | Q(left_at__gte=F("entered_at")),
                name="stay_summary_left_after_entering",
            ),
            # An ended stay's days are written just after the stay, in the same transaction.
            models.CheckConstraint(
                condition=Q(days__isnull=True) | Q(left_at__isnull=False, days__gte=0),
                name="stay_summary_days_of_ended_stays",
            ),
        ]
        indexes = [
            # The time in stage: stays in a stage by when they ended, with their days.
            models.Index(
                fields=["stage", "left_at", "entered_at", "idea_stage", "days"],
                name="stay_summary_stage",
            ),
            # The funnel: ideas created in a period, by the stages they first reached.
            models.Index(
                fields=["first", "idea_created_at", "stage", "entered_at", "idea_stage"],
                name="stay_summary_first",
            ),
        ]


class IdeaFactSummary(models.Model):
    """Per idea, what the outcomes per event, the flow and the stalled ideas ask of it, read
    from its history ahead: when it was created, its stage now and origin event, when its
    history first reached consortium forming or a later stage, the first day an approval of
    one of its applications was decided, and the stalled rule's basis now."""

    idea = models.IntegerField(primary_key=True)
    title = models.CharField(max_length=200)  # the stalled list's names and its order
    created_at = models.DateTimeField()
    stage = models.CharField(max_length=20)
    origin_event = models.IntegerField(null=True, blank=True)
    reached_consortium_at = models.DateTimeField(null=True, blank=True)
    funded_on = models.DateField(null=True, blank=True)
    # What ``portfolio.stalled`` judges an idea by now: when it entered its stage, its last
    # edit (of the idea, its consortium or its applications; its stage entry when none is
    # recorded), its implementation's planned end and the last change to that record.
    stage_entered_at = models.DateTimeField()
    edited_at = models.DateTimeField()
    planned_end = models.DateField(null=True, blank=True)
    progressed_at = models.DateTimeField()

    class Meta:
        indexes = [
            # Both reads group the ideas created in a period by their origin event.
            models.Index(
                fields=["created_at", "origin_event", "stage", "reached_consortium_at",
                        "funded_on"],
                name="idea_fact_summary_created",
            ),
        ]
