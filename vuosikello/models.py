from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from core.models import TimeStamped, choice_values
from portfolio.models import Region


class Category(models.TextChoices):
    ROADSHOW = "roadshow", _("Roadshow event")
    CALL_DEADLINE = "call_deadline", _("Call deadline")
    REPORT_DUE = "report_due", _("Quarterly report due")
    STEERING_GROUP = "steering_group", _("Steering group meeting")
    THEME_GROUP = "theme_group", _("Theme group meeting")
    NATIONAL_EVENT = "national_event", _("National event")
    OTHER = "other", _("Other")


# Derived from what Salkku already knows (events, calls, the report setting): never stored.
DERIVED_CATEGORIES = (Category.ROADSHOW, Category.CALL_DEADLINE, Category.REPORT_DUE)
STORED_CATEGORIES = [c for c in Category if c not in DERIVED_CATEGORIES]


def site_zone() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


class CalendarEntryQuerySet(models.QuerySet):
    def in_year(self, year: int) -> CalendarEntryQuerySet:
        """Entries with a day in ``year``: those starting in it, and yearly ones begun by then."""
        zone = site_zone()
        begins = datetime(year, 1, 1, tzinfo=zone)
        ends = datetime(year + 1, 1, 1, tzinfo=zone)
        once = Q(starts_on__year=year) | Q(starts_at__gte=begins, starts_at__lt=ends)
        yearly = Q(repeats_yearly=True) & (
            Q(starts_on__lt=date(year + 1, 1, 1)) | Q(starts_at__lt=ends)
        )
        return self.filter(once | yearly)


