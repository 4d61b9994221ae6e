"""Form pieces every area shares: money and date inputs, choice fields that never 500,
and putting a service's refusal onto a form."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

import django_filters
from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, FieldDoesNotExist, ValidationError
from django.utils.formats import get_format
from django.utils.translation import gettext_lazy as _

# Spaces people type as thousands separators, including the no-break kinds a copy from a
# Finnish document brings along.
SPACES = re.compile(r"[\s\u00a0\u202f]")


class MoneyField(forms.DecimalField):
    """Euros as people type them: 125000, 125000.50, 125 000,50 in Finnish, with or without €.

    A text input rather than type="number": number inputs reject the Finnish decimal comma
    in some browsers and silently drop what they cannot parse.
    """

    widget = forms.TextInput
    default_error_messages = {
        "invalid": _("Enter an amount in euros, for example 125000 or 125000.50."),
        "min_value": _("The amount cannot be negative."),
    }

    def __init__(self, **kwargs) -> None:
        kwargs.setdefault("localize", True)
        kwargs.setdefault("min_value", Decimal("0"))
        super().__init__(**kwargs)

    def widget_attrs(self, widget: forms.Widget) -> dict[str, str]:
        attrs = super().widget_attrs(widget)
        attrs.update({"inputmode": "decimal", "autocomplete": "off"})
        return attrs

    def to_python(self, value):
        if isinstance(value, str):
            value = SPACES.sub("", value).removesuffix("€")
            if get_format("DECIMAL_SEPARATOR") == ".":
                value = value.replace(",", "")  # English thousands separators
        return super().to_python(value)


def date_input() -> forms.DateInput:
    """The browser's date picker; it always sends ISO dates, which every locale accepts."""
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def add_service_errors(form: forms.BaseForm, exc: ValidationError) -> None:
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
        form.add_error(target, errors)


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
