"""Form pieces every app shares: money and date inputs, choice fields that never 500,
forms that report every model rule at once, and putting a service's refusal onto a form."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from decimal import Decimal
from itertools import groupby
from typing import Any, TypeVar

import django_filters
from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, FieldDoesNotExist, ValidationError
from django.db import IntegrityError, models
from django.utils.translation import gettext_lazy as _

from core.numbers import NumberProblem, read_number


class MoneyField(forms.DecimalField):
    """Euros as people type them, in either language: 125000, 125 000,50, 125,000.50, with
    or without €; a value that reads two ways (1,250) is refused with both readings.

    A text input rather than type="number": number inputs reject the Finnish decimal comma
    in some browsers and silently drop what they cannot parse.
    """

    widget = forms.TextInput
    default_error_messages = {
        "invalid": _("Enter an amount in euros, for example 125 000,50 or 125,000.50."),
        "min_value": _("The amount cannot be negative."),
    }

    def __init__(self, **kwargs) -> None:
        kwargs.setdefault("localize", True)
        kwargs.setdefault("min_value", Decimal(0))
        super().__init__(**kwargs)

    def widget_attrs(self, widget: forms.Widget) -> dict[str, str]:
        attrs = super().widget_attrs(widget)
        attrs.update({"inputmode": "decimal"})
        return attrs

    def to_python(self, value):
        # Read the same way in every language (core.numbers): "12 500,50" typed on the
        # English page is twelve thousand five hundred euros, not a million.
        if isinstance(value, str) and value.strip():
            try:
                value = read_number(value)
            except NumberProblem as problem:
                if problem.ambiguous:
                    raise ValidationError(problem.message, code="ambiguous") from None
                raise ValidationError(self.error_messages["invalid"], code="invalid") from None
        return super().to_python(value)


def date_input() -> forms.DateInput:
    """The browser's date picker; it always sends ISO dates, which every locale accepts."""
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


# A service's transaction has rolled back when the database refuses a row that passed the
# checks: another user saved a clashing row between the check and the write.
CONFLICT_MESSAGE = _(
    "Someone else saved a conflicting change at the same moment. Check the values and save again."
)

Saved = TypeVar("Saved")


def show_service_errors(form: forms.BaseForm, exc: ValidationError) -> None:
    """Put a service's ValidationError onto ``form``: each message beside its field when the
    form has that field, otherwise at the top of the form, naming the field."""
    if not hasattr(exc, "error_dict"):
        form.add_error(None, exc)
        return
    for field, errors in exc.error_dict.items():
        target = field if field in form.fields else None
        if field != NON_FIELD_ERRORS and target is None:
            label = _field_label(form, field)
            errors = [ValidationError(f"{label}: {message}") for e in errors for message in e]
        elif target is not None:
            # The field's own words come first; the model would only repeat them.
            shown = set(form.errors.get(target, ()))
            errors = [e for e in errors if not set(e.messages) <= shown]
            if not errors:
                continue
        form.add_error(target, errors)


def save_through_service(form: forms.BaseForm, save: Callable[[], Saved]) -> Saved | None:
    """Run a service's write for ``form``. What it refuses is shown on the form, in one shape
    everywhere, and None is returned; otherwise what it saved."""
    try:
        return save()
    except ValidationError as exc:
        show_service_errors(form, exc)
    except IntegrityError:
        form.add_error(None, CONFLICT_MESSAGE)
    return None


def _field_label(form: forms.BaseForm, field: str) -> str:
    model = getattr(getattr(form, "_meta", None), "model", None)
    try:
        return str(model._meta.get_field(field).verbose_name).capitalize()
    except (AttributeError, FieldDoesNotExist):
        return field


class OverflowSafeChoiceMixin:
    """A choice of objects by id that treats an id too big for the database as no choice.

    SQLite raises OverflowError for an integer beyond 64 bits, which the model choice
    fields let through as a server error instead of a field error.
    """

    def clean(self, value: Any):
        try:
            return super().clean(value)
        except OverflowError:
            shown = ", ".join(map(str, value)) if isinstance(value, list | tuple) else value
            raise ValidationError(
                self.error_messages["invalid_choice"],
                code="invalid_choice",
                params={"value": shown},
            ) from None


class SafeModelChoiceField(OverflowSafeChoiceMixin, forms.ModelChoiceField):
    pass


class SafeModelMultipleChoiceField(OverflowSafeChoiceMixin, forms.ModelMultipleChoiceField):
    pass


