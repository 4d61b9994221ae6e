"""Model building blocks every app shares: money fields, created/updated times, constraint
messages placed at their field, and names in the active language."""

from __future__ import annotations

from datetime import timedelta
from typing import ClassVar

from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models, router
from django.db.models import Expression, F, Value
from django.db.models.functions import Coalesce, NullIf
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

MONEY = {"max_digits": 12, "decimal_places": 2}


def choice_values(choices: type[models.TextChoices]) -> list[str]:
    return [value for value, _label in choices.choices]


class TimeStamped(models.Model):
    # A default rather than auto_now_add, so imports and demo data can keep the real date.
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    # Constraint name → the field its message belongs to, so a form shows the message
    # beside that field instead of at the top.
    CONSTRAINT_FIELDS: ClassVar[dict[str, str]] = {}

    class Meta:
        abstract = True

    def validate_constraints(self, exclude=None):
        using = router.db_for_write(type(self), instance=self)
        errors: dict[str, list[ValidationError]] = {}
        for model_class, constraints in self.get_constraints():
            for constraint in constraints:
                try:
                    constraint.validate(model_class, self, exclude=exclude, using=using)
                except ValidationError as exc:
                    field = self.CONSTRAINT_FIELDS.get(constraint.name)
                    if field is None and len(getattr(constraint, "fields", ())) == 1:
                        field = constraint.fields[0]
                    errors.setdefault(field or NON_FIELD_ERRORS, []).extend(exc.error_list)
        if errors:
            raise ValidationError(errors)


class Translated:
    """``.name`` in the active language, falling back to Finnish."""

    def localized(self, field: str) -> str:
        lang = (get_language() or "fi")[:2]
        return getattr(self, f"{field}_{lang}", "") or getattr(self, f"{field}_fi")


def localized_column(field: str) -> Expression:
    """``field`` in the active language as the database sees it, falling back to Finnish as
    :meth:`Translated.localized` does: for ordering by the name the user reads."""
    lang = (get_language() or "fi")[:2]
    if lang == "fi":
        return F(f"{field}_fi")
    return Coalesce(NullIf(F(f"{field}_{lang}"), Value("")), F(f"{field}_fi"))


def related_model(model: type[models.Model], name: str) -> type[models.Model]:
    """The model at the other end of ``model``'s relation ``name``. A lower app reaches a
    higher app's rows this way, through a reverse relation, without importing it."""
    return model._meta.get_field(name).related_model


class WorkStatus(models.TextChoices):
    """Where a piece of background work stands (``core.background``)."""

    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    SUCCEEDED = "succeeded", _("Done")
    FAILED = "failed", _("Failed")


ACTIVE_WORK = (WorkStatus.QUEUED, WorkStatus.RUNNING)
# Running work not heard from for this long lost its worker (killed mid-way): it may be
# tried again. Each step of the work writes, so live work is heard from far more often.
STALLED_AFTER = timedelta(hours=1)


class BackgroundWork(TimeStamped):
    """Long work asked for from a page and done by the task worker: its status, the task
    that does it (``django.tasks``) and how far it has got. ``core.background`` moves the
    status on, each step a conditional UPDATE, so two workers never run the same work."""

    Status = WorkStatus

    status = models.CharField(
        _("status"), max_length=10, choices=WorkStatus.choices, default=WorkStatus.QUEUED
    )
    # The id of the latest task enqueued for this work (a retry enqueues a new one); the
    # operator finds it in the admin's task results.
    task_id = models.CharField(_("task id"), max_length=64, blank=True)
    step = models.PositiveSmallIntegerField(_("step"), default=0)
    steps = models.PositiveSmallIntegerField(_("steps"), default=1)
    # What the work is doing now, in words of the language it runs in.
    step_label = models.CharField(_("doing now"), max_length=200, blank=True)
    # Why it failed, for the user: never a traceback (that goes to the log).
    error = models.TextField(_("why it failed"), blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    # The language the work speaks in: its progress, its messages and what it makes.
    language = models.CharField(_("language"), max_length=5, choices=settings.LANGUAGES)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        abstract = True
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=choice_values(WorkStatus)),
                name="%(app_label)s_%(class)s_status_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(step__lte=F("steps")),
                name="%(app_label)s_%(class)s_step_in_range",
            ),
        ]

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE_WORK

    @property
    def is_failed(self) -> bool:
        return self.status == WorkStatus.FAILED

    @property
    def is_stalled(self) -> bool:
        return (
            self.status == WorkStatus.RUNNING
            and self.updated_at < timezone.now() - STALLED_AFTER
        )

    @property
    def percent(self) -> int:
        return round(100 * self.step / self.steps) if self.steps else 0


class CacheEntry(models.Model):
    """The table of Django's database cache (``CACHE_URL=dbcache://salkku_cache``, the
    default), in the schema ``manage.py createcachetable`` gives it.

    Declared as a model so ``migrate`` makes it wherever the database is made (the release
    step, ``make run``, the test databases) and a test's flush empties it with the others.
    Only the cache reads and writes it, through Django's own SQL; never use it as a model."""

    cache_key = models.CharField(max_length=255, primary_key=True)
    value = models.TextField()
    expires = models.DateTimeField(db_index=True)

    class Meta:
        db_table = "salkku_cache"

    def __str__(self) -> str:
        return self.cache_key