class CalendarEntry(TimeStamped):
    """A day or a meeting people add to the annual calendar.

    An all-day entry has ``starts_on`` (and perhaps ``ends_on``); a timed one ``starts_at``
    (and perhaps ``ends_at``), stored in UTC like every time.
    """

    Category = Category
    CONSTRAINT_FIELDS = {
        "calendar_entry_one_start": "starts_on",
        "calendar_entry_end_like_start": "ends_on",
        "calendar_entry_ends_after_start": "ends_on",
    }

    title = models.CharField(_("title"), max_length=200)
    category = models.CharField(_("category"), max_length=20, choices=Category.choices)
    starts_on = models.DateField(_("date"), null=True, blank=True)
    starts_at = models.DateTimeField(_("starts"), null=True, blank=True)
    ends_on = models.DateField(_("end date"), null=True, blank=True)
    ends_at = models.DateTimeField(_("ends"), null=True, blank=True)
    region = models.ForeignKey(
        Region,
        verbose_name=_("region"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="calendar_entries",
        help_text=_("Leave empty for the whole network."),
    )
    link = models.URLField(_("link"), blank=True)
    description = models.TextField(_("description"), blank=True)
    repeats_yearly = models.BooleanField(
        _("repeats every year"), default=False, help_text=_("On the same day every year.")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("added by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )

    objects = CalendarEntryQuerySet.as_manager()

    class Meta:
        ordering = ["starts_on", "starts_at", "title"]
        verbose_name = _("calendar entry")
        verbose_name_plural = _("calendar entries")
        constraints = [
            models.CheckConstraint(condition=~Q(title=""), name="calendar_entry_title_required"),
            models.CheckConstraint(
                condition=Q(category__in=choice_values(Category)),
                name="calendar_entry_category_valid",
            ),
            models.CheckConstraint(
                condition=Q(starts_on__isnull=True) ^ Q(starts_at__isnull=True),
                name="calendar_entry_one_start",
                violation_error_message=_("Give the entry either a day or a start time."),
            ),
            models.CheckConstraint(
                condition=(Q(ends_on__isnull=True) | Q(starts_on__isnull=False))
                & (Q(ends_at__isnull=True) | Q(starts_at__isnull=False)),
                name="calendar_entry_end_like_start",
                violation_error_message=_(
                    "An all-day entry ends on a day, a timed one at a time."
                ),
            ),
            models.CheckConstraint(
                condition=(Q(ends_on__isnull=True) | Q(ends_on__gte=F("starts_on")))
                & (Q(ends_at__isnull=True) | Q(ends_at__gte=F("starts_at"))),
                name="calendar_entry_ends_after_start",
                violation_error_message=_("The entry cannot end before it starts."),
            ),
        ]
        indexes = [models.Index(fields=["starts_on"]), models.Index(fields=["starts_at"])]

    def __str__(self) -> str:
        return self.title

    @property
    def all_day(self) -> bool:
        return self.starts_at is None

    @property
    def start(self) -> date | datetime:
        return self.starts_on if self.all_day else self.starts_at.astimezone(site_zone())

    @property
    def end(self) -> date | datetime | None:
        if self.all_day:
            return self.ends_on
        return self.ends_at.astimezone(site_zone()) if self.ends_at else None


# The address's secret is the key followed by the rest. The key's characters are not secret:
# they find the row. Only a SHA-256 digest of the rest is stored, so a copy of the database (a
# backup, a dump sent for support) opens no feed; the digest is compared in constant time.
FEED_KEY_LENGTH = 8


def feed_secret_digest(rest: str) -> str:
    """The stored fingerprint of the secret part of a feed address (after the key)."""
    return hashlib.sha256(rest.encode()).hexdigest()


class FeedToken(TimeStamped):
    """The secret in a user's calendar feed addresses. Calendar clients cannot log in, so
    the secret is the key; a reset gives a new one and the old addresses stop working.

    Only the lookup key and a digest are stored: the secret itself exists in the user's
    calendar app and, once, on the page that made it (``secret`` after ``renew()``)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="calendar_feed_token",
    )
    key = models.CharField(_("key"), max_length=FEED_KEY_LENGTH, unique=True, editable=False)
    digest = models.CharField(_("fingerprint"), max_length=64, editable=False)

    class Meta:
        verbose_name = _("calendar feed token")
        verbose_name_plural = _("calendar feed tokens")

    # Set by renew() on this instance only; never stored.
    secret: str = ""

    def __str__(self) -> str:
        return f"{self.user} ({self.key}…)"

    def renew(self) -> str:
        """A new secret: stores its key and digest, and returns it (also as ``secret``)."""
        secret = secrets.token_urlsafe(32)
        self.key = secret[:FEED_KEY_LENGTH]
        self.digest = feed_secret_digest(secret[FEED_KEY_LENGTH:])
        self.secret = secret
        return secret

    def matches(self, secret: str) -> bool:
        """Whether ``secret`` is this token's, compared in constant time."""
        return hmac.compare_digest(self.digest, feed_secret_digest(secret[FEED_KEY_LENGTH:]))


class ReminderSettings(TimeStamped):
    """A user's choice about reminder mails; without a row, reminders are on."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="reminder_settings",
    )
    reminders_on = models.BooleanField(
        _("send me reminders by e-mail"),
        default=True,
        help_text=_(
            "Call deadlines of your ideas in the application stage, your ideas waiting too "
            "long in one stage, and the quarterly report coming due."
        ),
    )
    # The language the user last chose on the site: the mails come in it.
    language = models.CharField(
        _("language of the mails"), max_length=5, choices=settings.LANGUAGES, blank=True
    )

    class Meta:
        verbose_name = _("reminder settings")
        verbose_name_plural = _("reminder settings")

    def __str__(self) -> str:
        return str(self.user)


class ReminderKind(models.TextChoices):
    CALL_DEADLINE = "call_deadline", _("Call deadline")
    STALE_IDEA = "stale_idea", _("Stale idea")
    REPORT_DUE = "report_due", _("Quarterly report due")


def _abandoned(now: datetime) -> Q:
    return Q(sent_at__isnull=True, created_at__lt=now - SentReminder.CLAIM_EXPIRES)


class SentReminderQuerySet(models.QuerySet):
    def abandoned(self, *, now: datetime) -> SentReminderQuerySet:
        """Claims never recorded as sent whose run must have ended: whether the mail went
        out is unknown, so the reminder is due again rather than lost."""
        return self.filter(_abandoned(now))

    def held(self, *, now: datetime) -> SentReminderQuerySet:
        """Reminders sent, or claimed by a run that may still be sending them."""
        return self.exclude(_abandoned(now))


class SentReminder(TimeStamped):
    """A reminder mailed, or being mailed: the same (user, kind, key) is never mailed again.

    A run claims the row (``created_at``: when), commits, sends the mail with no transaction
    open, then sets ``sent_at``; a failed send deletes the claim, so the next run tries again.
    """

    Kind = ReminderKind
    # Longer than any run takes and shorter than the day between two runs: a claim left by a
    # run that stopped mid-send is sent by the next day's run, never by one still sending it.
    CLAIM_EXPIRES = timedelta(hours=12)

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="sent_reminders",
    )
    kind = models.CharField(_("kind"), max_length=20, choices=ReminderKind.choices)
    # What the reminder was about, e.g. "call-3-idea-12" or "2024Q1".
    key = models.CharField(_("about"), max_length=100)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True, editable=False)

    objects = SentReminderQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("sent reminder")
        verbose_name_plural = _("sent reminders")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "kind", "key"], name="sent_reminder_once"
            ),
            models.CheckConstraint(
                condition=Q(kind__in=choice_values(ReminderKind)), name="sent_reminder_kind_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.key}"
