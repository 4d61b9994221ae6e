"""The accessibility statement's facts, which the administrator edits, and the feedback
people send through it."""

from __future__ import annotations

from datetime import date

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.models import TimeStamped, Translated, choice_values


class Conformance(models.TextChoices):
    # The three levels the supervisory authority's model statement names.
    FULL = "full", _("fully conforms")
    PARTIAL = "partial", _("partially conforms")
    NONE = "none", _("does not conform")


class AccessibilityStatement(Translated, TimeStamped):
    """The one statement of this service (the row with pk 1)."""

    provider = models.CharField(
        _("provider of the service"),
        max_length=200,
        help_text=_("The organisation that answers for the service, as the statement names it."),
    )
    conformance = models.CharField(
        _("conformance with WCAG 2.1 level AA"),
        max_length=10,
        choices=Conformance.choices,
        default=Conformance.PARTIAL,
    )
    assessed_on = models.DateField(_("date of the assessment"), default=date.today)
    method_fi = models.TextField(_("how it was assessed (Finnish)"))
    method_sv = models.TextField(_("how it was assessed (Swedish)"))
    method_en = models.TextField(_("how it was assessed (English)"))
    feedback_email = models.EmailField(
        _("feedback address"),
        blank=True,
        help_text=_(
            "Shown on the statement, and sent each feedback given through its form. Without "
            "one, feedback is kept under Accessibility feedback in the administration."
        ),
    )
    authority_fi = models.CharField(_("supervisory authority (Finnish)"), max_length=200)
    authority_sv = models.CharField(_("supervisory authority (Swedish)"), max_length=200)
    authority_en = models.CharField(_("supervisory authority (English)"), max_length=200)
    authority_url = models.URLField(_("supervisory authority's web address"))
    authority_email = models.EmailField(_("supervisory authority's e-mail"), blank=True)
    authority_phone = models.CharField(_("supervisory authority's telephone"), max_length=40, blank=True)

    class Meta:
        verbose_name = _("accessibility statement")
        verbose_name_plural = _("accessibility statement")
        constraints = [
            models.CheckConstraint(condition=Q(pk=1), name="accessibility_statement_one_row"),
            models.CheckConstraint(
                condition=Q(conformance__in=choice_values(Conformance)),
                name="accessibility_statement_conformance_valid",
            ),
        ]

    def __str__(self) -> str:
        return str(_("Accessibility statement"))

    @property
    def method(self) -> str:
        return self.localized("method")

    @property
    def authority(self) -> str:
        return self.localized("authority")


class GapReason(models.TextChoices):
    # The three headings under which the model statement lists inaccessible content.
    NOT_CONFORMANT = "not_conformant", _("does not yet meet the requirements")
    BURDEN = "burden", _("disproportionate burden")
    OUT_OF_SCOPE = "out_of_scope", _("outside the scope of the law")


class KnownGap(Translated, TimeStamped):
    """Content known not to meet the requirements, and why."""

    statement = models.ForeignKey(
        AccessibilityStatement, on_delete=models.CASCADE, related_name="gaps"
    )
    reason = models.CharField(
        _("reason"), max_length=20, choices=GapReason.choices, default=GapReason.NOT_CONFORMANT
    )
    criteria = models.CharField(
        _("WCAG success criteria"),
        max_length=200,
        blank=True,
        help_text=_("For example: 2.1.1 Keyboard"),
    )
    text_fi = models.TextField(_("what and why (Finnish)"))
    text_sv = models.TextField(_("what and why (Swedish)"))
    text_en = models.TextField(_("what and why (English)"))
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("known gap")
        verbose_name_plural = _("known gaps")
        constraints = [
            models.CheckConstraint(
                condition=Q(reason__in=choice_values(GapReason)), name="known_gap_reason_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.text[:80]

    @property
    def text(self) -> str:
        return self.localized("text")


class AccessibilityFeedback(TimeStamped):
    """What someone reported through the statement's form; kept even when no address is set
    or the mail cannot be sent."""

    message = models.TextField(_("feedback"), max_length=5000)
    page = models.CharField(
        _("page concerned"),
        max_length=500,
        blank=True,
        help_text=_("The page's address or name, if the problem is on one page."),
    )
    email = models.EmailField(
        _("reply address"), blank=True, help_text=_("Your e-mail, if you would like an answer.")
    )
    language = models.CharField(_("language"), max_length=8)
    handled = models.BooleanField(_("handled"), default=False)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("accessibility feedback")
        verbose_name_plural = _("accessibility feedback")
        constraints = [
            models.CheckConstraint(
                condition=~Q(message=""), name="accessibility_feedback_has_message"
            ),
        ]

    def __str__(self) -> str:
        return self.message[:80]