# The same for the filters of the shared IdeaFilter.
class SafeFilterChoiceField(OverflowSafeChoiceMixin, django_filters.fields.ModelChoiceField):
    pass


class SafeFilterMultipleChoiceField(
    OverflowSafeChoiceMixin, django_filters.fields.ModelMultipleChoiceField
):
    pass


def grouped_choices(
    field: forms.ModelChoiceField,
    group: Callable[[models.Model], str],
    label: Callable[[models.Model], str],
    objects: Iterable[models.Model] | None = None,
) -> list[tuple]:
    """The field's choices in <optgroup>s: ``objects`` (by default its queryset), which must
    already be ordered by group."""
    choices: list[tuple] = [("", field.empty_label)]
    for name, members in groupby(field.queryset if objects is None else objects, key=group):
        choices.append((name, [(obj.pk, label(obj)) for obj in members]))
    return choices


class RuleCheckingForm(forms.ModelForm):
    """A ModelForm that reports every rule of its model in one round, each beside its field.

    Django skips constraints that involve fields missing from the form; here the instance
    carries those values (the idea, the amounts already recorded), so a second lead or a
    granted amount above the request is reported together with the other mistakes instead
    of only after they are fixed. The service checks everything again when saving.
    """

    def _fields_in_error(self) -> set[str]:
        return {name for name in self.errors if name != NON_FIELD_ERRORS}

    def validate_unique(self) -> None:
        try:
            self.instance.validate_unique(exclude=self._fields_in_error())
        except ValidationError as exc:
            self.add_error(None, exc)

    def validate_constraints(self) -> None:
        try:
            self.instance.validate_constraints(exclude=self._fields_in_error())
        except ValidationError as exc:
            self.add_error(None, exc)

    def add_error(self, field: str | None, error) -> None:
        if not isinstance(error, ValidationError):
            error = ValidationError(error)
        if field is None and hasattr(error, "error_dict"):
            placed: dict[str, list[ValidationError]] = {}
            for name, errors in error.error_dict.items():
                # A rule about a field this form does not show is reported above the form.
                target = name if name in self.fields else NON_FIELD_ERRORS
                if target != NON_FIELD_ERRORS and target in self.errors:
                    # The field's own error comes first; Model.clean() would only repeat it
                    # in other words (a value the field refused looks missing to the model).
                    continue
                shown = set(self.errors.get(target, ()))
                fresh = [e for e in errors if not set(e.messages) <= shown]
                placed.setdefault(target, []).extend(fresh)
            placed = {name: errors for name, errors in placed.items() if errors}
            if not placed:
                return
            error = ValidationError(placed)
        super().add_error(field, error)


class NarrowedSelect(forms.Select):
    """A select whose options belong to the value chosen in another select of the same form.

    Each option carries its parent's value in ``data-parent``; static/js/narrow.js offers only
    the chosen parent's options. Without scripts every option stays offered (grouped), and the
    form's own validation refuses a mismatch, so the markup is a convenience, never the rule.
    """

    def __init__(
        self,
        *,
        parent: str,
        parents: Mapping[str, str],
        none_text: str = "",
        attrs: dict | None = None,
        choices: Iterable = (),
    ) -> None:
        super().__init__(attrs=attrs, choices=choices)
        self.parent = parent
        self.parents = dict(parents)
        self.none_text = none_text

    def get_context(self, name: str, value: Any, attrs: dict | None) -> dict[str, Any]:
        attrs = {**(attrs or {}), "data-narrowed-by": self.parent}
        if self.none_text:
            attrs["data-none-text"] = str(self.none_text)
        return super().get_context(name, value, attrs)

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        parent = self.parents.get(str(value))
        if parent is not None:
            option["attrs"]["data-parent"] = parent
        return option


def narrow_by(
    form: forms.BaseForm,
    child: str,
    parent: str,
    parents: Mapping[str, str],
    none_text: str = "",
) -> None:
    """Offer ``child``'s choices narrowed to the value chosen in ``parent`` as the user chooses.

    ``child``'s choices must already be set (grouped or not); ``parents`` maps each choice's
    value to its parent's value, both as text, from the rows the choices were made of.
    """
    field = form.fields[child]
    choices = field.choices
    field.widget = NarrowedSelect(
        parent=form[parent].html_name,
        parents=parents,
        none_text=none_text,
        attrs=field.widget.attrs,
    )
    field.widget.is_required = field.required
    field.widget.choices = choices
