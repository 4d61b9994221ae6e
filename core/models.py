"""Model building blocks every app shares: money fields, created/updated times, constraint
messages placed at their field, and names in the active language."""

from __future__ import annotations

from typing import ClassVar

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
