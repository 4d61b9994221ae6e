from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.db.models import Case, F, IntegerField, Q, Value, When
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.models import MONEY, TimeStamped, Translated, choice_values
from portfolio.models import Idea, Organisation


class Level(models.TextChoices):
    REGIONAL = "regional", _("Regional")
    NATIONAL = "national", _("National")
    EU = "eu", _("EU")


class Funder(TimeStamped):
    # The official (Finnish) name; Swedish and English pages use their own when there is one.
    name = models.CharField(_("name"), max_length=200, unique=True)
    name_sv = models.CharField(_("name (Swedish)"), max_length=200, blank=True)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    level = models.CharField(_("level"), max_length=10, choices=Level.choices)

    class Meta:
        ordering = ["name"]
        verbose_name = _("funder")
        verbose_name_plural = _("funders")
        constraints = [
            models.CheckConstraint(condition=~Q(name=""), name="funder_name_required"),
            models.CheckConstraint(
                condition=Q(level__in=choice_values(Level)), name="funder_level_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def display_name(self) -> str:
        lang = (get_language() or "fi")[:2]
        return getattr(self, f"name_{lang}", "") or self.name


class FundingInstrumentQuerySet(models.QuerySet):
    def active(self) -> FundingInstrumentQuerySet:
        return self.filter(is_active=True)

    def by_level(self) -> FundingInstrumentQuerySet:
        """Regional → national → EU, then by code: the order the dashboards colour them in
        and the application form offers them."""
        rank = Case(
            *(When(level=value, then=Value(rank)) for rank, value in enumerate(Level.values)),
            output_field=IntegerField(),
        )
        return self.order_by(rank, "code")


class FundingInstrument(Translated, TimeStamped):
    code = models.SlugField(_("code"), max_length=40, unique=True)
    name_fi = models.CharField(_("name (Finnish)"), max_length=200)
    name_sv = models.CharField(_("name (Swedish)"), max_length=200, blank=True)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    funder = models.ForeignKey(
        Funder, verbose_name=_("funder"), on_delete=models.PROTECT, related_name="instruments"
    )
    level = models.CharField(_("level"), max_length=10, choices=Level.choices)
    typical_max_rate = models.DecimalField(
        _("typical maximum funding rate (%)"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
    )
    link = models.URLField(_("link"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    objects = FundingInstrumentQuerySet.as_manager()
    CONSTRAINT_FIELDS = {"instrument_rate_is_percentage": "typical_max_rate"}

    class Meta:
        ordering = ["level", "name_fi"]
        verbose_name = _("funding instrument")
        verbose_name_plural = _("funding instruments")
        constraints = [
            models.CheckConstraint(condition=~Q(name_fi=""), name="instrument_name_required"),
            models.CheckConstraint(
                condition=Q(level__in=choice_values(Level)), name="instrument_level_valid"
            ),
            models.CheckConstraint(
                condition=Q(typical_max_rate__isnull=True)
                | Q(typical_max_rate__gte=0, typical_max_rate__lte=100),
                name="instrument_rate_is_percentage",
                violation_error_message=_("The funding rate is a percentage from 0 to 100."),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return self.localized("name")


class FundingCallQuerySet(models.QuerySet):
    def open_on(self, moment) -> FundingCallQuerySet:
        return self.filter(Q(opens__isnull=True) | Q(opens__lte=moment.date()), deadline__gte=moment)


class FundingCall(TimeStamped):
    instrument = models.ForeignKey(
        FundingInstrument,
        verbose_name=_("instrument"),
        on_delete=models.PROTECT,
        related_name="calls",
    )
    title = models.CharField(_("title"), max_length=200)
    opens = models.DateField(_("opens"), null=True, blank=True)
    deadline = models.DateTimeField(_("deadline"))
    link = models.URLField(_("link"), blank=True)

    objects = FundingCallQuerySet.as_manager()

    class Meta:
        ordering = ["deadline"]
        verbose_name = _("funding call")
        verbose_name_plural = _("funding calls")
        constraints = [
            models.CheckConstraint(condition=~Q(title=""), name="call_title_required"),
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        if self.opens and self.deadline and self.opens > self.deadline.date():
            raise ValidationError({"deadline": _("The deadline must be after the call opens.")})


class ApplicationStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class FundingApplication(TimeStamped):
    Status = ApplicationStatus
    CONSTRAINT_FIELDS = {
        "application_requested_within_budget": "requested",
        "application_granted_within_requested": "granted",
        "application_granted_only_when_approved": "granted",
        "application_decided_after_submitted": "decided_on",
    }

    DECIDED = (Status.APPROVED, Status.REJECTED)

    idea = models.ForeignKey(
        Idea, verbose_name=_("idea"), on_delete=models.CASCADE, related_name="funding_applications"
    )
    instrument = models.ForeignKey(
        FundingInstrument,
        verbose_name=_("instrument"),
        on_delete=models.PROTECT,
        related_name="applications",
    )
    call = models.ForeignKey(
        FundingCall,
        verbose_name=_("call"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="applications",
    )
    applicant = models.ForeignKey(
        Organisation,
        verbose_name=_("applicant organisation"),
        on_delete=models.PROTECT,
        related_name="funding_applications",
    )
    reference = models.CharField(_("funder's reference number"), max_length=100, blank=True)
    total_budget = models.DecimalField(_("total budget (€)"), **MONEY)
    requested = models.DecimalField(_("requested (€)"), **MONEY)
    granted = models.DecimalField(_("granted (€)"), null=True, blank=True, **MONEY)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    submitted_on = models.DateField(_("submitted on"), null=True, blank=True)
    decided_on = models.DateField(_("decided on"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-submitted_on", "-created_at"]
        verbose_name = _("funding application")
        verbose_name_plural = _("funding applications")
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=choice_values(ApplicationStatus)), name="application_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(total_budget__gte=0, requested__gte=0)
                & (Q(granted__isnull=True) | Q(granted__gte=0)),
                name="application_amounts_not_negative",
                violation_error_message=_("Amounts cannot be negative."),
            ),
            models.CheckConstraint(
                condition=Q(requested__lte=F("total_budget")),
                name="application_requested_within_budget",
                violation_error_message=_(
                    "The requested amount cannot exceed the total budget."
                ),
            ),
            models.CheckConstraint(
                condition=Q(granted__isnull=True) | Q(granted__lte=F("requested")),
                name="application_granted_within_requested",
                violation_error_message=_("The granted amount cannot exceed the requested amount."),
            ),
            models.CheckConstraint(
                condition=Q(granted__isnull=True) | Q(status="approved"),
                name="application_granted_only_when_approved",
                violation_error_message=_(
                    "A granted amount can be recorded only for an approved application."
                ),
            ),
            models.CheckConstraint(
                condition=Q(decided_on__isnull=True)
                | Q(submitted_on__isnull=True)
                | Q(decided_on__gte=F("submitted_on")),
                name="application_decided_after_submitted",
                violation_error_message=_("The decision date cannot be before the submission date."),
            ),
        ]
        indexes = [
            models.Index(fields=["status", "submitted_on"]),
            models.Index(fields=["decided_on"]),
        ]

    def __str__(self) -> str:
        # The name, as the forms and lists show it; the code is for the admin's search.
        return f"{self.instrument.name}: {self.idea}"

    def clean(self) -> None:
        # The decision fields follow the status, for every writer alike (the service, and the
        # page's and the admin's forms, which validate through full_clean): a status without a
        # decision records no decision date, and only an approval records a granted amount.
        # Cleared here, before the constraints are checked, so an application set back to
        # draft, or rejected whatever amount was given, is saved the same way everywhere.
        if self.status not in self.DECIDED:
            self.decided_on = None
        if self.status != self.Status.APPROVED:
            self.granted = None
        errors = {}
        if self.call_id and self.instrument_id and self.call.instrument_id != self.instrument_id:
            errors["call"] = _("The call belongs to another instrument.")
        if self.status in self.DECIDED and self.decided_on is None:
            errors["decided_on"] = _("Give the decision date.")
        if self.status != self.Status.DRAFT and self.submitted_on is None:
            errors["submitted_on"] = _("Give the date the application was submitted.")
        # € requested counts an application by its submission date, so a draft with one
        # would count as submitted.
        if self.status == self.Status.DRAFT and self.submitted_on is not None:
            errors["submitted_on"] = _(
                "A draft has not been submitted: leave the submission date empty, or choose "
                "the status Submitted."
            )
        # A date ahead would count the submission or the decision in a period not yet come.
        today = timezone.localdate()
        if self.submitted_on and self.submitted_on > today:
            errors["submitted_on"] = _("The submission date cannot be in the future.")
        if self.decided_on and self.decided_on > today:
            errors["decided_on"] = _("The decision date cannot be in the future.")
        if self.status == self.Status.APPROVED:
            if self.granted is None:
                errors["granted"] = _("Give the granted amount of an approved application.")
            elif self.granted == 0:
                errors["granted"] = _(
                    "An approved application has a granted amount above zero; "
                    "a decision of no funding is a rejection."
                )
        if errors:
            raise ValidationError(errors)


class ImplementationHealth(models.TextChoices):
    ON_TRACK = "on_track", _("On track")
    AT_RISK = "at_risk", _("At risk")
    LATE = "late", _("Late")


class Implementation(TimeStamped):
    Health = ImplementationHealth
    CONSTRAINT_FIELDS = {
        "implementation_ends_after_start": "end",
        "implementation_budget_not_negative": "total_budget",
        "implementation_report_after_start": "final_report_date",
    }

    idea = models.OneToOneField(
        Idea, verbose_name=_("idea"), on_delete=models.CASCADE, related_name="implementation"
    )
    lead_organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("lead organisation"),
        on_delete=models.PROTECT,
        related_name="implementations",
    )
    start = models.DateField(_("start"))
    end = models.DateField(_("end"), null=True, blank=True)
    total_budget = models.DecimalField(_("total budget (€)"), null=True, blank=True, **MONEY)
    health = models.CharField(
        _("health"), max_length=10, choices=Health.choices, default=Health.ON_TRACK
    )
    final_report_date = models.DateField(_("final report date"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["start"]
        verbose_name = _("implementation")
        verbose_name_plural = _("implementations")
        constraints = [
            models.CheckConstraint(
                condition=Q(health__in=choice_values(ImplementationHealth)), name="implementation_health_valid"
            ),
            models.CheckConstraint(
                condition=Q(end__isnull=True) | Q(end__gte=F("start")),
                name="implementation_ends_after_start",
                violation_error_message=_("The end date cannot be before the start date."),
            ),
            models.CheckConstraint(
                condition=Q(total_budget__isnull=True) | Q(total_budget__gte=0),
                name="implementation_budget_not_negative",
                violation_error_message=_("The total budget cannot be negative."),
            ),
            models.CheckConstraint(
                condition=Q(final_report_date__isnull=True) | Q(final_report_date__gte=F("start")),
                name="implementation_report_after_start",
                violation_error_message=_("The final report cannot be dated before the start."),
            ),
        ]

    def __str__(self) -> str:
        return str(self.idea)
