"""Stored reports: each generated workbook kept byte for byte as it was delivered."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from core.models import TimeStamped, choice_values


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
    highlights = models.TextField(_("highlights"), blank=True)
    risks = models.TextField(_("risks"), blank=True)
    plans = models.TextField(_("plans for the next quarter"), blank=True)

    objects = ReportRunQuerySet.as_manager()
    CONSTRAINT_FIELDS = {
        "report_period_in_order": "period_end",
        "report_quarter_valid": "quarter",
        "report_quarter_has_year": "year",
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
