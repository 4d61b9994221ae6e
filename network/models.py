"""Shared platforms and test environments, and the development needs of theme groups."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.models import TimeStamped, choice_values
from portfolio.models import Idea, Organisation, Region, RoadshowEvent, Theme


class PlatformKind(models.TextChoices):
    TEST_ENVIRONMENT = "test_environment", _("Test environment")
    PILOT_LINE = "pilot_line", _("Pilot line")
    LABORATORY = "laboratory", _("Laboratory")
    DATA_PLATFORM = "data_platform", _("Data platform")
    OTHER = "other", _("Other")


class PlatformQuerySet(models.QuerySet):
    def active(self) -> PlatformQuerySet:
        return self.filter(is_active=True)

    def search(self, text: str) -> PlatformQuerySet:
        """Every word in the name, the description or the host organisation's name."""
        queryset = self
        for word in text.split():
            queryset = queryset.filter(
                Q(name__icontains=word)
                | Q(description__icontains=word)
                | Q(host_organisation__name__icontains=word)
            )
        return queryset

    def with_theme(self, theme: Theme) -> PlatformQuerySet:
        # EXISTS rather than a join, so a platform is never listed twice.
        through = Platform.themes.through
        return self.filter(
            Exists(through.objects.filter(platform_id=OuterRef("pk"), theme=theme))
        )


class Platform(TimeStamped):
    """A test environment, pilot line, laboratory or data platform that companies of
    several regions can use together."""

    Kind = PlatformKind
    CONSTRAINT_FIELDS = {"platform_name_unique_per_host": "name"}

    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.OTHER)
    host_organisation = models.ForeignKey(
        Organisation,
        verbose_name=pgettext_lazy("platform", "host organisation"),
        on_delete=models.PROTECT,
        related_name="platforms",
    )
    region = models.ForeignKey(
        Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="platforms"
    )
    themes = models.ManyToManyField(
        Theme, verbose_name=_("themes"), blank=True, related_name="platforms"
    )
    description = models.TextField(_("description"), blank=True)
    access_terms = models.TextField(
        _("access terms"),
        blank=True,
        help_text=_("Who may use it and on what terms: price, booking, support."),
    )
    link = models.URLField(_("link"), blank=True)
    is_active = models.BooleanField(
        _("available"), default=True, help_text=_("Untick when the platform can no longer be used.")
    )
    # Kept here rather than on the idea, so the portfolio app needs no change to know it.
    ideas = models.ManyToManyField(
        Idea, verbose_name=_("ideas planning to use it"), blank=True, related_name="platforms"
    )

    objects = PlatformQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("platform")
        verbose_name_plural = _("platforms")
        constraints = [
            models.CheckConstraint(condition=~Q(name=""), name="platform_name_required"),
            models.CheckConstraint(
                condition=Q(kind__in=choice_values(PlatformKind)), name="platform_kind_valid"
            ),
            models.UniqueConstraint(
                Lower("name"),
                "host_organisation",
                name="platform_name_unique_per_host",
                violation_error_message=_(
                    "The host organisation already has a platform with this name."
                ),
            ),
        ]

    def __str__(self) -> str:
        return self.name


class NationalBody(models.TextChoices):
    BUSINESS_FINLAND = "business_finland", "Business Finland"
    TEM = "tem", _("Ministry of Economic Affairs and Employment (TEM)")
    OKM = "okm", _("Ministry of Education and Culture (OKM)")
    TRAFICOM = "traficom", "Traficom"
    OTHER = "other", _("Other body")


class NeedStatus(models.TextChoices):
    OPEN = "open", _("Open")
    COMMUNICATED = "communicated", _("Communicated")
    IN_PROGRESS = "in_progress", _("In progress")
    ADDRESSED = "addressed", _("Addressed")
    CLOSED = "closed", _("Closed")


class DevelopmentNeedQuerySet(models.QuerySet):
    def unresolved(self) -> DevelopmentNeedQuerySet:
        """Needs still waiting for a national body to act: open, communicated or in progress."""
        return self.filter(
            status__in=[NeedStatus.OPEN, NeedStatus.COMMUNICATED, NeedStatus.IN_PROGRESS]
        )


class DevelopmentNeed(TimeStamped):
    """A need a theme group raises, to be communicated to a national body."""

    Body = NationalBody
    Status = NeedStatus
    CONSTRAINT_FIELDS = {
        "need_other_body_named": "addressed_to_other",
        "need_other_body_only_when_other": "addressed_to_other",
    }

    need = models.TextField(_("need"))
    theme = models.ForeignKey(
        Theme, verbose_name=_("theme"), on_delete=models.PROTECT, related_name="development_needs"
    )
    raised_at = models.ForeignKey(
        RoadshowEvent,
        verbose_name=_("raised at"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="development_needs",
        help_text=_("The roadshow event where the need came up, if any."),
    )
    addressed_to = models.CharField(
        _("addressed to"),
        max_length=20,
        choices=Body.choices,
        blank=True,
        help_text=_("The national body the need is taken to. Leave empty if not decided yet."),
    )
    addressed_to_other = models.CharField(
        _("other body"),
        max_length=200,
        blank=True,
        help_text=_("The body's name, when it is none of the above."),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.OPEN
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = DevelopmentNeedQuerySet.as_manager()

    class Meta:
        ordering = ["theme", "-created_at", "-pk"]
        verbose_name = _("development need")
        verbose_name_plural = _("development needs")
        constraints = [
            models.CheckConstraint(condition=Q(need__regex=r"\S"), name="need_text_required"),
            models.CheckConstraint(
                condition=Q(status__in=choice_values(NeedStatus)), name="need_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(addressed_to="") | Q(addressed_to__in=choice_values(NationalBody)),
                name="need_addressed_to_valid",
            ),
            models.CheckConstraint(
                condition=~Q(addressed_to=NationalBody.OTHER) | Q(addressed_to_other__regex=r"\S"),
                name="need_other_body_named",
                violation_error_message=_("Name the body the need is addressed to."),
            ),
            models.CheckConstraint(
                condition=Q(addressed_to=NationalBody.OTHER) | Q(addressed_to_other=""),
                name="need_other_body_only_when_other",
                violation_error_message=_(
                    "Choose “Other body” above to name a body that is not on the list."
                ),
            ),
        ]

    def __str__(self) -> str:
        return self.need if len(self.need) <= 80 else f"{self.need[:79]}…"

    @property
    def addressed_to_label(self) -> str:
        """The body in words: the chosen one, or the name given for another."""
        if self.addressed_to == NationalBody.OTHER:
            return self.addressed_to_other
        return self.get_addressed_to_display() if self.addressed_to else ""
